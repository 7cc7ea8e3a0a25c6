package models

import (
	"strconv"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CreatorYearTotal is a creator's performance summed over one ISO week-year
// (the year of its week labels). Ingest keeps it in step with the weekly rows
// in the same transaction, so standings read one row per creator instead of
// summing a year of weeks (5 million rows at programme scale).
type CreatorYearTotal struct {
	CreatorID uint  `gorm:"primaryKey;autoIncrement:false"`
	Year      int   `gorm:"primaryKey;autoIncrement:false;index:idx_year_totals_year"`
	GMVFen    int64 `gorm:"not null"`
	Views     int64 `gorm:"not null"`
	Weeks     int64 `gorm:"not null"` // weekly rows in the year: a week of zeros still ranks
}

// weekYear is the ISO year of a week label such as 2026-W47.
func weekYear(label string) int {
	y, _ := strconv.Atoi(label[:min(4, len(label))])
	return y
}

type yearKey struct {
	creatorID uint
	year      int
}

// yearDeltas is how much each creator's year totals change when rows replace before.
func yearDeltas(before map[weekKey]WeeklyPerformance, rows []WeeklyPerformance) map[yearKey]CreatorYearTotal {
	out := map[yearKey]CreatorYearTotal{}
	for _, r := range rows {
		old, replaced := before[weekKey{r.CreatorID, r.Week}]
		if replaced && old.Untrusted {
			continue // an untrusted week stays out of the totals whatever its new figures (issue 16)
		}
		k := yearKey{r.CreatorID, weekYear(r.Week)}
		d := out[k]
		d.CreatorID, d.Year = k.creatorID, k.year
		if !replaced {
			d.Weeks++
		}
		d.GMVFen += r.GMVFen - old.GMVFen
		d.Views += r.Views - old.Views
		out[k] = d
	}
	return out
}

// addYearTotals adds deltas to the stored totals, creating rows as needed.
func addYearTotals(tx *gorm.DB, deltas map[yearKey]CreatorYearTotal) error {
	rows := make([]CreatorYearTotal, 0, len(deltas))
	for _, d := range deltas {
		if d.GMVFen != 0 || d.Views != 0 || d.Weeks != 0 {
			rows = append(rows, d)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "creator_id"}, {Name: "year"}},
		DoUpdates: clause.Assignments(map[string]any{
			"gmv_fen": gorm.Expr("creator_year_totals.gmv_fen + excluded.gmv_fen"),
			"views":   gorm.Expr("creator_year_totals.views + excluded.views"),
			"weeks":   gorm.Expr("creator_year_totals.weeks + excluded.weeks"),
		}),
	}).CreateInBatches(&rows, 500).Error
}

// rebuildYearTotals recomputes every creator's year totals from the weekly rows
// (after a bulk load, and once when the table is introduced); untrusted weeks
// do not count.
func rebuildYearTotals(tx *gorm.DB) error {
	if err := tx.Exec("DELETE FROM creator_year_totals").Error; err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO creator_year_totals (creator_id, year, gmv_fen, views, weeks)
		SELECT creator_id, CAST(SUBSTR(week, 1, 4) AS INTEGER), SUM(gmv_fen), SUM(views), COUNT(*)
		FROM weekly_performances WHERE untrusted = ? GROUP BY creator_id, CAST(SUBSTR(week, 1, 4) AS INTEGER)`, false).Error
}
