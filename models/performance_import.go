package models

import (
	"bytes"
	"context"
	"encoding/csv"
	"sort"
	"time"

	"gorm.io/gorm"
)

// PerformanceCSVHeader is the header of a performance file. The refund
// columns (issue 16) are optional: a file without them imports with no refunds.
var PerformanceCSVHeader = []string{"account_id", "week", "videos", "live_sessions", "views", "orders", "gmv_fen", "refunded_orders", "refunded_gmv_fen"}

// performanceRequiredColumns are the columns every performance file has.
var performanceRequiredColumns = PerformanceCSVHeader[:7]

var performanceHeaderAliases = map[string]string{
	"creator_account_id": "account_id", "京东创作者账号": "account_id", "账号": "account_id",
	"周": "week", "视频数": "videos", "直播场次": "live_sessions", "播放量": "views", "订单数": "orders", "GMV（分）": "gmv_fen", "gmv": "gmv_fen",
	"退款订单数": "refunded_orders", "退款GMV（分）": "refunded_gmv_fen",
}

// UploadRow is one data row of an uploaded file with its line.
type UploadRow[In any] struct {
	Line   int
	Input  In
	Err    Msg               // a problem with the row's shape
	Header map[string]string // column name -> the file's own header for it (shared by all rows)
}

// PerformanceRow is one data row of a performance file with its line.
type PerformanceRow = UploadRow[PerformanceInput]

// performanceColumns maps a performance field (as the API names it) to the file's column.
var performanceColumns = map[string]string{"creator_account_id": "account_id"}

// NameColumns names the column in each message that names one as the
// file's header spells it (a Chinese alias, say).
func NameColumns(problems []RowProblem, header map[string]string) {
	for i, p := range problems {
		if p.Field == "" {
			continue
		}
		col := p.Field
		if c, ok := performanceColumns[col]; ok {
			col = c
		}
		if h, ok := header[col]; ok {
			col = h
		}
		problems[i] = p.inColumn(col)
	}
}

// ParsePerformanceCSV reads a performance file (UTF-8, BOM or GBK) within the upload limits.
func ParsePerformanceCSV(data []byte) ([]PerformanceRow, error) {
	return parsePerformanceCSV(data, MaxImportBytes, MaxImportRows)
}

// ParseLargePerformanceCSV reads a performance file of any practical size, for the command-line import.
func ParseLargePerformanceCSV(data []byte) ([]PerformanceRow, error) {
	return parsePerformanceCSV(data, 2<<30, 50_000_000)
}

func parsePerformanceCSV(data []byte, maxBytes, maxRows int) ([]PerformanceRow, error) {
	recs, err := readCSVWithin(data, PerformanceCSVHeader, performanceRequiredColumns, performanceHeaderAliases, maxBytes, maxRows)
	if err != nil {
		return nil, err
	}
	out := make([]PerformanceRow, len(recs))
	for i, r := range recs {
		out[i] = PerformanceRow{Line: r.Line, Err: r.Err, Header: r.names, Input: PerformanceInput{
			AccountID: r.Get("account_id"), Week: r.Get("week"), Videos: r.Get("videos"), LiveSessions: r.Get("live_sessions"),
			Views: r.Get("views"), Orders: r.Get("orders"), GMVFen: r.Get("gmv_fen"),
			RefundedOrders: r.Get("refunded_orders"), RefundedGMVFen: r.Get("refunded_gmv_fen"),
		}}
	}
	return out, nil
}

// SamplePerformanceCSV is the downloadable example file for last week; header
// labels the PerformanceCSVHeader columns (English names or accepted Chinese ones).
func SamplePerformanceCSV(now time.Time, header []string) []byte {
	week := WeekOf(now).Prev().String()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(header)
	_ = w.Write([]string{"jd_cr_100000", week, "3", "1", "120000", "310", "4599000", "12", "185000"})
	_ = w.Write([]string{"jd_cr_100001", week, "0", "2", "45000", "95", "1250000", "0", "0"})
	w.Flush()
	return b.Bytes()
}

// PerformanceImport is an uploaded performance file waiting to be confirmed.
type PerformanceImport struct {
	ID          uint   `gorm:"primaryKey"`
	UserID      uint   `gorm:"not null;index"`
	Filename    string `gorm:"size:200"`
	Kind        string `gorm:"size:16;not null;default:''"` // "" weekly performance, ImportKindContents content items
	Content     []byte `gorm:"not null"`
	CreatedAt   time.Time
	ConfirmedAt *time.Time
	Inserted    int
	Updated     int
	Failed      int
}

// PerformancePreview is the outcome of checking a performance file.
type PerformancePreview struct {
	ImportID  uint
	Kind      string // the upload's kind ("" weekly performance, ImportKindContents)
	Filename  string
	Rows      int
	OK        int
	Problems  []RowProblem // by line
	Confirmed bool
	Result    IngestResult
}

func (s *Store) checkPerformanceFile(tx *gorm.DB, imp *PerformanceImport) (*PerformancePreview, []WeeklyPerformance, error) {
	rows, err := ParsePerformanceCSV(imp.Content)
	if err != nil {
		return nil, nil, FieldErrors{"file": msgOf(err)}
	}
	return previewUpload(tx, imp, rows, s.now(), checkPerformance)
}

// previewUpload checks an upload's parsed rows: the rows' shape problems by
// line, then check's, the columns named as the file's header spells them;
// it returns the preview and the rows that passed.
func previewUpload[In, Out any](tx *gorm.DB, imp *PerformanceImport, rows []UploadRow[In], now time.Time,
	check func(*gorm.DB, []In, []int, time.Time) ([]Out, []RowProblem, error)) (*PerformancePreview, []Out, error) {
	p := &PerformancePreview{ImportID: imp.ID, Kind: imp.Kind, Filename: imp.Filename, Rows: len(rows), Confirmed: imp.ConfirmedAt != nil,
		Result: IngestResult{Inserted: imp.Inserted, Updated: imp.Updated}}
	inputs := make([]In, 0, len(rows))
	lines := make([]int, 0, len(rows))
	for _, r := range rows {
		if !r.Err.IsZero() {
			p.Problems = append(p.Problems, RowProblem{Row: r.Line, Msg: r.Err})
			continue
		}
		inputs = append(inputs, r.Input)
		lines = append(lines, r.Line)
	}
	good, problems, err := check(tx, inputs, lines, now)
	if err != nil {
		return nil, nil, err
	}
	if len(rows) > 0 {
		NameColumns(problems, rows[0].Header)
	}
	p.Problems = append(p.Problems, problems...)
	sortProblems(p.Problems)
	p.OK = len(good)
	return p, good, nil
}

func sortProblems(ps []RowProblem) {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Row < ps[j].Row })
}

// UploadPerformanceCSV stores a file (staff only) and returns its preview.
func (s *Store) UploadPerformanceCSV(ctx context.Context, a *Actor, filename string, data []byte) (*PerformancePreview, error) {
	if !a.IsStaff() {
		return nil, ErrForbidden
	}
	if _, err := ParsePerformanceCSV(data); err != nil {
		return nil, FieldErrors{"file": msgOf(err)}
	}
	imp := &PerformanceImport{UserID: a.UserID, Filename: filename, Content: data}
	if err := s.db.WithContext(ctx).Create(imp).Error; err != nil {
		return nil, err
	}
	return s.PreviewPerformanceImport(ctx, a, imp.ID)
}

func loadPerformanceImport(tx *gorm.DB, a *Actor, id uint) (*PerformanceImport, error) {
	var imp PerformanceImport
	if err := tx.Where("id = ? AND user_id = ?", id, a.UserID).First(&imp).Error; err != nil {
		return nil, notFound(err)
	}
	return &imp, nil
}

// PreviewPerformanceImport checks a stored upload without writing.
func (s *Store) PreviewPerformanceImport(ctx context.Context, a *Actor, id uint) (*PerformancePreview, error) {
	imp, err := loadPerformanceImport(s.r(ctx), a, id)
	if err != nil {
		return nil, err
	}
	if imp.Kind == ImportKindContents {
		p, _, err := s.checkContentFile(s.r(ctx), imp)
		return p, err
	}
	p, _, err := s.checkPerformanceFile(s.r(ctx), imp)
	return p, err
}

// ConfirmPerformanceImport upserts the good rows of an upload in one
// transaction; bad rows are reported and left out. Confirming twice does nothing.
func (s *Store) ConfirmPerformanceImport(ctx context.Context, a *Actor, id uint) (*PerformancePreview, error) {
	var p *PerformancePreview
	err := s.tx(ctx, func(tx *gorm.DB) error {
		imp, err := loadPerformanceImport(tx, a, id)
		if err != nil {
			return err
		}
		if imp.ConfirmedAt != nil {
			return ErrImportConfirmed
		}
		if imp.Kind == ImportKindContents {
			p, err = s.confirmContentFile(tx, a, imp)
			return err
		}
		var good []WeeklyPerformance
		if p, good, err = s.checkPerformanceFile(tx, imp); err != nil {
			return err
		}
		var log *ingestLog
		if p.Result, log, err = upsertPerformanceLogged(tx, a, "file:"+imp.Filename, good); err != nil {
			return err
		}
		res := tx.Model(&PerformanceImport{}).Where("id = ? AND confirmed_at IS NULL", imp.ID).
			Updates(map[string]any{"confirmed_at": s.now().UTC(), "inserted": p.Result.Inserted, "updated": p.Result.Updated, "failed": len(p.Problems)})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrImportConfirmed
		}
		p.Confirmed = true
		// The changed weeks before and after, up to auditChangedRows of them (see there).
		return appendAudit(tx, a, "performance.import", "performance_import", imp.ID, log.auditBefore(),
			log.auditAfter(map[string]any{"file": imp.Filename, "inserted": p.Result.Inserted, "updated": p.Result.Updated, "errors": len(p.Problems)}))
	})
	if err == nil {
		s.forgetRanks()
	}
	return p, err
}
