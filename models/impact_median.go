package models

import (
	"cmp"
	"context"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Medians of a subject area's week (issue 19: a creator's own weeks against
// their subject area's). A median does not move by deltas, and /me is the most
// visited page: recomputing 5,000 rows per subject and week per request, or
// memoising with counted (forgotten on every write anywhere), would re-read
// them all the time. So each (subject, week) keeps its medians in a small
// table (20 subjects × weeks rows, read by its primary key) with a version:
// ingest and (dis)trust bump the version of the weeks they touch (a cheap
// upsert of at most 20 rows per batch, not a recomputation, since the API
// delivers a week in hundreds of batches), and the first read of a stale week
// recomputes it once from the weekly rows and stores it if the version is
// still the one it read. A changed primary subject area moves no version:
// stored medians are also recomputed after medianMaxAge.
type SubjectWeekMedian struct {
	SubjectID          uint   `gorm:"primaryKey;autoIncrement:false"`
	Week               string `gorm:"primaryKey;size:8"`
	Version            int64  `gorm:"not null"` // bumped by every change of the week's rows
	ComputedVersion    int64  `gorm:"not null"` // the version the medians below were computed at; -1: never
	Creators           int64  `gorm:"not null"`
	MedianVideos       int64  `gorm:"not null"`
	MedianLiveSessions int64  `gorm:"not null"`
	MedianGMVFen       int64  `gorm:"not null"`
	ComputedAt         time.Time
}

// medianMaxAge bounds how long stored medians are trusted without a version
// change (creators who change primary subject area move no version).
const medianMaxAge = time.Hour

type subjectWeek struct {
	subjectID uint
	week      string
}

// touchMedians bumps the versions of (subject, week) pairs, keys sorted.
func touchMedians(tx *gorm.DB, pairs []subjectWeek) error {
	slices.SortFunc(pairs, func(a, b subjectWeek) int {
		return cmp.Or(cmp.Compare(a.subjectID, b.subjectID), cmp.Compare(a.week, b.week))
	})
	pairs = slices.Compact(pairs)
	if len(pairs) == 0 {
		return nil
	}
	rows := make([]SubjectWeekMedian, len(pairs))
	for i, p := range pairs {
		rows[i] = SubjectWeekMedian{SubjectID: p.subjectID, Week: p.week, Version: 1, ComputedVersion: -1}
	}
	return tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "subject_id"}, {Name: "week"}},
		DoUpdates: clause.Assignments(map[string]any{"version": gorm.Expr("subject_week_medians.version + 1")}),
	}).Create(&rows).Error
}

// subjectMedian is the median of values (sorted in place), zero for none.
// With an even count it is the lower of the two middle values, as the risk
// flags' median (risk_detect.go): a figure some creator really reported, a
// whole number of videos, and never above what half the creators reached.
func subjectMedian(values []int64) int64 {
	if len(values) == 0 {
		return 0
	}
	return median(values)
}

// subjectMedians are the medians of the subject area's weeks, from the table,
// recomputing the weeks that are stale.
func (s *Store) subjectMedians(ctx context.Context, subjectID uint, weeks []string) (map[string]SubjectWeekMedian, error) {
	db := s.db.WithContext(ctx) // stale weeks are written back: read the primary
	var stored []SubjectWeekMedian
	if err := db.Where("subject_id = ? AND week IN ?", subjectID, weeks).Find(&stored).Error; err != nil {
		return nil, err
	}
	out := make(map[string]SubjectWeekMedian, len(weeks))
	now := s.now().UTC()
	fresh := now.Add(-medianMaxAge)
	for _, m := range stored {
		if m.ComputedVersion == m.Version && m.ComputedAt.After(fresh) {
			out[m.Week] = m
		}
	}
	var stale []string
	for _, w := range weeks {
		if _, ok := out[w]; !ok {
			stale = append(stale, w)
		}
	}
	if len(stale) == 0 {
		return out, nil
	}
	version := map[string]int64{}
	for _, m := range stored {
		version[m.Week] = m.Version
	}
	// Creators of the subject area by idx_creators_subject_state, their weeks by
	// idx_perf_creator_week: about 5,000 rows per week at programme scale, once per change.
	var rows []struct {
		Week                         string
		Videos, LiveSessions, NetGMV int64
	}
	if err := db.Table("weekly_performances p").Select("p.week, p.videos, p.live_sessions, p.gmv_fen - p.refunded_gmv_fen AS net_gmv").
		Joins("JOIN creators c ON c.id = p.creator_id").
		Where("c.primary_subject_id = ? AND p.week IN ? AND p.untrusted = ?", subjectID, stale, false).Scan(&rows).Error; err != nil {
		return nil, err
	}
	type values struct{ videos, live, gmv []int64 }
	byWeek := map[string]*values{}
	for _, r := range rows {
		v := byWeek[r.Week]
		if v == nil {
			v = &values{}
			byWeek[r.Week] = v
		}
		v.videos, v.live, v.gmv = append(v.videos, r.Videos), append(v.live, r.LiveSessions), append(v.gmv, r.NetGMV)
	}
	for _, w := range stale {
		m := SubjectWeekMedian{SubjectID: subjectID, Week: w, ComputedAt: now}
		if v := byWeek[w]; v != nil {
			m.Creators, m.MedianVideos, m.MedianLiveSessions, m.MedianGMVFen = int64(len(v.videos)), subjectMedian(v.videos), subjectMedian(v.live), subjectMedian(v.gmv)
		}
		out[w] = m
		// Kept only if no change came in since the version was read.
		m.Version = version[w]
		m.ComputedVersion = m.Version
		var err error
		if _, seen := version[w]; seen {
			err = db.Model(&SubjectWeekMedian{}).Where("subject_id = ? AND week = ? AND version = ?", subjectID, w, m.Version).
				Updates(map[string]any{"computed_version": m.Version, "creators": m.Creators, "median_videos": m.MedianVideos,
					"median_live_sessions": m.MedianLiveSessions, "median_gmv_fen": m.MedianGMVFen, "computed_at": now}).Error
		} else {
			err = db.Clauses(clause.OnConflict{DoNothing: true}).Create(&m).Error
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// creatorAgainstSubjectMaxWeeks bounds how many weeks one request compares.
const creatorAgainstSubjectMaxWeeks = MaxImpactWeeks

// CreatorAgainstSubject is a creator's last weeks (oldest first, ending with
// the last ended week) next to their primary subject area's medians over the
// creators who reported each week (untrusted weeks left out; GMV net of
// refunds): the creator themself, staff, or the manager of the creator's
// agency (only staff see a median over fewer than MedianMinCreators); anyone else gets ErrNotFound (ErrForbidden when not signed in as
// one of those roles), as for the creator's other pages.
func (s *Store) CreatorAgainstSubject(ctx context.Context, a *Actor, creatorID uint, weeks int) ([]CreatorWeekAgainstSubject, error) {
	if a == nil || (!a.IsStaff() && a.CreatorID == nil && a.Role != RoleMCNManager) {
		return nil, ErrForbidden
	}
	var c Creator
	if err := scopeCreators(s.r(ctx).Model(&Creator{}), a).Select("creators.id, creators.primary_subject_id").
		Where("creators.id = ?", creatorID).First(&c).Error; err != nil {
		return nil, notFound(err)
	}
	weeks = max(1, min(weeks, creatorAgainstSubjectMaxWeeks))
	labels := make([]string, weeks)
	w := WeekOf(s.now()).Prev()
	for i := weeks - 1; i >= 0; i-- {
		labels[i] = w.String()
		w = w.Prev()
	}
	var own []WeeklyPerformance
	if err := s.r(ctx).Where("creator_id = ? AND week IN ?", c.ID, labels).Find(&own).Error; err != nil {
		return nil, err
	}
	mine := map[string]WeeklyPerformance{}
	for _, p := range own {
		mine[p.Week] = p
	}
	medians, err := s.subjectMedians(ctx, c.PrimarySubjectID, labels)
	if err != nil {
		return nil, err
	}
	out := make([]CreatorWeekAgainstSubject, len(labels))
	for i, l := range labels {
		m := medians[l]
		row := CreatorWeekAgainstSubject{Week: l, MedianVideos: m.MedianVideos, MedianLiveSessions: m.MedianLiveSessions,
			MedianGMVFen: m.MedianGMVFen, SubjectCreators: m.Creators}
		if !a.IsStaff() && m.Creators > 0 && m.Creators < MedianMinCreators {
			// Another creator's own figures: not for creators or managers.
			row.MedianVideos, row.MedianLiveSessions, row.MedianGMVFen, row.MedianWithheld = 0, 0, 0, true
		}
		if p, ok := mine[l]; ok {
			row.Reported = true
			row.Videos, row.LiveSessions, row.GMVFen = p.Videos, p.LiveSessions, p.GMVFen-p.RefundedGMVFen
		}
		out[i] = row
	}
	return out, nil
}
