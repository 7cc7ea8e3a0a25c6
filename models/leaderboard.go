package models

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// The leaderboard ranks qualified creators by GMV year to date (CST year),
// views breaking ties, then the lower creator id so the order is stable.
// GMV first because the programme pays for selling; views reward reach.

// LeaderRow is one creator's place on the leaderboard.
type LeaderRow struct {
	Rank        int
	CreatorID   uint
	DisplayName string
	AgencyID    *uint
	AgencyName  string
	SubjectID   uint
	GMVFen      int64
	Views       int64
	Movement    int  // places gained since last week (negative: lost)
	New         bool // not ranked last week
}

type standing struct {
	CreatorID uint
	GMV       int64
	Views     int64
}

// rankStandings orders standings best first: GMV, then views, then the lower id.
func rankStandings(ss []standing) {
	slices.SortFunc(ss, func(a, b standing) int {
		if c := cmp.Compare(b.GMV, a.GMV); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Views, a.Views); c != 0 {
			return c
		}
		return cmp.Compare(a.CreatorID, b.CreatorID)
	})
}

// standings ranks every qualified creator (of a subject, if given) by the
// year's weeks up to last (current) and up to the week before (previous).
// It reads the maintained year totals, one row per creator, and takes off
// what weeks after last (the week in progress) and last itself contributed;
// untrusted weeks are in neither (issue 16).
func standings(db *gorm.DB, year int, last WeekLabel, subjectID uint) (current, previous []standing, err error) {
	var rows []struct {
		CreatorID                  uint
		GMV, Views, Weeks          int64
		LastGMV, LastViews, InLast int64
	}
	q := db.Table("creator_year_totals AS t").Joins("JOIN creators c ON c.id = t.creator_id").
		Joins("LEFT JOIN weekly_performances p ON p.creator_id = t.creator_id AND p.week = ? AND p.untrusted = ?", last.String(), false).
		Select("t.creator_id, t.gmv_fen AS gmv, t.views, t.weeks, COALESCE(p.gmv_fen, 0) AS last_gmv, COALESCE(p.views, 0) AS last_views, "+
			"CASE WHEN p.id IS NULL THEN 0 ELSE 1 END AS in_last").
		Where("t.year = ? AND c.state = ?", year, StateQualified)
	if subjectID != 0 {
		q = q.Where("c.primary_subject_id = ?", subjectID)
	}
	if err := q.Scan(&rows).Error; err != nil {
		return nil, nil, err
	}
	var later []struct {
		standing
		Weeks int64
	}
	if err := db.Model(&WeeklyPerformance{}).Select("creator_id, SUM(gmv_fen) AS gmv, SUM(views) AS views, COUNT(*) AS weeks").
		Where("week > ? AND week <= ? AND untrusted = ?", last.String(), fmt.Sprintf("%d-W99", year), false).Group("creator_id").Scan(&later).Error; err != nil {
		return nil, nil, err
	}
	notYet := make(map[uint]standing, len(later))
	weeksNotYet := make(map[uint]int64, len(later))
	for _, l := range later {
		notYet[l.CreatorID], weeksNotYet[l.CreatorID] = l.standing, l.Weeks
	}
	current, previous = make([]standing, 0, len(rows)), make([]standing, 0, len(rows))
	for _, r := range rows {
		cur := standing{CreatorID: r.CreatorID, GMV: r.GMV - notYet[r.CreatorID].GMV, Views: r.Views - notYet[r.CreatorID].Views}
		weeks := r.Weeks - weeksNotYet[r.CreatorID]
		if weeks == 0 { // only weeks still in progress
			continue
		}
		current = append(current, cur)
		if weeks-r.InLast > 0 {
			previous = append(previous, standing{CreatorID: r.CreatorID, GMV: cur.GMV - r.LastGMV, Views: cur.Views - r.LastViews})
		}
	}
	rankStandings(current)
	rankStandings(previous)
	return current, previous, nil
}

// Leaderboard returns the top creators of a year (all subject areas, or one),
// with their movement since the previous week's standings.
func (s *Store) Leaderboard(ctx context.Context, a *Actor, year int, subjectID uint, limit int, now time.Time) ([]LeaderRow, error) {
	if !a.IsStaff() {
		return nil, ErrForbidden
	}
	rows, _, err := s.leaderboard(ctx, year, subjectID, now)
	if err != nil {
		return nil, err
	}
	if len(rows) > limit {
		rows = rows[:limit]
	}
	return rows, nil
}

// leaderboard ranks everyone; the caller cuts the list.
func (s *Store) leaderboard(ctx context.Context, year int, subjectID uint, now time.Time) ([]LeaderRow, map[uint]int, error) {
	last := lastCounted(year, now)
	e, err := s.ranks.load(rankKey{year: year, subject: subjectID, last: last.String()}, func() (rankEntry, error) {
		// Detached from the request: a background refresh outlives it, and waiters share it.
		ctx := s.memoReads(context.WithoutCancel(ctx), s.ranks.changedWithin)
		return rankAll(s.reader(ctx).WithContext(ctx), year, subjectID, last)
	})
	return e.rows, e.rankOf, err
}

// rankKey names one set of standings.
type rankKey struct {
	year    int
	subject uint
	last    string // the last complete week the standings cover
}

// rankEntry is a computed ranking: everyone in order, and each creator's rank.
type rankEntry struct {
	rows   []LeaderRow
	rankOf map[uint]int
}

// rankAll ranks every qualified creator of a year (of a subject, if given) with movement and names for the top.
func rankAll(db *gorm.DB, year int, subjectID uint, last WeekLabel) (rankEntry, error) {
	current, previous, err := standings(db, year, last, subjectID)
	if err != nil {
		return rankEntry{}, err
	}
	prevRank := make(map[uint]int, len(previous))
	for i, p := range previous {
		prevRank[p.CreatorID] = i + 1
	}
	rankOf := make(map[uint]int, len(current))
	rows := make([]LeaderRow, len(current))
	for i, c := range current {
		rankOf[c.CreatorID] = i + 1
		rows[i] = LeaderRow{Rank: i + 1, CreatorID: c.CreatorID, GMVFen: c.GMV, Views: c.Views}
		if pr, ok := prevRank[c.CreatorID]; ok {
			rows[i].Movement = pr - (i + 1)
		} else {
			rows[i].New = true
		}
	}
	// Names for the top of the board only, in one query.
	top := rows[:min(len(rows), 500)]
	ids := make([]uint, len(top))
	for i, r := range top {
		ids[i] = r.CreatorID
	}
	var cs []Creator
	if len(ids) > 0 {
		if err := db.Preload("Agency").Where("id IN ?", ids).Find(&cs).Error; err != nil {
			return rankEntry{}, err
		}
	}
	byID := map[uint]*Creator{}
	for i := range cs {
		byID[cs[i].ID] = &cs[i]
	}
	for i := range top {
		if c := byID[top[i].CreatorID]; c != nil {
			top[i].DisplayName, top[i].AgencyID, top[i].SubjectID = c.DisplayName, c.AgencyID, c.PrimarySubjectID
			if c.Agency != nil {
				top[i].AgencyName = c.Agency.Name
			}
		}
	}
	return rankEntry{rows: rows, rankOf: rankOf}, nil
}

// WarmRanks ranks everyone once, so the first visitor after a start does not wait for it.
func (s *Store) WarmRanks(ctx context.Context, now time.Time) error {
	_, _, err := s.leaderboard(ctx, WeekOf(now).Prev().Year, 0, now)
	return err
}

// Standing is a creator's place on the leaderboard, the one rank every page and
// notification shows: by GMV year to date (views, then the lower id, break ties)
// among the qualified creators with performance in that year, through the last
// complete week.
type Standing struct {
	Rank    int // 0 when unranked
	Of      int // how many creators are ranked
	Year    int
	Through WeekLabel // the last complete week counted
}

// standingOf reads one creator's standing from a computed ranking. Both the
// top-100 notifications and the creator's own page go through it.
func standingOf(rankOf map[uint]int, creatorID uint, year int, through WeekLabel) Standing {
	return Standing{Rank: rankOf[creatorID], Of: len(rankOf), Year: year, Through: through}
}

// lastCounted is the last complete week a year's standings cover at now.
func lastCounted(year int, now time.Time) WeekLabel {
	last := WeekOf(now).Prev()
	if last.Year > year {
		last = WeekOf(time.Date(year, 12, 28, 12, 0, 0, 0, CST))
	}
	return last
}

// CreatorStanding is a creator's current standing overall (Rank 0 when unranked).
func (s *Store) CreatorStanding(ctx context.Context, creatorID uint, now time.Time) (Standing, error) {
	year := WeekOf(now).Prev().Year
	_, rankOf, err := s.leaderboard(ctx, year, 0, now)
	return standingOf(rankOf, creatorID, year, lastCounted(year, now)), err
}

// CreatorRank is a creator's current place overall (0 when unranked) and how many are ranked.
func (s *Store) CreatorRank(ctx context.Context, creatorID uint, now time.Time) (rank, of int, err error) {
	st, err := s.CreatorStanding(ctx, creatorID, now)
	return st.Rank, st.Of, err
}

// AgencyRanks lists an agency's ranked creators, best first (the manager's view).
func (s *Store) AgencyRanks(ctx context.Context, a *Actor, agencyID uint, limit int, now time.Time) ([]LeaderRow, error) {
	if _, err := s.GetAgency(ctx, a, agencyID); err != nil {
		return nil, err
	}
	rows, _, err := s.leaderboard(ctx, WeekOf(now).Prev().Year, 0, now)
	if err != nil {
		return nil, err
	}
	var mine []uint
	if err := s.r(ctx).Model(&Creator{}).Where("agency_id = ?", agencyID).Pluck("id", &mine).Error; err != nil {
		return nil, err
	}
	own := map[uint]bool{}
	for _, id := range mine {
		own[id] = true
	}
	var out []LeaderRow
	for _, r := range rows {
		if own[r.CreatorID] {
			out = append(out, r)
			if len(out) == limit {
				break
			}
		}
	}
	// Names may be missing below the top 500; fill them for this short list in one query.
	var missing []uint
	for _, r := range out {
		if r.DisplayName == "" {
			missing = append(missing, r.CreatorID)
		}
	}
	if len(missing) > 0 {
		var cs []Creator
		if err := s.r(ctx).Select("id, display_name").Where("id IN ?", missing).Find(&cs).Error; err != nil {
			return nil, err
		}
		names := make(map[uint]string, len(cs))
		for _, c := range cs {
			names[c.ID] = c.DisplayName
		}
		for i := range out {
			if out[i].DisplayName == "" {
				out[i].DisplayName = names[out[i].CreatorID]
			}
		}
	}
	return out, nil
}

// TopListEntry is one line of a published top-100 list: a frozen snapshot
// holding display data only.
type TopListEntry struct {
	ID          uint   `gorm:"primaryKey"`
	Year        int    `gorm:"not null;uniqueIndex:idx_top_year_rank,priority:1"`
	Rank        int    `gorm:"not null;uniqueIndex:idx_top_year_rank,priority:2"`
	DisplayName string `gorm:"size:80;not null"`
	Subject     string `gorm:"size:80;not null"`
	Agency      string `gorm:"size:120;not null"`
	CreatorID   *uint  `gorm:"index"`                  // nil on lists published before it was kept
	Featured    bool   `gorm:"not null;default:false"` // featured on the day the list was published
	PublishedAt time.Time
}

// TopListSize is how many creators the programme announces.
const TopListSize = 100

// PublishTopList freezes the current top 100 of a year; republishing
// replaces the earlier list. Staff only, audited.
func (s *Store) PublishTopList(ctx context.Context, a *Actor, year int, now time.Time) (int, error) {
	if !a.IsStaff() {
		return 0, ErrForbidden
	}
	if year < 2000 || year > now.In(CST).Year() {
		return 0, FieldErrors{"year": M("err_year_not_started", "Year", year)}
	}
	rows, rankOf, err := s.leaderboard(ctx, year, 0, now)
	if err != nil {
		return 0, err
	}
	rows = rows[:min(len(rows), TopListSize)]
	if len(rows) == 0 {
		return 0, FieldErrors{"year": M("err_year_no_performance", "Year", year)}
	}
	areas, err := s.SubjectAreas(ctx)
	if err != nil {
		return 0, err
	}
	names := map[uint]string{}
	for _, sa := range areas {
		names[sa.ID] = sa.Name
	}
	ids := make([]uint, len(rows))
	for i, r := range rows {
		ids[i] = r.CreatorID
	}
	featured, err := s.FeaturedAmong(ctx, ids, now)
	if err != nil {
		return 0, err
	}
	stamp := now.UTC()
	entries := make([]TopListEntry, len(rows))
	for i, r := range rows {
		agency := r.AgencyName
		if agency == "" {
			agency = "Independent"
		}
		id := r.CreatorID
		entries[i] = TopListEntry{Year: year, Rank: r.Rank, DisplayName: r.DisplayName, Subject: names[r.SubjectID], Agency: agency,
			CreatorID: &id, Featured: featured[r.CreatorID], PublishedAt: stamp}
	}
	through := lastCounted(year, now)
	err = s.tx(ctx, func(tx *gorm.DB) error {
		var before int64
		if err := tx.Model(&TopListEntry{}).Where("year = ?", year).Count(&before).Error; err != nil {
			return err
		}
		if err := tx.Where("year = ?", year).Delete(&TopListEntry{}).Error; err != nil {
			return err
		}
		if err := tx.Create(&entries).Error; err != nil {
			return err
		}
		for _, r := range rows {
			to := Target{Type: TargetTopCreators}
			st := standingOf(rankOf, r.CreatorID, year, through)
			msg := M(NotifyTopCreatorRanked, "Rank", st.Rank, "Of", st.Of, "Top", TopListSize, "Year", year, "Through", st.Through.String())
			if err := notifyCreator(tx, r.CreatorID, msg, to); err != nil {
				return err
			}
			if err := notifyAgency(tx, r.AgencyID, M(NotifyTopCreatorOfAgency, "Name", r.DisplayName, "Rank", r.Rank, "Top", TopListSize, "Year", year), to); err != nil {
				return err
			}
		}
		return appendAudit(tx, a, "top100.publish", "top_list", uint(year), map[string]any{"entries": before}, map[string]any{"entries": len(entries), "year": year})
	})
	return len(entries), err
}

// PublishedTopList returns a year's published list (anyone may read it).
func (s *Store) PublishedTopList(ctx context.Context, year int) ([]TopListEntry, error) {
	var out []TopListEntry
	return out, s.r(ctx).Where("year = ?", year).Order("rank").Find(&out).Error
}

// PublishedYears lists the years with a published list, newest first.
func (s *Store) PublishedYears(ctx context.Context) ([]int, error) {
	var years []int
	return years, s.r(ctx).Model(&TopListEntry{}).Distinct("year").Order("year DESC").Pluck("year", &years).Error
}
