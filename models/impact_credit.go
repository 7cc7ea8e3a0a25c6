package models

import (
	"cmp"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// The weekly impact aggregates (issue 19). Each weekly row carries what it was
// credited under when it was first reported (CreditAgencyID, CreditSubjectID,
// CreditQualified on WeeklyPerformance), so a later change subtracts exactly
// what was added: a creator who moves agency leaves their past weeks with the
// agency that delivered them. Every change moves impact_weeks and
// impact_agency_weeks by its difference in its own transaction; untrusted
// weeks (issue 16) are left out.

// ImpactColumns are the stored figures of one key of an aggregate table.
type ImpactColumns struct {
	Creators        int64 `gorm:"not null;default:0"`
	Posted          int64 `gorm:"not null;default:0"`
	Qualified       int64 `gorm:"not null;default:0"`
	QualifiedPosted int64 `gorm:"not null;default:0"`
	Videos          int64 `gorm:"not null;default:0"`
	LiveSessions    int64 `gorm:"not null;default:0"`
	Views           int64 `gorm:"not null;default:0"`
	Orders          int64 `gorm:"not null;default:0"`
	GMVFen          int64 `gorm:"not null;default:0"`
	RefundedGMVFen  int64 `gorm:"not null;default:0"`
	BonusFen        int64 `gorm:"not null;default:0"`
	Bonuses         int64 `gorm:"not null;default:0"`
}

// ImpactWeekTotal is the programme's figures for one week and one subject area
// (the subject the creators had when each week was first reported).
type ImpactWeekTotal struct {
	Week          string `gorm:"primaryKey;size:8"`
	SubjectID     uint   `gorm:"primaryKey;autoIncrement:false"`
	ImpactColumns `gorm:"embedded"`
}

// TableName names the table.
func (ImpactWeekTotal) TableName() string { return "impact_weeks" }

// ImpactAgencyWeekTotal is one agency's figures for one week (AgencyID 0:
// creators without an agency). Its (agency, week) index serves one agency's range.
type ImpactAgencyWeekTotal struct {
	Week          string `gorm:"primaryKey;size:8;index:idx_impact_agency_weeks_agency,priority:2"`
	AgencyID      uint   `gorm:"primaryKey;autoIncrement:false;index:idx_impact_agency_weeks_agency,priority:1"`
	ImpactColumns `gorm:"embedded"`
}

// TableName names the table.
func (ImpactAgencyWeekTotal) TableName() string { return "impact_agency_weeks" }

var impactColumns = []string{"creators", "posted", "qualified", "qualified_posted", "videos", "live_sessions", "views", "orders",
	"gmv_fen", "refunded_gmv_fen", "bonus_fen", "bonuses"}

// impactKey is one row of an aggregate: a week and a subject area or agency.
type impactKey struct {
	week string
	id   uint
}

// impactDeltas is what a change adds to each aggregate row.
type impactDeltas struct {
	subjects map[impactKey]ImpactFigures
	agencies map[impactKey]ImpactFigures
}

func newImpactDeltas() *impactDeltas {
	return &impactDeltas{subjects: map[impactKey]ImpactFigures{}, agencies: map[impactKey]ImpactFigures{}}
}

// add adds f (times sign) under a week, subject area and agency.
func (d *impactDeltas) add(week string, subjectID, agencyID uint, f ImpactFigures, sign int64) {
	f = f.times(sign)
	s, a := d.subjects[impactKey{week, subjectID}], d.agencies[impactKey{week, agencyID}]
	s.add(f)
	a.add(f)
	d.subjects[impactKey{week, subjectID}], d.agencies[impactKey{week, agencyID}] = s, a
}

// addRow adds (sign 1) or takes away (sign -1) what a weekly row contributes.
func (d *impactDeltas) addRow(p WeeklyPerformance, sign int64) {
	if p.Untrusted {
		return
	}
	d.add(p.Week, p.CreditSubjectID, p.CreditAgencyID, rowFigures(p), sign)
}

// rowFigures is what one (trusted) weekly row contributes to its week.
func rowFigures(p WeeklyPerformance) ImpactFigures {
	f := ImpactFigures{Creators: 1, Videos: p.Videos, LiveSessions: p.LiveSessions, Views: p.Views, Orders: p.Orders,
		GMVFen: p.GMVFen, RefundedGMVFen: p.RefundedGMVFen}
	if p.Videos+p.LiveSessions > 0 {
		f.Posted = 1
	}
	if p.CreditQualified {
		f.Qualified, f.QualifiedPosted = 1, f.Posted
	}
	return f
}

func (f ImpactFigures) times(k int64) ImpactFigures {
	return ImpactFigures{f.Creators * k, f.Posted * k, f.Qualified * k, f.QualifiedPosted * k, f.Videos * k, f.LiveSessions * k,
		f.Views * k, f.Orders * k, f.GMVFen * k, f.RefundedGMVFen * k, f.BonusFen * k, f.Bonuses * k}
}

// apply adds the deltas to the stored aggregates: impact_weeks first, then
// impact_agency_weeks, each in key order. Under the audit chain's lock: the
// decisions that move the aggregates (approvals, rejections, qualifications,
// several in one transaction) have taken it by then for their audit entries,
// and a transaction that held aggregate rows while waiting for it would
// deadlock with them; taken first, it also orders every writer of the
// aggregates. Ingest therefore applies its deltas once, at its end.
func (d *impactDeltas) apply(tx *gorm.DB) error {
	if d.empty() {
		return nil
	}
	if err := advisoryLock(tx, lockKeyAuditChain); err != nil {
		return err
	}
	if err := upsertImpact(tx, "impact_weeks", "subject_id", d.subjects); err != nil {
		return err
	}
	return upsertImpact(tx, "impact_agency_weeks", "agency_id", d.agencies)
}

func (d *impactDeltas) empty() bool {
	for _, m := range []map[impactKey]ImpactFigures{d.subjects, d.agencies} {
		for _, f := range m {
			if f != (ImpactFigures{}) {
				return false
			}
		}
	}
	return true
}

func upsertImpact(tx *gorm.DB, table, idColumn string, deltas map[impactKey]ImpactFigures) error {
	keys := make([]impactKey, 0, len(deltas))
	for k, f := range deltas {
		if f != (ImpactFigures{}) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.SortFunc(keys, func(a, b impactKey) int { return cmp.Or(cmp.Compare(a.week, b.week), cmp.Compare(a.id, b.id)) })
	set := make(map[string]any, len(impactColumns))
	for _, c := range impactColumns {
		set[c] = gorm.Expr(table + "." + c + " + excluded." + c)
	}
	conflict := clause.OnConflict{Columns: []clause.Column{{Name: "week"}, {Name: idColumn}}, DoUpdates: clause.Assignments(set)}
	for _, part := range chunks(keys, 500) {
		rows := make([]map[string]any, 0, len(part))
		for _, k := range part {
			f := deltas[k]
			rows = append(rows, map[string]any{"week": k.week, idColumn: k.id, "creators": f.Creators, "posted": f.Posted,
				"qualified": f.Qualified, "qualified_posted": f.QualifiedPosted, "videos": f.Videos, "live_sessions": f.LiveSessions,
				"views": f.Views, "orders": f.Orders, "gmv_fen": f.GMVFen, "refunded_gmv_fen": f.RefundedGMVFen,
				"bonus_fen": f.BonusFen, "bonuses": f.Bonuses})
		}
		if err := tx.Table(table).Clauses(conflict).Create(rows).Error; err != nil {
			return err
		}
	}
	return nil
}

// creditCreator is what a weekly row is credited under, read from its creator.
type creditCreator struct {
	ID               uint
	AgencyID         *uint
	PrimarySubjectID uint
	QualifiedAt      *time.Time
}

// qualifiedIn reports whether a creator qualified at q counts as qualified in
// week: qualified before the week's end.
func qualifiedIn(q *time.Time, week string) bool {
	if q == nil {
		return false
	}
	w, err := ParseWeek(week)
	return err == nil && q.Before(w.End())
}

// credit is ingest's hook (called with the rows about to be upserted and the
// rows they replace, under the ingest lock): a new week is credited under its
// creator's agency, primary subject area and qualification now; a re-reported
// week keeps what it was first credited under, and the aggregates will move
// by the difference of its figures (apply, once at the end of the ingest). An
// untrusted week stays out.
func (d *impactDeltas) credit(tx *gorm.DB, before map[weekKey]WeeklyPerformance, rows []WeeklyPerformance) error {
	var fresh []uint
	for _, r := range rows {
		if _, replaced := before[weekKey{r.CreatorID, r.Week}]; !replaced {
			fresh = append(fresh, r.CreatorID)
		}
	}
	creators := map[uint]creditCreator{}
	for _, part := range chunks(dedupe(fresh), 500) {
		var cs []creditCreator
		if err := tx.Table("creators").Select("id, agency_id, primary_subject_id, qualified_at").Where("id IN ?", part).Scan(&cs).Error; err != nil {
			return err
		}
		for _, c := range cs {
			creators[c.ID] = c
		}
	}
	for i := range rows {
		r := &rows[i]
		if old, replaced := before[weekKey{r.CreatorID, r.Week}]; replaced {
			r.CreditAgencyID, r.CreditSubjectID, r.CreditQualified, r.Untrusted = old.CreditAgencyID, old.CreditSubjectID, old.CreditQualified, old.Untrusted
			d.addRow(old, -1)
			d.addRow(*r, 1)
			continue
		}
		c := creators[r.CreatorID]
		r.CreditAgencyID, r.CreditSubjectID, r.CreditQualified = 0, c.PrimarySubjectID, qualifiedIn(c.QualifiedAt, r.Week)
		if c.AgencyID != nil {
			r.CreditAgencyID = *c.AgencyID
		}
		d.addRow(*r, 1)
	}
	return nil
}

// creditImpactTrust is the distrust/re-trust hook: the week (as stored, with
// its credit) leaves the aggregates (sign -1) or comes back (sign 1).
func creditImpactTrust(tx *gorm.DB, p WeeklyPerformance, sign int64) error {
	p.Untrusted = false
	d := newImpactDeltas()
	d.addRow(p, sign)
	return d.apply(tx)
}

// creditImpactQualified is the qualification hook: the creator's weeks whose
// "qualified" credit changes with qualifiedAt are re-credited (their
// qualified counts move; nothing else does).
func creditImpactQualified(tx *gorm.DB, creatorID uint, qualifiedAt *time.Time) error {
	var rows []WeeklyPerformance
	if err := tx.Where("creator_id = ?", creatorID).Find(&rows).Error; err != nil { // idx_perf_creator_week: a year is 52 rows
		return err
	}
	d := newImpactDeltas()
	for _, r := range rows {
		want := qualifiedIn(qualifiedAt, r.Week)
		if r.CreditQualified == want {
			continue
		}
		if err := tx.Model(&WeeklyPerformance{}).Where("id = ?", r.ID).Update("credit_qualified", want).Error; err != nil {
			return err
		}
		d.addRow(r, -1)
		r.CreditQualified = want
		d.addRow(r, 1)
	}
	return d.apply(tx)
}

// creditImpactBonuses is the weekly approval hook: the bonuses approved in
// this transaction add their amounts under their own week, subject area and
// agency snapshots. One small upsert per table, keys sorted, while the pool
// is held; monthly agency bonuses are not weekly impact.
func creditImpactBonuses(tx *gorm.DB, kind bonusKind, ids []uint) error {
	if kind.table != weeklyBonuses.table {
		return nil
	}
	return creditImpactMoney(tx, ids, 1, func(part []uint) *gorm.DB {
		return tx.Table("bonuses").Select("week, subject_id, agency_id, amount_fen").Where("id IN ?", part)
	})
}

// creditImpactAdjustments is the adjustment approval hook: a top-up or
// clawback moves the bonus amount of its bonus's week, subject area and agency.
func creditImpactAdjustments(tx *gorm.DB, ids []uint) error {
	return creditImpactMoney(tx, ids, 0, func(part []uint) *gorm.DB {
		return tx.Table("bonus_adjustments AS j").Select("b.week, b.subject_id, b.agency_id, j.amount_fen").
			Joins("JOIN bonuses b ON b.id = j.bonus_id").Where("j.id IN ?", part)
	})
}

// creditImpactMoney adds amounts read by query (week, subject_id, agency_id,
// amount_fen of each id), each counting as bonuses approved.
func creditImpactMoney(tx *gorm.DB, ids []uint, bonuses int64, query func(part []uint) *gorm.DB) error {
	if len(ids) == 0 {
		return nil
	}
	var rows []struct {
		Week      string
		SubjectID uint
		AgencyID  *uint
		AmountFen int64
	}
	d := newImpactDeltas()
	for _, part := range chunks(ids, 500) {
		if err := query(part).Scan(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			d.add(r.Week, r.SubjectID, derefID(r.AgencyID), ImpactFigures{BonusFen: r.AmountFen, Bonuses: bonuses}, 1)
		}
	}
	return d.apply(tx)
}

func derefID(id *uint) uint {
	if id == nil {
		return 0
	}
	return *id
}
