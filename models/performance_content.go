package models

import (
	"bytes"
	"context"
	"encoding/csv"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Content items (issue 16): the videos and live sessions a creator claims
// for a week, each with its own figures. They arrive with the performance
// rows (the API's "contents" array) or as a second kind of file on the
// performance upload page; the same content claimed by two creators is a risk.

// The kinds of content item (the same words as a creator's ContentType).
const (
	ItemVideo = "video"
	ItemLive  = "live"
)

// ImportKindContents marks an uploaded file of content items (a
// PerformanceImport of kind "" holds weekly performance).
const ImportKindContents = "contents"

// contentKinds maps what a feed or a file may write to a kind.
var contentKinds = map[string]string{"video": ItemVideo, "视频": ItemVideo, "live": ItemLive, "直播": ItemLive}

// contentIDPattern is a content ID as JD's platform issues them.
var contentIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// ContentInput is one incoming content item, from CSV (strings) or JSON
// (numbers formatted back to strings so both share one validation).
type ContentInput struct {
	AccountID string
	Week      string
	ContentID string
	Kind      string
	Views     string
	Orders    string
	GMVFen    string
}

// Validate checks one item as PerformanceInput.Validate checks a row: the
// week started, not before the programme's start, counts whole and in bounds.
func (in ContentInput) Validate(now time.Time, start WeekLabel) (accountID string, item PerformanceContent, fe FieldErrors) {
	fe = FieldErrors{}
	if accountID = strings.TrimSpace(in.AccountID); accountID == "" {
		fe["creator_account_id"] = Msg{ID: "err_account_id_required"}
	}
	if w, err := ParseWeek(in.Week); err != nil {
		fe["week"] = msgOf(err)
	} else if w.Start().After(now) {
		fe["week"] = M("err_week_not_started", "Week", w.String())
	} else if w.Start().Before(start.Start()) {
		fe["week"] = M("err_week_before_start", "Week", w.String(), "Start", start.String())
	} else {
		item.Week = w.String()
	}
	num := func(field, s string) int64 {
		s = strings.TrimSpace(s)
		if s == "" {
			fe[field] = M("err_column_required", "Column", field)
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 || n > maxCount {
			fe[field] = M("err_column_count", "Column", field, "Max", int64(maxCount), "Value", clip(s, 40))
			return 0
		}
		return n
	}
	item.Views, item.Orders, item.GMVFen = num("views", in.Views), num("orders", in.Orders), num("gmv_fen", in.GMVFen)
	switch item.ContentID = strings.TrimSpace(in.ContentID); {
	case item.ContentID == "":
		fe["content_id"] = M("err_column_required", "Column", "content_id")
	case !contentIDPattern.MatchString(item.ContentID):
		fe["content_id"] = M("err_content_id", "Column", "content_id", "Value", clip(item.ContentID, 80))
	}
	kind := strings.TrimSpace(in.Kind)
	if k, ok := contentKinds[strings.ToLower(kind)]; ok {
		item.Kind = k
	} else if kind == "" {
		fe["kind"] = M("err_column_required", "Column", "kind")
	} else {
		fe["kind"] = M("err_content_kind", "Column", "kind", "Value", clip(kind, 40))
	}
	return accountID, item, fe
}

// clip shortens what a message quotes back from a sender.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// checkContents validates items and resolves account IDs by account key;
// positions number them in error reports (API index or file line). A
// content ID twice for one creator and week is a problem on the second.
func checkContents(tx *gorm.DB, ins []ContentInput, positions []int, now time.Time) ([]PerformanceContent, []RowProblem, error) {
	if len(ins) == 0 {
		return nil, nil, nil
	}
	start, err := programmeStartWeek(tx)
	if err != nil {
		return nil, nil, err
	}
	var errs []RowProblem
	type valid struct {
		account string
		item    PerformanceContent
		pos     int
	}
	good := make([]valid, 0, len(ins))
	seen := map[string]int{}
	var keys []string
	for i, in := range ins {
		account, item, fe := in.Validate(now, start)
		if len(fe) > 0 {
			for _, f := range sortedKeys(fe) {
				errs = append(errs, RowProblem{Row: positions[i], Field: f, Msg: fe[f]})
			}
			continue
		}
		key := AccountKey(account) + "|" + item.Week + "|" + item.ContentID
		if first, dup := seen[key]; dup {
			errs = append(errs, RowProblem{Row: positions[i], Field: "content_id",
				Msg: M("err_content_repeats", "Content", item.ContentID, "Account", account, "Week", item.Week, "N", first)})
			continue
		}
		seen[key] = positions[i]
		good = append(good, valid{account, item, positions[i]})
		keys = append(keys, AccountKey(account))
	}
	ids := map[string]uint{}
	for _, chunk := range chunks(keys, 500) {
		var cs []Creator
		if err := tx.Select("id, account_key").Where("account_key IN ?", chunk).Find(&cs).Error; err != nil {
			return nil, nil, err
		}
		for _, c := range cs {
			ids[c.AccountKey] = c.ID
		}
	}
	out := make([]PerformanceContent, 0, len(good))
	for _, v := range good {
		id, ok := ids[AccountKey(v.account)]
		if !ok {
			errs = append(errs, RowProblem{Row: v.pos, Field: "creator_account_id", Msg: M("err_no_creator_with_account", "Account", v.account)})
			continue
		}
		v.item.CreatorID = id
		out = append(out, v.item)
	}
	sortProblems(errs)
	return out, errs, nil
}

// ContentPaths names each problem's field as the API's body does
// ("contents[3].content_id"); Row is the item's index in the array.
func ContentPaths(ps []RowProblem) []RowProblem {
	out := make([]RowProblem, len(ps))
	for i, p := range ps {
		path := "contents[" + strconv.Itoa(p.Row) + "]"
		if p.Field != "" {
			path += "." + p.Field
		}
		p.Field = path
		out[i] = p
	}
	return out
}

// ContentResult counts what a content ingest wrote.
type ContentResult struct {
	Items  int `json:"items"`  // content items written
	Videos int `json:"videos"` // of which videos
	Live   int `json:"live"`   // of which live sessions
	Weeks  int `json:"weeks"`  // (creator, week)s whose list was replaced
}

// replaceContents writes items: every (creator, week) the batch carries
// items for gets exactly the batch's list (a feed sends the week's full
// list), earlier items of it are removed.
func replaceContents(tx *gorm.DB, items []PerformanceContent) (ContentResult, error) {
	var res ContentResult
	if len(items) == 0 {
		return res, nil
	}
	byWeek := map[string]map[uint]bool{}
	for _, it := range items {
		if byWeek[it.Week] == nil {
			byWeek[it.Week] = map[uint]bool{}
		}
		if !byWeek[it.Week][it.CreatorID] {
			byWeek[it.Week][it.CreatorID] = true
			res.Weeks++
		}
		if it.Kind == ItemLive {
			res.Live++
		} else {
			res.Videos++
		}
	}
	for _, week := range sortedKeys(byWeek) {
		ids := make([]uint, 0, len(byWeek[week]))
		for id := range byWeek[week] {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		for _, part := range chunks(ids, 500) {
			if err := tx.Where("week = ? AND creator_id IN ?", week, part).Delete(&PerformanceContent{}).Error; err != nil {
				return res, err
			}
		}
	}
	now := nowOf(tx).UTC()
	rows := make([]PerformanceContent, len(items))
	copy(rows, items)
	for i := range rows {
		rows[i].ID, rows[i].CreatedAt, rows[i].UpdatedAt = 0, now, now
	}
	if err := tx.CreateInBatches(&rows, 500).Error; err != nil {
		return res, err
	}
	res.Items = len(rows)
	return res, nil
}

// contentAudit is what the audit keeps of a content ingest: counts per kind.
func contentAudit(res ContentResult) map[string]any {
	return map[string]any{"content_items": res.Items, "content_videos": res.Videos, "content_live": res.Live, "content_weeks": res.Weeks}
}

// CheckContents validates content items against the rules and the database
// without writing; positions number them in error reports.
func (s *Store) CheckContents(ctx context.Context, ins []ContentInput, positions []int) ([]RowProblem, error) {
	_, problems, err := checkContents(s.r(ctx), ins, positions, s.now())
	return problems, err
}

// IngestContents validates and writes a batch of content items on its own
// (the command-line import), all or nothing, in one transaction.
func (s *Store) IngestContents(ctx context.Context, a *Actor, source string, ins []ContentInput, positions []int) (ContentResult, []RowProblem, error) {
	var res ContentResult
	var problems []RowProblem
	err := s.tx(ctx, func(tx *gorm.DB) error {
		items, errs, err := checkContents(tx, ins, positions, s.now())
		if err != nil || len(errs) > 0 {
			problems = errs
			return err
		}
		if res, err = replaceContents(tx, items); err != nil {
			return err
		}
		return appendAudit(tx, a, "performance.contents", "performance", 0, nil, mergeMaps(map[string]any{"source": source}, contentAudit(res)))
	})
	return res, problems, err
}

// ContentsOf lists a creator's content items of a week, by content ID.
func (s *Store) ContentsOf(ctx context.Context, creatorID uint, week string) ([]PerformanceContent, error) {
	var out []PerformanceContent
	err := s.r(ctx).Where("creator_id = ? AND week = ?", creatorID, week).Order("content_id").Find(&out).Error
	return out, err
}

func mergeMaps(a, b map[string]any) map[string]any {
	for k, v := range b {
		a[k] = v
	}
	return a
}

// ContentCSVHeader is the header of a content-items file.
var ContentCSVHeader = []string{"account_id", "week", "content_id", "kind", "views", "orders", "gmv_fen"}

var contentHeaderAliases = map[string]string{
	"creator_account_id": "account_id", "京东创作者账号": "account_id", "账号": "account_id", "周": "week",
	"内容ID": "content_id", "内容id": "content_id", "内容编号": "content_id", "类型": "kind", "内容类型": "kind",
	"播放量": "views", "订单数": "orders", "GMV（分）": "gmv_fen", "GMV(分)": "gmv_fen", "gmv": "gmv_fen",
}

// ContentRow is one data row of a content-items file with its line.
type ContentRow = UploadRow[ContentInput]

// ParseContentCSV reads a content-items file (UTF-8, BOM or GBK) within the upload limits.
func ParseContentCSV(data []byte) ([]ContentRow, error) {
	return parseContentCSV(data, MaxImportBytes, MaxImportRows)
}

// ParseLargeContentCSV reads a content-items file of any practical size, for the command-line import.
func ParseLargeContentCSV(data []byte) ([]ContentRow, error) {
	return parseContentCSV(data, 2<<30, 50_000_000)
}

func parseContentCSV(data []byte, maxBytes, maxRows int) ([]ContentRow, error) {
	recs, err := readCSVWithin(data, ContentCSVHeader, ContentCSVHeader, contentHeaderAliases, maxBytes, maxRows)
	if err != nil {
		return nil, err
	}
	out := make([]ContentRow, len(recs))
	for i, r := range recs {
		out[i] = ContentRow{Line: r.Line, Err: r.Err, Header: r.names, Input: ContentInput{
			AccountID: r.Get("account_id"), Week: r.Get("week"), ContentID: r.Get("content_id"), Kind: r.Get("kind"),
			Views: r.Get("views"), Orders: r.Get("orders"), GMVFen: r.Get("gmv_fen"),
		}}
	}
	return out, nil
}

// SampleContentCSV is the downloadable example file of content items for
// last week; header labels the ContentCSVHeader columns.
func SampleContentCSV(now time.Time, header []string) []byte {
	week := WeekOf(now).Prev().String()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(header)
	_ = w.Write([]string{"jd_cr_100000", week, "v-8812034", ItemVideo, "90000", "200", "3100000"})
	_ = w.Write([]string{"jd_cr_100000", week, "v-8812077", ItemVideo, "30000", "110", "1499000"})
	_ = w.Write([]string{"jd_cr_100001", week, "live_5520091", ItemLive, "45000", "95", "1250000"})
	w.Flush()
	return b.Bytes()
}

// UploadContentCSV stores a content-items file (staff only) and returns its
// preview; it is confirmed like a performance file.
func (s *Store) UploadContentCSV(ctx context.Context, a *Actor, filename string, data []byte) (*PerformancePreview, error) {
	if !a.IsStaff() {
		return nil, ErrForbidden
	}
	if _, err := ParseContentCSV(data); err != nil {
		return nil, FieldErrors{"file": msgOf(err)}
	}
	imp := &PerformanceImport{UserID: a.UserID, Filename: filename, Content: data, Kind: ImportKindContents}
	if err := s.db.WithContext(ctx).Create(imp).Error; err != nil {
		return nil, err
	}
	return s.PreviewPerformanceImport(ctx, a, imp.ID)
}

// checkContentFile checks a stored content-items upload: its preview and
// the items that passed.
func (s *Store) checkContentFile(tx *gorm.DB, imp *PerformanceImport) (*PerformancePreview, []PerformanceContent, error) {
	rows, err := ParseContentCSV(imp.Content)
	if err != nil {
		return nil, nil, FieldErrors{"file": msgOf(err)}
	}
	return previewUpload(tx, imp, rows, s.now(), checkContents)
}

// confirmContentFile writes the good items of a content-items upload
// (bad lines are reported and left out), in the caller's transaction.
// Inserted counts the items written, Updated the (creator, week)s whose
// list they replaced.
func (s *Store) confirmContentFile(tx *gorm.DB, a *Actor, imp *PerformanceImport) (*PerformancePreview, error) {
	p, good, err := s.checkContentFile(tx, imp)
	if err != nil {
		return nil, err
	}
	res, err := replaceContents(tx, good)
	if err != nil {
		return nil, err
	}
	p.Result = IngestResult{Inserted: res.Items, Updated: res.Weeks}
	upd := tx.Model(&PerformanceImport{}).Where("id = ? AND confirmed_at IS NULL", imp.ID).
		Updates(map[string]any{"confirmed_at": s.now().UTC(), "inserted": res.Items, "updated": res.Weeks, "failed": len(p.Problems)})
	if upd.Error != nil {
		return nil, upd.Error
	}
	if upd.RowsAffected != 1 {
		return nil, ErrImportConfirmed
	}
	p.Confirmed = true
	return p, appendAudit(tx, a, "performance.contents_import", "performance_import", imp.ID, nil,
		mergeMaps(map[string]any{"file": imp.Filename, "errors": len(p.Problems)}, contentAudit(res)))
}

// contentPositions numbers items by their index in the API's array.
func contentPositions(ins []ContentInput) []int {
	out := make([]int, len(ins))
	for i := range out {
		out[i] = i
	}
	return out
}
