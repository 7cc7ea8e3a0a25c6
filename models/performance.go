package models

import (
	"context"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// WeeklyPerformance is one creator's numbers for one CST ISO week. There is
// one row per (creator, week); every ingest is an upsert on that key.
type WeeklyPerformance struct {
	ID           uint   `gorm:"primaryKey"`
	CreatorID    uint   `gorm:"not null;uniqueIndex:idx_perf_creator_week,priority:1"`
	Week         string `gorm:"size:8;not null;uniqueIndex:idx_perf_creator_week,priority:2;index:idx_perf_week;index:idx_perf_credit_agency_week,priority:2"`
	Videos       int64  `gorm:"not null"`
	LiveSessions int64  `gorm:"not null"`
	Views        int64  `gorm:"not null"`
	Orders       int64  `gorm:"not null"`
	GMVFen       int64  `gorm:"not null"`
	// Refunds reported after the week (issue 16); the rule works on GMV less refunds.
	RefundedOrders int64 `gorm:"not null;default:0"`
	RefundedGMVFen int64 `gorm:"not null;default:0"`
	// Untrusted: the week's bonus was rejected for a reason that distrusts its
	// figures, so they leave the year-to-date totals.
	Untrusted bool `gorm:"not null;default:false"`
	// What the week was credited under in the impact figures when first
	// reported (issue 19, see impact_credit.go): the creator's agency (0: none)
	// and primary subject area then, and whether they were qualified by the
	// week's end. CreditSubjectID 0: not credited yet (rows loaded in bulk
	// before rebuildImpactWeeks).
	CreditAgencyID  uint `gorm:"not null;default:0;index:idx_perf_credit_agency_week,priority:1"`
	CreditSubjectID uint `gorm:"not null;default:0"`
	CreditQualified bool `gorm:"not null;default:false"`
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// PerformanceInput is one incoming row, from CSV (strings) or JSON (numbers
// already, formatted back to strings so both share one validation).
type PerformanceInput struct {
	AccountID    string
	Week         string
	Videos       string
	LiveSessions string
	Views        string
	Orders       string
	GMVFen       string
	// Refunds are optional: empty means none (files and feeds from before issue 16).
	RefundedOrders string
	RefundedGMVFen string
}

// validPerformance is a row that passed validation, not yet resolved to a creator.
type validPerformance struct {
	AccountID string
	Week      string
	Row       WeeklyPerformance
}

// maxCount bounds counts and money so sums over a year stay far from overflow.
const maxCount = 1_000_000_000_000

// Validate checks one row; now decides which weeks have started, and start
// is the programme's first week (see ProgrammeStartWeek): earlier weeks are refused.
func (in PerformanceInput) Validate(now time.Time, start WeekLabel) (validPerformance, FieldErrors) {
	fe := FieldErrors{}
	v := validPerformance{AccountID: strings.TrimSpace(in.AccountID)}
	if v.AccountID == "" {
		fe["creator_account_id"] = Msg{ID: "err_account_id_required"}
	}
	if w, err := ParseWeek(in.Week); err != nil {
		fe["week"] = msgOf(err)
	} else if w.Start().After(now) {
		fe["week"] = M("err_week_not_started", "Week", w.String())
	} else if w.Start().Before(start.Start()) {
		fe["week"] = M("err_week_before_start", "Week", w.String(), "Start", start.String())
	} else {
		v.Week = w.String()
	}
	num := func(field, s string) int64 {
		s = strings.TrimSpace(s)
		if s == "" {
			fe[field] = M("err_column_required", "Column", field)
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 || n > maxCount {
			fe[field] = M("err_column_count", "Column", field, "Max", int64(maxCount), "Value", s)
			return 0
		}
		return n
	}
	optional := func(field, s string) int64 {
		if strings.TrimSpace(s) == "" {
			return 0
		}
		return num(field, s)
	}
	v.Row = WeeklyPerformance{
		Videos: num("videos", in.Videos), LiveSessions: num("live_sessions", in.LiveSessions),
		Views: num("views", in.Views), Orders: num("orders", in.Orders), GMVFen: num("gmv_fen", in.GMVFen),
		RefundedOrders: optional("refunded_orders", in.RefundedOrders), RefundedGMVFen: optional("refunded_gmv_fen", in.RefundedGMVFen),
	}
	// Refunds cannot exceed what they refund (checked only when both figures read).
	if _, bad := fe["refunded_orders"]; !bad && fe["orders"].IsZero() && v.Row.RefundedOrders > v.Row.Orders {
		fe["refunded_orders"] = M("err_refunded_orders_exceed", "Column", "refunded_orders", "Refunded", v.Row.RefundedOrders, "Orders", v.Row.Orders)
	}
	if _, bad := fe["refunded_gmv_fen"]; !bad && fe["gmv_fen"].IsZero() && v.Row.RefundedGMVFen > v.Row.GMVFen {
		fe["refunded_gmv_fen"] = M("err_refunded_gmv_exceed", "Column", "refunded_gmv_fen", "Refunded", Fen(v.Row.RefundedGMVFen), "GMV", Fen(v.Row.GMVFen))
	}
	v.Row.Week = v.Week
	return v, fe
}

// RowProblem is a problem with one row of a batch, by its position.
type RowProblem struct {
	Row    int    // 0-based index for the API, line number for files
	Field  string // the field at fault, when there is one (as the API names it)
	Column string // for files: the file's own header for the field, when the report names it before the message
	Msg    Msg    // what is wrong; an argument "Column" names the column inside the message
}

// inColumn names the column in a message that names it ("videos must be a
// whole number") as a file's header spells it.
func (p RowProblem) inColumn(header string) RowProblem {
	if _, ok := p.Msg.Args["Column"]; ok {
		args := make(map[string]any, len(p.Msg.Args))
		for k, v := range p.Msg.Args {
			args[k] = v
		}
		args["Column"] = header
		p.Msg.Args = args
	}
	return p
}

// IngestResult counts what an ingest wrote.
type IngestResult struct {
	Inserted int `json:"inserted"`
	Updated  int `json:"updated"`
	Contents int `json:"contents,omitempty"` // content items written with the rows
}

// checkPerformance validates rows and resolves account IDs. positions gives
// each row's number for error reports (API index or file line).
func checkPerformance(tx *gorm.DB, rows []PerformanceInput, positions []int, now time.Time) ([]WeeklyPerformance, []RowProblem, error) {
	start, err := programmeStartWeek(tx)
	if err != nil {
		return nil, nil, err
	}
	var errs []RowProblem
	valid := make([]validPerformance, 0, len(rows))
	validPos := make([]int, 0, len(rows))
	seen := map[string]int{}
	var accounts []string
	for i, in := range rows {
		v, fe := in.Validate(now, start)
		if len(fe) > 0 {
			for _, f := range sortedKeys(fe) {
				errs = append(errs, RowProblem{Row: positions[i], Field: f, Msg: fe[f]})
			}
			continue
		}
		key := AccountKey(v.AccountID) + "|" + v.Week
		if first, dup := seen[key]; dup {
			errs = append(errs, RowProblem{Row: positions[i], Field: "creator_account_id", Msg: M("err_perf_repeats_row", "Account", v.AccountID, "Week", v.Week, "N", first)})
			continue
		}
		seen[key] = positions[i]
		valid = append(valid, v)
		validPos = append(validPos, positions[i])
		accounts = append(accounts, AccountKey(v.AccountID))
	}
	// Resolved by account key: a feed that writes "JD_CR_1" updates the creator enrolled as "jd_cr_1".
	ids := map[string]uint{}
	for _, chunk := range chunks(accounts, 500) {
		var cs []Creator
		if err := tx.Select("id, account_key").Where("account_key IN ?", chunk).Find(&cs).Error; err != nil {
			return nil, nil, err
		}
		for _, c := range cs {
			ids[c.AccountKey] = c.ID
		}
	}
	out := make([]WeeklyPerformance, 0, len(valid))
	for i, v := range valid {
		id, ok := ids[AccountKey(v.AccountID)]
		if !ok {
			errs = append(errs, RowProblem{Row: validPos[i], Field: "creator_account_id", Msg: M("err_no_creator_with_account", "Account", v.AccountID)})
			continue
		}
		v.Row.CreatorID = id
		out = append(out, v.Row)
	}
	return out, errs, nil
}

type weekKey struct {
	creatorID uint
	week      string
}

// upsertPerformance writes rows keyed by (creator, week), counts inserts and
// updates, and moves the creators' year totals by what changed.
func upsertPerformance(tx *gorm.DB, a *Actor, source string, rows []WeeklyPerformance) (IngestResult, error) {
	return upsertPerformanceWith(tx, a, source, rows, &ingestLog{})
}

// upsertPerformanceWith is upsertPerformance noting the revisions it writes in log.
func upsertPerformanceWith(tx *gorm.DB, a *Actor, source string, rows []WeeklyPerformance, log *ingestLog) (IngestResult, error) {
	var res IngestResult
	// Year totals move by the difference to the rows read below; concurrent
	// ingests must not both read the same old rows. (SQLite has one writer.)
	if err := advisoryLock(tx, lockKeyPerformanceIngest); err != nil {
		return res, err
	}
	impact := newImpactDeltas() // the impact aggregates' change (issue 19), applied once at the end
	const batch = 500
	for start := 0; start < len(rows); start += batch {
		part := rows[start:min(start+batch, len(rows))]
		byWeek := map[string][]uint{}
		for _, r := range part {
			byWeek[r.Week] = append(byWeek[r.Week], r.CreatorID)
		}
		before := map[weekKey]WeeklyPerformance{}
		for week, creators := range byWeek {
			var old []WeeklyPerformance
			if err := tx.Where("week = ? AND creator_id IN ?", week, creators).Find(&old).Error; err != nil {
				return res, err
			}
			for _, o := range old {
				before[weekKey{o.CreatorID, o.Week}] = o
			}
		}
		now := nowOf(tx).UTC()
		for i := range part {
			part[i].CreatedAt, part[i].UpdatedAt, part[i].ID = now, now, 0
		}
		if err := impact.credit(tx, before, part); err != nil {
			return res, err
		}
		err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "creator_id"}, {Name: "week"}},
			DoUpdates: clause.AssignmentColumns([]string{"videos", "live_sessions", "views", "orders", "gmv_fen", "refunded_orders", "refunded_gmv_fen", "updated_at"}),
		}).Create(&part).Error
		if err != nil {
			return res, err
		}
		revs, err := recordRevisions(tx, a, source, before, part)
		if err != nil {
			return res, err
		}
		log.add(revs)
		if err := addYearTotals(tx, yearDeltas(before, part)); err != nil {
			return res, err
		}
		if err := upliftAfterIngest(tx, before, part); err != nil {
			return res, err
		}
		res.Updated += len(before)
		res.Inserted += len(part) - len(before)
	}
	return res, impact.apply(tx)
}

// IngestPerformance validates and upserts a whole batch, all or nothing: any
// row error leaves the database untouched and returns every problem. The
// week's content items may come with it (the API's "contents"; problems with
// them are named "contents[i].field").
func (s *Store) IngestPerformance(ctx context.Context, a *Actor, source string, rows []PerformanceInput, contents ...ContentInput) (IngestResult, []RowProblem, error) {
	positions := make([]int, len(rows))
	for i := range positions {
		positions[i] = i
	}
	var res IngestResult
	var rowErrs []RowProblem
	err := s.tx(ctx, func(tx *gorm.DB) error {
		good, errs, err := checkPerformance(tx, rows, positions, s.now())
		if err != nil {
			return err
		}
		items, contentErrs, err := checkContents(tx, contents, contentPositions(contents), s.now())
		if err != nil {
			return err
		}
		if errs = append(errs, ContentPaths(contentErrs)...); len(errs) > 0 {
			rowErrs = errs
			return nil
		}
		var log *ingestLog
		if res, log, err = upsertPerformanceLogged(tx, a, source, good); err != nil {
			return err
		}
		cres, err := replaceContents(tx, items)
		if err != nil {
			return err
		}
		res.Contents = cres.Items
		after := map[string]any{"source": source, "rows": len(rows), "inserted": res.Inserted, "updated": res.Updated}
		if len(contents) > 0 {
			after = mergeMaps(after, contentAudit(cres))
		}
		// The changed weeks before and after, up to auditChangedRows of them (see there).
		return appendAudit(tx, a, "performance.ingest", "performance", 0, log.auditBefore(), log.auditAfter(after))
	})
	if err == nil && len(rowErrs) == 0 {
		s.forgetRanks()
	}
	return res, rowErrs, err
}

// PerformanceOf lists a creator's weeks, newest first.
func (s *Store) PerformanceOf(ctx context.Context, creatorID uint, limit int) ([]WeeklyPerformance, error) {
	var out []WeeklyPerformance
	err := s.r(ctx).Where("creator_id = ?", creatorID).Order("week DESC").Limit(limit).Find(&out).Error
	return out, err
}

// CheckPerformance validates rows against the rules and the database without
// writing; positions number the rows in error reports.
func (s *Store) CheckPerformance(ctx context.Context, rows []PerformanceInput, positions []int) ([]RowProblem, error) {
	_, problems, err := checkPerformance(s.r(ctx), rows, positions, s.now())
	return problems, err
}

// CountPerformanceRows counts stored weekly rows (for checks and reports).
func (s *Store) CountPerformanceRows(ctx context.Context) (int64, error) {
	var n int64
	return n, s.r(ctx).Model(&WeeklyPerformance{}).Count(&n).Error
}
