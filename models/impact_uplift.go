package models

import (
	"cmp"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// The uplift after qualifying (issue 19) is read from small aggregates that
// every change to what they sum moves in its own transaction: ingest (rows
// inside a creator's windows), distrust and re-trust of a week, and
// qualification. A request never sums weekly rows.

// CreatorUplift is one qualified creator's four weeks before and four weeks
// after their qualifying week (Week, the CST week of qualified_at; Week itself
// is mixed and left out). SubjectID and AgencyID are a snapshot of the
// creator's primary subject area and agency when they qualified, so later
// changes do not move past figures. GMV is net of refunds, as the bonus rule
// reads it; untrusted weeks (issue 16) do not count. Creators is always 1, so
// cohorts are plain sums of these rows.
type CreatorUplift struct {
	CreatorID uint   `gorm:"primaryKey;autoIncrement:false"`
	Week      string `gorm:"size:8;not null"`
	FirstWeek string `gorm:"size:8;not null"` // Week - UpliftWindow
	LastWeek  string `gorm:"size:8;not null"` // Week + UpliftWindow
	SubjectID uint   `gorm:"not null"`
	AgencyID  uint   `gorm:"not null"` // 0: qualified without an agency
	UpliftFigures
}

// UpliftSubjectCohort sums the creators who qualified in one week with one
// primary subject area (about 20 × weeks rows): the programme-wide and
// subject-filtered uplift read it.
type UpliftSubjectCohort struct {
	Week      string `gorm:"primaryKey;size:8"`
	SubjectID uint   `gorm:"primaryKey;autoIncrement:false"`
	UpliftFigures
}

// UpliftAgencyCohort sums the creators who qualified in one week with one
// agency and subject area (at most one row per qualified creator, far fewer in
// practice): an agency's uplift reads its own rows by the primary key, the
// staff's agency ranking reads a range of weeks by idx_uplift_agency_week (or
// idx_uplift_agency_subject with a subject filter).
type UpliftAgencyCohort struct {
	AgencyID  uint   `gorm:"primaryKey;autoIncrement:false"`
	Week      string `gorm:"primaryKey;size:8;index:idx_uplift_agency_week;index:idx_uplift_agency_subject,priority:2"`
	SubjectID uint   `gorm:"primaryKey;autoIncrement:false;index:idx_uplift_agency_subject,priority:1"`
	UpliftFigures
}

// addWeeks moves a week label n weeks (n may be negative).
func addWeeks(w WeekLabel, n int) WeekLabel { return WeekOf(w.Start().AddDate(0, 0, 7*n)) }

// plus adds o to u.
func (u *UpliftFigures) plus(o UpliftFigures, sign int64) {
	u.Creators += sign * o.Creators
	u.BeforeVideos += sign * o.BeforeVideos
	u.BeforeLiveSessions += sign * o.BeforeLiveSessions
	u.BeforeGMVFen += sign * o.BeforeGMVFen
	u.AfterVideos += sign * o.AfterVideos
	u.AfterLiveSessions += sign * o.AfterLiveSessions
	u.AfterGMVFen += sign * o.AfterGMVFen
}

func (u UpliftFigures) isZero() bool { return u == UpliftFigures{} }

// windowFigures is what one weekly row adds to a creator's uplift (zero when
// the week is outside their windows or is the qualifying week).
func (c *CreatorUplift) windowFigures(p WeeklyPerformance, sign int64) UpliftFigures {
	var u UpliftFigures
	net := p.GMVFen - p.RefundedGMVFen
	switch {
	case p.Week >= c.FirstWeek && p.Week < c.Week:
		u.BeforeVideos, u.BeforeLiveSessions, u.BeforeGMVFen = sign*p.Videos, sign*p.LiveSessions, sign*net
	case p.Week > c.Week && p.Week <= c.LastWeek:
		u.AfterVideos, u.AfterLiveSessions, u.AfterGMVFen = sign*p.Videos, sign*p.LiveSessions, sign*net
	}
	return u
}

// upliftDeltas collects changes to creators' uplifts and their cohorts.
type upliftDeltas struct {
	creators map[uint]CreatorUplift
}

func newUpliftDeltas() *upliftDeltas { return &upliftDeltas{creators: map[uint]CreatorUplift{}} }

// add moves the creator's row (c's keys) by u.
func (d *upliftDeltas) add(c CreatorUplift, u UpliftFigures) {
	if u.isZero() {
		return
	}
	cur, ok := d.creators[c.CreatorID]
	if !ok {
		cur = c
		cur.UpliftFigures = UpliftFigures{}
	}
	cur.plus(u, 1)
	d.creators[c.CreatorID] = cur
}

var upliftSumColumns = []string{"creators", "before_videos", "before_live_sessions", "before_gmv_fen", "after_videos", "after_live_sessions", "after_gmv_fen"}

// addingColumns is "col = table.col + excluded.col" for every sum.
func addingColumns(table string) clause.Set {
	m := map[string]any{}
	for _, c := range upliftSumColumns {
		m[c] = gorm.Expr(table + "." + c + " + excluded." + c)
	}
	return clause.Assignments(m)
}

// apply adds the deltas to creator_uplifts and both cohort tables with
// atomic upserts, keys sorted so concurrent writers lock rows in one order.
// Creator rows must exist (made at qualification); the upsert only adds.
func (d *upliftDeltas) apply(tx *gorm.DB) error {
	if len(d.creators) == 0 {
		return nil
	}
	creators := make([]CreatorUplift, 0, len(d.creators))
	subjects := map[[2]any]*UpliftSubjectCohort{}
	agencies := map[[3]any]*UpliftAgencyCohort{}
	for _, c := range d.creators {
		creators = append(creators, c)
		sk := [2]any{c.Week, c.SubjectID}
		if subjects[sk] == nil {
			subjects[sk] = &UpliftSubjectCohort{Week: c.Week, SubjectID: c.SubjectID}
		}
		subjects[sk].plus(c.UpliftFigures, 1)
		ak := [3]any{c.AgencyID, c.Week, c.SubjectID}
		if agencies[ak] == nil {
			agencies[ak] = &UpliftAgencyCohort{AgencyID: c.AgencyID, Week: c.Week, SubjectID: c.SubjectID}
		}
		agencies[ak].plus(c.UpliftFigures, 1)
	}
	slices.SortFunc(creators, func(a, b CreatorUplift) int { return cmp.Compare(a.CreatorID, b.CreatorID) })
	subjectRows := make([]UpliftSubjectCohort, 0, len(subjects))
	for _, r := range subjects {
		subjectRows = append(subjectRows, *r)
	}
	slices.SortFunc(subjectRows, func(a, b UpliftSubjectCohort) int {
		return cmp.Or(cmp.Compare(a.Week, b.Week), cmp.Compare(a.SubjectID, b.SubjectID))
	})
	agencyRows := make([]UpliftAgencyCohort, 0, len(agencies))
	for _, r := range agencies {
		agencyRows = append(agencyRows, *r)
	}
	slices.SortFunc(agencyRows, func(a, b UpliftAgencyCohort) int {
		return cmp.Or(cmp.Compare(a.AgencyID, b.AgencyID), cmp.Compare(a.Week, b.Week), cmp.Compare(a.SubjectID, b.SubjectID))
	})
	if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "creator_id"}}, DoUpdates: addingColumns("creator_uplifts")}).
		CreateInBatches(&creators, 500).Error; err != nil {
		return err
	}
	if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "week"}, {Name: "subject_id"}}, DoUpdates: addingColumns("uplift_subject_cohorts")}).
		CreateInBatches(&subjectRows, 500).Error; err != nil {
		return err
	}
	return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "agency_id"}, {Name: "week"}, {Name: "subject_id"}}, DoUpdates: addingColumns("uplift_agency_cohorts")}).
		CreateInBatches(&agencyRows, 500).Error
}

// upliftAfterIngest is the ingest hook (upsertPerformanceWith, under the
// ingest lock): rows replacing before move the uplifts of the creators whose
// windows hold them by the difference, and mark the subject areas' weeks
// whose medians they change. An untrusted week stays out whatever its new figures.
func upliftAfterIngest(tx *gorm.DB, before map[weekKey]WeeklyPerformance, rows []WeeklyPerformance) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]uint, 0, len(rows))
	for _, r := range rows {
		ids = append(ids, r.CreatorID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	var found []struct {
		ID               uint
		PrimarySubjectID uint
		Uplift           *uint `gorm:"column:uplift_creator"`
		CreatorUplift
	}
	if err := tx.Table("creators c").
		Select("c.id, c.primary_subject_id, u.creator_id AS uplift_creator, u.week, u.first_week, u.last_week, u.subject_id, u.agency_id").
		Joins("LEFT JOIN creator_uplifts u ON u.creator_id = c.id").Where("c.id IN ?", ids).Scan(&found).Error; err != nil {
		return err
	}
	windows := map[uint]*CreatorUplift{}
	subjects := map[uint]uint{}
	for i := range found {
		f := &found[i]
		subjects[f.ID] = f.PrimarySubjectID
		if f.Uplift != nil {
			f.CreatorUplift.CreatorID = f.ID
			windows[f.ID] = &f.CreatorUplift
		}
	}
	d := newUpliftDeltas()
	var medianWeeks []subjectWeek
	for _, r := range rows {
		old, replaced := before[weekKey{r.CreatorID, r.Week}]
		if replaced && old.Untrusted {
			continue
		}
		medianWeeks = append(medianWeeks, subjectWeek{subjects[r.CreatorID], r.Week})
		if c := windows[r.CreatorID]; c != nil {
			u := c.windowFigures(r, 1)
			if replaced {
				u.plus(c.windowFigures(old, 1), -1)
			}
			d.add(*c, u)
		}
	}
	if err := d.apply(tx); err != nil {
		return err
	}
	return touchMedians(tx, medianWeeks)
}

// upliftOnTrust is the hook of distrusting (sign -1) or re-trusting (+1) a
// week p: its figures leave or rejoin the creator's uplift and the medians.
func upliftOnTrust(tx *gorm.DB, p WeeklyPerformance, sign int64) error {
	var found []struct {
		PrimarySubjectID uint
		Uplift           *uint `gorm:"column:uplift_creator"`
		CreatorUplift
	}
	if err := tx.Table("creators c").
		Select("c.primary_subject_id, u.creator_id AS uplift_creator, u.week, u.first_week, u.last_week, u.subject_id, u.agency_id").
		Joins("LEFT JOIN creator_uplifts u ON u.creator_id = c.id").Where("c.id = ?", p.CreatorID).Scan(&found).Error; err != nil || len(found) == 0 {
		return err
	}
	f := found[0]
	if f.Uplift != nil {
		f.CreatorUplift.CreatorID = p.CreatorID
		d := newUpliftDeltas()
		d.add(f.CreatorUplift, f.CreatorUplift.windowFigures(p, sign))
		if err := d.apply(tx); err != nil {
			return err
		}
	}
	return touchMedians(tx, []subjectWeek{{f.PrimarySubjectID, p.Week}})
}

// refreshCreatorUplift is the qualification hook (creator_state.go, after
// qualified_at is set): the creator's uplift row is rebuilt from their
// qualifying moment, moving them out of the cohort they were in (a
// re-qualification) and into the one they qualify in now.
func refreshCreatorUplift(tx *gorm.DB, creatorID uint) error {
	// The ingest lock: an ingest that read no uplift row for this creator must
	// not commit rows in the window after this reads them.
	if err := advisoryLock(tx, lockKeyPerformanceIngest); err != nil {
		return err
	}
	var old []CreatorUplift
	if err := tx.Where("creator_id = ?", creatorID).Limit(1).Find(&old).Error; err != nil {
		return err
	}
	var c Creator
	if err := tx.Select("id, primary_subject_id, qualified_at, qualified_agency_id").First(&c, creatorID).Error; err != nil {
		return err
	}
	if len(old) == 1 {
		o := old[0]
		if err := tx.Delete(&CreatorUplift{}, "creator_id = ?", creatorID).Error; err != nil {
			return err
		}
		moved := o.UpliftFigures
		o.UpliftFigures = UpliftFigures{}
		o.plus(moved, -1)
		if err := cohortsAdd(tx, o); err != nil {
			return err
		}
		if err := tx.Where("week = ? AND subject_id = ? AND creators = 0", o.Week, o.SubjectID).Delete(&UpliftSubjectCohort{}).Error; err != nil {
			return err
		}
		if err := tx.Where("agency_id = ? AND week = ? AND subject_id = ? AND creators = 0", o.AgencyID, o.Week, o.SubjectID).Delete(&UpliftAgencyCohort{}).Error; err != nil {
			return err
		}
	}
	if c.QualifiedAt == nil {
		return nil
	}
	u := newCreatorUplift(c.ID, *c.QualifiedAt, c.PrimarySubjectID, c.QualifiedAgencyID)
	var rows []WeeklyPerformance
	if err := tx.Where("creator_id = ? AND week >= ? AND week <= ? AND untrusted = ?", c.ID, u.FirstWeek, u.LastWeek, false).Find(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		u.plus(u.windowFigures(r, 1), 1)
	}
	if err := tx.Create(&u).Error; err != nil {
		return err
	}
	return cohortsAdd(tx, u)
}

// cohortsAdd adds one creator row (its sums and Creators) to both cohorts.
func cohortsAdd(tx *gorm.DB, c CreatorUplift) error {
	if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "week"}, {Name: "subject_id"}}, DoUpdates: addingColumns("uplift_subject_cohorts")}).
		Create(&UpliftSubjectCohort{Week: c.Week, SubjectID: c.SubjectID, UpliftFigures: c.UpliftFigures}).Error; err != nil {
		return err
	}
	return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "agency_id"}, {Name: "week"}, {Name: "subject_id"}}, DoUpdates: addingColumns("uplift_agency_cohorts")}).
		Create(&UpliftAgencyCohort{AgencyID: c.AgencyID, Week: c.Week, SubjectID: c.SubjectID, UpliftFigures: c.UpliftFigures}).Error
}

// newCreatorUplift is a creator's empty uplift row for qualifying at q.
func newCreatorUplift(id uint, q time.Time, subjectID uint, agencyID *uint) CreatorUplift {
	w := WeekOf(q)
	u := CreatorUplift{CreatorID: id, Week: w.String(), FirstWeek: addWeeks(w, -UpliftWindow).String(), LastWeek: addWeeks(w, UpliftWindow).String(),
		SubjectID: subjectID, UpliftFigures: UpliftFigures{Creators: 1}}
	if agencyID != nil {
		u.AgencyID = *agencyID
	}
	return u
}

// rebuildUplift recomputes the uplift tables from the creators and their
// weekly rows: after a bulk load, after the demo seed (which backdates
// qualified_at with raw SQL) and once when the tables are introduced. A
// creator whose row already has their qualifying week keeps its subject area
// (the snapshot taken when they qualified); others get their primary one.
func rebuildUplift(tx *gorm.DB) error {
	var kept []CreatorUplift
	if err := tx.Select("creator_id, week, subject_id").Find(&kept).Error; err != nil {
		return err
	}
	snapshot := make(map[uint]CreatorUplift, len(kept))
	for _, k := range kept {
		snapshot[k.CreatorID] = k
	}
	var cs []Creator
	if err := tx.Select("id, primary_subject_id, qualified_at, qualified_agency_id").Where("qualified_at IS NOT NULL").Order("id").Find(&cs).Error; err != nil {
		return err
	}
	rows := make([]CreatorUplift, 0, len(cs))
	for _, c := range cs {
		u := newCreatorUplift(c.ID, *c.QualifiedAt, c.PrimarySubjectID, c.QualifiedAgencyID)
		if k, ok := snapshot[c.ID]; ok && k.Week == u.Week {
			u.SubjectID = k.SubjectID
		}
		rows = append(rows, u)
	}
	for _, t := range []string{"creator_uplifts", "uplift_subject_cohorts", "uplift_agency_cohorts"} {
		if err := tx.Exec("DELETE FROM " + t).Error; err != nil {
			return err
		}
	}
	if len(rows) > 0 {
		if err := tx.CreateInBatches(&rows, 1000).Error; err != nil {
			return err
		}
	}
	var sums []CreatorUplift
	if err := tx.Raw(`SELECT u.creator_id,
		SUM(CASE WHEN p.week < u.week THEN p.videos ELSE 0 END) AS before_videos,
		SUM(CASE WHEN p.week < u.week THEN p.live_sessions ELSE 0 END) AS before_live_sessions,
		SUM(CASE WHEN p.week < u.week THEN p.gmv_fen - p.refunded_gmv_fen ELSE 0 END) AS before_gmv_fen,
		SUM(CASE WHEN p.week > u.week THEN p.videos ELSE 0 END) AS after_videos,
		SUM(CASE WHEN p.week > u.week THEN p.live_sessions ELSE 0 END) AS after_live_sessions,
		SUM(CASE WHEN p.week > u.week THEN p.gmv_fen - p.refunded_gmv_fen ELSE 0 END) AS after_gmv_fen
		FROM creator_uplifts u JOIN weekly_performances p ON p.creator_id = u.creator_id
		WHERE p.week >= u.first_week AND p.week <= u.last_week AND p.week <> u.week AND p.untrusted = ?
		GROUP BY u.creator_id ORDER BY u.creator_id`, false).Scan(&sums).Error; err != nil {
		return err
	}
	if len(sums) > 0 {
		at := make(map[uint]int, len(rows))
		for i, r := range rows {
			at[r.CreatorID] = i
		}
		full := make([]CreatorUplift, 0, len(sums))
		for _, s := range sums {
			r := rows[at[s.CreatorID]]
			s.Creators = 1
			r.UpliftFigures = s.UpliftFigures
			full = append(full, r)
		}
		set := map[string]any{}
		for _, c := range upliftSumColumns[1:] {
			set[c] = gorm.Expr("excluded." + c)
		}
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "creator_id"}}, DoUpdates: clause.Assignments(set)}).
			CreateInBatches(&full, 1000).Error; err != nil {
			return err
		}
	}
	sum := "SUM(creators), SUM(before_videos), SUM(before_live_sessions), SUM(before_gmv_fen), SUM(after_videos), SUM(after_live_sessions), SUM(after_gmv_fen)"
	cols := "creators, before_videos, before_live_sessions, before_gmv_fen, after_videos, after_live_sessions, after_gmv_fen"
	if err := tx.Exec("INSERT INTO uplift_subject_cohorts (week, subject_id, " + cols + ") SELECT week, subject_id, " + sum +
		" FROM creator_uplifts GROUP BY week, subject_id").Error; err != nil {
		return err
	}
	return tx.Exec("INSERT INTO uplift_agency_cohorts (agency_id, week, subject_id, " + cols + ") SELECT agency_id, week, subject_id, " + sum +
		" FROM creator_uplifts GROUP BY agency_id, week, subject_id").Error
}

// refreshUpliftOn is decideCreator's hook: a qualification (a first one or a
// re-qualification) puts the creator in the cohort of their qualifying week.
func refreshUpliftOn(tx *gorm.DB, action CreatorAction, creatorID uint) error {
	if action != ActionQualify {
		return nil
	}
	return refreshCreatorUplift(tx, creatorID)
}
