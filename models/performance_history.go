package models

import (
	"context"

	"gorm.io/gorm"
)

// FigureField names one figure of a week as pages and files show it.
type FigureField struct {
	Key   string // "videos", "gmv_fen", …; the catalogue labels it as column_<Key>
	Money bool   // in fen
}

// FigureFields are a week's figures in display order; net GMV is derived
// (GMV less refunds) and shown after the refunds.
var FigureFields = []FigureField{
	{Key: "videos"}, {Key: "live_sessions"}, {Key: "views"}, {Key: "orders"}, {Key: "gmv_fen", Money: true},
	{Key: "refunded_orders"}, {Key: "refunded_gmv_fen", Money: true}, {Key: "net_gmv_fen", Money: true},
}

// Value returns one figure by its FigureFields key (0 for an unknown key).
func (f Figures) Value(key string) int64 {
	switch key {
	case "videos":
		return f.Videos
	case "live_sessions":
		return f.LiveSessions
	case "views":
		return f.Views
	case "orders":
		return f.Orders
	case "gmv_fen":
		return f.GMVFen
	case "refunded_orders":
		return f.RefundedOrders
	case "refunded_gmv_fen":
		return f.RefundedGMVFen
	case "net_gmv_fen":
		return f.NetGMVFen()
	}
	return 0
}

// auditChangedRows bounds the changed rows an ingest's audit entry lists with
// their before and after. At programme scale one ingest may change 100,000
// weeks: the audit entry keeps the first auditChangedRows of them, how many
// there were and the range of revision ids they got; the performance_revisions
// table is the complete record (every row, before and after).
const auditChangedRows = 200

// weekFigures is one (creator, week)'s figures in an audit entry (nil
// figures: the week had none before this ingest).
type weekFigures struct {
	CreatorID uint     `json:"creator_id"`
	Week      string   `json:"week"`
	Figures   *Figures `json:"figures"`
}

// ingestLog gathers the revisions an ingest wrote, for its audit entry.
type ingestLog struct {
	revisions       int
	firstID, lastID uint
	before, after   []weekFigures
}

func (l *ingestLog) add(revs []PerformanceRevision) {
	for _, r := range revs {
		l.revisions++
		if l.firstID == 0 || r.ID < l.firstID {
			l.firstID = r.ID
		}
		l.lastID = max(l.lastID, r.ID)
		if len(l.after) >= auditChangedRows {
			continue
		}
		before, had, after := r.Figures()
		b := weekFigures{CreatorID: r.CreatorID, Week: r.Week}
		if had {
			b.Figures = &before
		}
		l.before = append(l.before, b)
		l.after = append(l.after, weekFigures{CreatorID: r.CreatorID, Week: r.Week, Figures: &after})
	}
}

// auditBefore is the audit entry's before: the changed weeks as they were (nil when none changed).
func (l *ingestLog) auditBefore() any {
	if len(l.before) == 0 {
		return nil
	}
	return map[string]any{"changed_weeks": l.before}
}

// auditAfter is the audit entry's after: what the caller counts, plus the
// changed weeks as they became, how many changed and their revision ids.
func (l *ingestLog) auditAfter(counts map[string]any) map[string]any {
	counts["revisions"] = l.revisions
	if l.revisions > 0 {
		counts["revision_ids"] = []uint{l.firstID, l.lastID}
		counts["changed_weeks"] = l.after
		if n := l.revisions - len(l.after); n > 0 {
			counts["changed_weeks_not_listed"] = n
		}
	}
	return counts
}

// WeekHistoryPageSize is how many revisions a page of a week's history lists.
const WeekHistoryPageSize = 20

// WeekHistory is one (creator, week)'s figures now and every revision that
// made them, newest first, a page at a time.
type WeekHistory struct {
	CreatorID uint
	Name      string // the creator's display name
	Week      WeekLabel
	Current   *Figures // nil when the week has no figures
	Untrusted bool     // rejected for a reason that distrusts it: out of the standings
	Revisions []PerformanceRevision
	Total     int64
	Page      Page
}

// WeekHistory reads a creator's week with its revisions. The actor must see
// the creator (staff: all; an MCN manager: their agency's; a creator: their
// own); otherwise, or for a week that is no week, ErrNotFound.
func (s *Store) WeekHistory(ctx context.Context, a *Actor, creatorID uint, week string, page Page) (*WeekHistory, error) {
	w, err := ParseWeek(week)
	if err != nil {
		return nil, ErrNotFound
	}
	db := s.r(ctx)
	var c Creator
	if err := scopeCreators(db.Model(&Creator{}), a).Select("creators.id, creators.display_name").
		Where("creators.id = ?", creatorID).First(&c).Error; err != nil {
		return nil, notFound(err)
	}
	h := &WeekHistory{CreatorID: c.ID, Name: c.DisplayName, Week: w, Page: page}
	var p WeeklyPerformance
	if err := db.Where("creator_id = ? AND week = ?", c.ID, w.String()).Limit(1).Find(&p).Error; err != nil {
		return nil, err
	}
	if p.ID != 0 {
		f := p.Figures()
		h.Current, h.Untrusted = &f, p.Untrusted
	}
	q := db.Model(&PerformanceRevision{}).Where("creator_id = ? AND week = ?", c.ID, w.String())
	if err := q.Count(&h.Total).Error; err != nil {
		return nil, err
	}
	err = q.Order("id DESC").Offset((page.Number - 1) * page.Size).Limit(page.Size).Find(&h.Revisions).Error
	return h, err
}

// upsertPerformanceLogged is upsertPerformance that also returns what it
// changed, for the ingest's audit entry.
func upsertPerformanceLogged(tx *gorm.DB, a *Actor, source string, rows []WeeklyPerformance) (IngestResult, *ingestLog, error) {
	log := &ingestLog{}
	res, err := upsertPerformanceWith(tx, a, source, rows, log)
	return res, log, err
}
