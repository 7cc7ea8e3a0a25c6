package models

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"gorm.io/gorm"
)

// growthWeeks is how many weeks each side of the league's growth compare.
const growthWeeks = 4

// AgencyLeague is the agencies over a filter's range, sorted by one of
// LeagueSorts and paged, with the total number of agencies. Staff only.
// "creators" sorts by creators delivered; "attainment" by the share of quota
// months met. Ties go by name, then id; Rank is by the chosen sort (equal
// figures share a rank).
func (s *Store) AgencyLeague(ctx context.Context, a *Actor, f ImpactFilter, sort string, desc bool, page Page) ([]AgencyLeagueRow, int64, error) {
	if !a.IsStaff() {
		return nil, 0, ErrForbidden
	}
	if sort == "" {
		sort = LeagueSorts[0]
	}
	if !slices.Contains(LeagueSorts, sort) {
		return nil, 0, FieldErrors{"sort": M("err_league_sort_unknown", "Sort", sort)}
	}
	f.AgencyID, f.SubjectID = 0, 0 // the league is every agency, whole programme
	f, r, err := resolveImpactFilter(s.r(ctx), a, f, s.now())
	if err != nil {
		return nil, 0, err
	}
	all, err := s.league(ctx, f, r)
	if err != nil {
		return nil, 0, err
	}
	rows := sortLeague(all, sort, desc)
	page = NewPage(page.Number, page.Size)
	from := min(len(rows), (page.Number-1)*page.Size)
	return rows[from:min(len(rows), from+page.Size)], int64(len(rows)), nil
}

// AgencyImpact is one agency's league line over a filter's range and its rank
// among all agencies by content growth: staff (f.AgencyID) or the agency's
// own manager.
func (s *Store) AgencyImpact(ctx context.Context, a *Actor, f ImpactFilter) (*AgencyLeagueRow, AgencyGrowthRank, error) {
	f.SubjectID = 0
	f, r, err := resolveImpactFilter(s.r(ctx), a, f, s.now())
	if err != nil {
		return nil, AgencyGrowthRank{}, err
	}
	if f.AgencyID == 0 {
		return nil, AgencyGrowthRank{}, ErrNotFound
	}
	all, err := s.league(ctx, ImpactFilter{From: f.From, To: f.To}, r)
	if err != nil {
		return nil, AgencyGrowthRank{}, err
	}
	i := slices.IndexFunc(all, func(row AgencyLeagueRow) bool { return row.AgencyID == f.AgencyID })
	if i < 0 {
		return nil, AgencyGrowthRank{}, ErrNotFound
	}
	row := all[i]
	rank := AgencyGrowthRank{Of: len(all), GrowthPermille: row.GrowthPermille, HasGrowth: row.HasGrowth}
	if row.HasGrowth {
		rank.Rank = 1
		for _, o := range all {
			if o.HasGrowth && o.GrowthPermille > row.GrowthPermille {
				rank.Rank++
			}
		}
	}
	row.Rank = 0
	return &row, rank, nil
}

// league is every agency's line over a range, by id, memoised per range
// (2,000 agencies: sorting and paging them in memory costs less than a query).
func (s *Store) league(ctx context.Context, f ImpactFilter, r impactRange) ([]AgencyLeagueRow, error) {
	now := s.now()
	key := fmt.Sprintf("league %s %s %s", f.From, f.To, MonthOf(now))
	return counted(ctx, s, key, func(ctx context.Context) ([]AgencyLeagueRow, error) { return leagueFor(s.r(ctx), r, now) })
}

func leagueFor(tx *gorm.DB, r impactRange, now time.Time) ([]AgencyLeagueRow, error) {
	var agencies []Agency
	if err := tx.Select("id, name").Order("id").Find(&agencies).Error; err != nil {
		return nil, err
	}
	rows := make([]AgencyLeagueRow, len(agencies))
	at := make(map[uint]*AgencyLeagueRow, len(agencies))
	for i, ag := range agencies {
		rows[i] = AgencyLeagueRow{AgencyID: ag.ID, Name: ag.Name}
		at[ag.ID] = &rows[i]
	}
	from, to := r.From.String(), r.To.String()
	// Figures: impact_agency_weeks over the range (2,000 agencies × its weeks), summed per agency.
	var sums []impactRow
	if err := tx.Table("impact_agency_weeks").Select("agency_id AS id, "+impactSums).Where("week >= ? AND week <= ?", from, to).
		Group("agency_id").Scan(&sums).Error; err != nil {
		return nil, err
	}
	for _, s := range sums {
		if row := at[s.ID]; row != nil {
			row.ImpactFigures = s.ImpactFigures
		}
	}
	// Growth: videos and live sessions of the range's last four weeks against the four before.
	lastStart := r.To
	for range growthWeeks - 1 {
		lastStart = lastStart.Prev()
	}
	prevStart := lastStart
	for range growthWeeks {
		prevStart = prevStart.Prev()
	}
	var content []struct {
		AgencyID        uint
		Recent, Earlier int64
	}
	if err := tx.Table("impact_agency_weeks").
		Select("agency_id, SUM(CASE WHEN week >= ? THEN videos + live_sessions ELSE 0 END) AS recent, SUM(CASE WHEN week < ? THEN videos + live_sessions ELSE 0 END) AS earlier",
			lastStart.String(), lastStart.String()).
		Where("week >= ? AND week <= ?", prevStart.String(), to).Group("agency_id").Scan(&content).Error; err != nil {
		return nil, err
	}
	for _, c := range content {
		if row := at[c.AgencyID]; row != nil && c.Earlier > 0 {
			row.HasGrowth, row.GrowthPermille = true, divRound64((c.Recent-c.Earlier)*1000, c.Earlier)
		}
	}
	// Creators delivered in the range: idx_creators_qualified_agency.
	delivered, err := deliveredBetween(tx, r.From.Start(), r.To.End())
	if err != nil {
		return nil, err
	}
	for id, n := range delivered {
		if row := at[id]; row != nil {
			row.CreatorsDelivered = n
		}
	}
	// Monthly MCN bonuses approved for months overlapping the range (idx_mcn_bonus_month_state).
	firstMonth, lastMonth := MonthOf(r.From.Start()), MonthOf(r.To.End().Add(-time.Nanosecond))
	var mcn []struct {
		AgencyID uint
		Fen      int64
	}
	if err := tx.Table("mcn_bonuses").Select("agency_id, SUM(amount_fen) AS fen").
		Where("month >= ? AND month <= ? AND state IN ?", firstMonth.String(), lastMonth.String(), []BonusState{BonusApproved, BonusPaid}).
		Group("agency_id").Scan(&mcn).Error; err != nil {
		return nil, err
	}
	for _, m := range mcn {
		if row := at[m.AgencyID]; row != nil {
			row.MCNBonusFen = m.Fen
		}
	}
	// Quota months: every ended month overlapping the range, each agency's
	// quota from the quota book (the overrides, a small table, and the
	// programme default) against its creators delivered that month (one
	// grouped count per month over idx_creators_qualified_agency).
	book, err := loadQuotaBook(tx, nil)
	if err != nil {
		return nil, err
	}
	for m := firstMonth; m.String() <= lastMonth.String() && m.HasEnded(now); m = m.Next() {
		got, err := deliveredBetween(tx, m.Start(), m.End())
		if err != nil {
			return nil, err
		}
		for i := range rows {
			quota := book.For(rows[i].AgencyID, m)
			if quota <= 0 {
				continue
			}
			rows[i].QuotaMonths++
			if got[rows[i].AgencyID] >= int64(quota) {
				rows[i].QuotaMet++
			}
		}
	}
	return rows, nil
}

// deliveredBetween counts each agency's creators first qualified in [from,
// to) while in it (quota credit), by idx_creators_qualified_agency.
func deliveredBetween(tx *gorm.DB, from, to time.Time) (map[uint]int64, error) {
	var got []struct {
		AgencyID uint `gorm:"column:qualified_agency_id"`
		N        int64
	}
	if err := tx.Table("creators").Select("qualified_agency_id, COUNT(*) AS n").
		Where("qualified_agency_id IS NOT NULL AND qualified_at >= ? AND qualified_at < ?", from.UTC(), to.UTC()).
		Group("qualified_agency_id").Scan(&got).Error; err != nil {
		return nil, err
	}
	out := make(map[uint]int64, len(got))
	for _, g := range got {
		out[g.AgencyID] = g.N
	}
	return out, nil
}

// leagueKey is a row's figure for a sort (name sorts by the tie-break alone).
func leagueKey(row AgencyLeagueRow, sort string) int64 {
	switch sort {
	case "net_gmv":
		return row.NetGMVFen()
	case "creators":
		return row.CreatorsDelivered
	case "videos":
		return row.Videos
	case "live":
		return row.LiveSessions
	case "bonus":
		return row.BonusFen
	case "mcn_bonus":
		return row.MCNBonusFen
	case "attainment":
		if row.QuotaMonths == 0 {
			return -1 // no month to attain: below every agency with one
		}
		return int64(row.QuotaMet) * 1_000_000 / int64(row.QuotaMonths)
	case "growth":
		if !row.HasGrowth {
			return math.MinInt64 // no figure: below every figure
		}
		return row.GrowthPermille
	}
	return 0
}

// sortLeague returns a sorted copy with ranks (equal figures share one; by
// name, each row its place).
func sortLeague(all []AgencyLeagueRow, sort string, desc bool) []AgencyLeagueRow {
	rows := slices.Clone(all)
	byName := func(a, b AgencyLeagueRow) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.AgencyID, b.AgencyID))
	}
	slices.SortFunc(rows, func(a, b AgencyLeagueRow) int {
		c := cmp.Compare(leagueKey(a, sort), leagueKey(b, sort))
		if sort == "name" {
			c = byName(a, b)
		}
		if desc {
			c = -c
		}
		return cmp.Or(c, byName(a, b))
	})
	for i := range rows {
		switch {
		case i > 0 && sort != "name" && leagueKey(rows[i], sort) == leagueKey(rows[i-1], sort):
			rows[i].Rank = rows[i-1].Rank
		default:
			rows[i].Rank = i + 1
		}
	}
	return rows
}
