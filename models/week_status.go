package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// A week is computed once ComputeWeek has proposed bonuses for it. Weeks that
// ended with performance on record but without any bonus are "not computed
// yet": creators see that instead of "no bonus", and staff see the list.

// weeksWithRows lists the distinct weeks between from and to (inclusive) that
// have rows in table, hopping down its week index: one lookup per week found,
// whatever the number of rows (the tables hold millions).
func weeksWithRows(db *gorm.DB, table, from, to string) (map[string]bool, error) {
	var weeks []string
	err := db.Raw(fmt.Sprintf(`WITH RECURSIVE w(week) AS (
			SELECT MAX(week) FROM %[1]s WHERE week >= ? AND week <= ?
			UNION ALL
			SELECT (SELECT MAX(t.week) FROM %[1]s t WHERE t.week < w.week AND t.week >= ?) FROM w WHERE w.week IS NOT NULL)
		SELECT week FROM w WHERE week IS NOT NULL`, table), from, to, from).Scan(&weeks).Error
	out := make(map[string]bool, len(weeks))
	for _, w := range weeks {
		out[w] = true
	}
	return out, err
}

// notComputed reports whether a week of a creator's performance is still
// waiting for its computation: the week has ended, the rule would look at the
// creator (qualified before it ended, content posted), and no bonus of that
// week exists for anyone.
func notComputed(c Creator, p WeeklyPerformance, computed map[string]bool, now time.Time) bool {
	week, err := ParseWeek(p.Week)
	if err != nil || !week.HasEnded(now) || computed[p.Week] {
		return false
	}
	ok, _ := Eligible(c, p, week)
	return ok
}

// UncomputedWeeks are the programme's ended weeks that have performance but
// no computation, newest first: the first few, and how many there are.
type UncomputedWeeks struct {
	Weeks []WeekLabel
	Total int
}

// UncomputedWeeks lists the ended weeks since the first computable week that have
// performance on record and no computed bonuses (staff only). It costs one
// index hop per week in each table, not a scan of the rows.
func (s *Store) UncomputedWeeks(ctx context.Context, a *Actor, now time.Time, limit int) (UncomputedWeeks, error) {
	var out UncomputedWeeks
	if !a.IsStaff() {
		return out, ErrForbidden
	}
	db := s.r(ctx)
	start, err := firstComputableWeek(db)
	if err != nil {
		return out, err
	}
	last := WeekOf(now).Prev()
	if last.String() < start.String() {
		return out, nil
	}
	performed, err := weeksWithRows(db, "weekly_performances", start.String(), last.String())
	if err != nil {
		return out, err
	}
	computed, err := weeksWithRows(db, "bonuses", start.String(), last.String())
	if err != nil {
		return out, err
	}
	for w := last; w.String() >= start.String(); w = w.Prev() {
		if !performed[w.String()] || computed[w.String()] {
			continue
		}
		out.Total++
		if len(out.Weeks) < limit {
			out.Weeks = append(out.Weeks, w)
		}
	}
	return out, nil
}

// DayOf is t's CST calendar date, 2026-12-01.
func DayOf(t time.Time) string { return day(t) }
