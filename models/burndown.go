package models

import (
	"context"
	"math"
	"time"
)

// The burn-down (issue 17): how a pool is spent over the programme's period
// against the plan, and when it runs out at the recent pace.

// BurnDownPaceOver is how many ended periods (with any money committed) the
// pace is averaged over.
const BurnDownPaceOver = 4

// maxRunOutPeriods bounds the projected run-out (a tiny pace would put it
// thousands of years away).
const maxRunOutPeriods = 5000

// BurnDownPeriod is one week (creator pool) or month (MCN pool) of the plan.
type BurnDownPeriod struct {
	Period          string
	WeightPercent   int64
	PlanFen         int64 // the plan's cumulative line: pool total × cumulative weight share
	CommittedFen    int64 // committed in this period
	CumCommittedFen int64 // committed up to and including this period
	Ended           bool  // the period has ended (CST)
	Current         bool  // now lies in this period
	Budgeted        bool  // the figure is the period's budget row's
}

// BurnDown is a pool's burn-down against the programme's plan. Set is false
// when the plan has no period: there is nothing to draw.
type BurnDown struct {
	Pool      string
	Set       bool
	TotalFen  int64
	LeftFen   int64
	Start     string // the plan's first and last period
	End       string
	Periods   []BurnDownPeriod
	PaceFen   int64 // average committed per period over PaceOver ended periods
	PaceOver  int   // how many periods the pace is averaged over (0: no data)
	RunOut    string
	Never     bool // the pace is zero: the pool never runs out at it
	Early     bool // the pool runs out before the plan's last period
	EarlyBy   int  // how many periods before the plan's last one it runs out
	Remaining int  // periods of the plan not yet ended
}

// burnDownInput is what the burn-down is worked out from: read from the
// database by BurnDown, given directly by the table tests.
type burnDownInput struct {
	Plan     PacingPlan
	Pool     string
	TotalFen int64
	LeftFen  int64
	Budgets  map[string]PeriodBudget // by period: the budget rows
	Spent    map[string]int64        // by period: approved + paid, for ended periods without a budget row
	Now      time.Time
}

// periodStepper reads and steps through the periods of a pool: weeks or months.
type periodStepper struct {
	pool string
}

// current is the period now lies in.
func (p periodStepper) current(now time.Time) string {
	if p.pool == PoolMCN {
		return MonthOf(now).String()
	}
	return WeekOf(now).String()
}

// start is when a period label begins (zero time for a bad label).
func (p periodStepper) start(label string) time.Time {
	if p.pool == PoolMCN {
		m, err := ParseMonth(label)
		if err != nil {
			return time.Time{}
		}
		return m.Start()
	}
	w, err := ParseWeek(label)
	if err != nil {
		return time.Time{}
	}
	return w.Start()
}

// ended reports whether a period has ended at now (CST).
func (p periodStepper) ended(label string, now time.Time) bool {
	if p.pool == PoolMCN {
		m, err := ParseMonth(label)
		return err == nil && m.HasEnded(now)
	}
	w, err := ParseWeek(label)
	return err == nil && w.HasEnded(now)
}

// between counts the periods from a to b (negative when b comes first).
func (p periodStepper) between(a, b string) int {
	if p.pool == PoolMCN {
		ma, err1 := ParseMonth(a)
		mb, err2 := ParseMonth(b)
		if err1 != nil || err2 != nil {
			return 0
		}
		return (mb.Year-ma.Year)*12 + int(mb.Month-ma.Month)
	}
	wa, err1 := ParseWeek(a)
	wb, err2 := ParseWeek(b)
	if err1 != nil || err2 != nil {
		return 0
	}
	// Round: a week is 7 × 24 hours in CST (no daylight saving).
	return int(math.Round(wb.Start().Sub(wa.Start()).Hours() / 24 / 7))
}

// add is the label n periods after label.
func (p periodStepper) add(label string, n int) string {
	if p.pool == PoolMCN {
		m, err := ParseMonth(label)
		if err != nil {
			return label
		}
		return MonthOf(m.Start().AddDate(0, n, 0)).String()
	}
	w, err := ParseWeek(label)
	if err != nil {
		return label
	}
	return WeekOf(w.Start().AddDate(0, 0, 7*n)).String()
}

// burnDownOf works the burn-down out; pure, so table tests can drive it.
func burnDownOf(in burnDownInput) BurnDown {
	out := BurnDown{Pool: in.Pool, TotalFen: in.TotalFen, LeftFen: in.LeftFen}
	periods := in.Plan.Periods(in.Pool)
	if len(periods) == 0 {
		return out
	}
	out.Set = true
	out.Start, out.End = periods[0].Period, periods[len(periods)-1].Period
	step := periodStepper{in.Pool}
	cur := step.current(in.Now)
	var sumW int64
	for _, p := range periods {
		sumW += p.Percent
	}
	var cumW, cum int64
	for _, p := range periods {
		cumW += p.Percent
		row := BurnDownPeriod{Period: p.Period, WeightPercent: p.Percent, PlanFen: in.TotalFen * cumW / max(sumW, 1),
			Ended: step.ended(p.Period, in.Now), Current: p.Period == cur}
		if b, ok := in.Budgets[p.Period]; ok {
			row.CommittedFen, row.Budgeted = b.CommittedFen, true
		} else if row.Ended {
			row.CommittedFen = in.Spent[p.Period]
		}
		cum += row.CommittedFen
		row.CumCommittedFen = cum
		if !row.Ended {
			out.Remaining++
		}
		out.Periods = append(out.Periods, row)
	}
	// The pace: the last ended periods that saw any money committed.
	var paced int64
	for i := len(out.Periods) - 1; i >= 0 && out.PaceOver < BurnDownPaceOver; i-- {
		if p := out.Periods[i]; p.Ended && p.CommittedFen > 0 {
			paced += p.CommittedFen
			out.PaceOver++
		}
	}
	if out.PaceOver == 0 || paced/int64(out.PaceOver) == 0 {
		out.Never = true
		return out
	}
	out.PaceFen = paced / int64(out.PaceOver)
	// Counted from the current period (the plan's first, before it starts):
	// the current one spends at the pace too, so the money left lasts
	// ceil(left ÷ pace) periods, the last of which is the run-out one.
	from := cur
	if step.start(cur).Before(step.start(out.Start)) {
		from = out.Start
	}
	lasts := (max(in.LeftFen, 0) + out.PaceFen - 1) / out.PaceFen
	// Far beyond any programme: keep the label a four-digit year.
	lasts = min(max(lasts, 1), maxRunOutPeriods)
	out.RunOut = step.add(from, int(lasts)-1)
	if by := step.between(out.RunOut, out.End); by > 0 {
		out.Early, out.EarlyBy = true, by
	}
	return out
}

// BurnDown is a pool's burn-down at now: the plan's cumulative line, what
// each period committed (its budget row's figure, or for an ended period
// without one the approved and paid bonuses of it) and the projected run-out
// period. It reads at most one budget row per period of the plan and sums
// the bonuses of the ended periods without one in one grouped query.
// Memoised like the dashboard's other figures.
func (s *Store) BurnDown(ctx context.Context, pool string, now time.Time) (BurnDown, error) {
	step := periodStepper{pool}
	return counted(ctx, s, "burn-down "+pool+" "+step.current(now), func(ctx context.Context) (BurnDown, error) {
		return s.burnDown(ctx, pool, now)
	})
}

func (s *Store) burnDown(ctx context.Context, pool string, now time.Time) (BurnDown, error) {
	db := s.r(ctx)
	plan, err := pacingPlan(db)
	if err != nil {
		return BurnDown{}, err
	}
	var p Pool
	if err := db.Where("name = ?", pool).First(&p).Error; err != nil {
		return BurnDown{}, notFound(err)
	}
	in := burnDownInput{Plan: plan, Pool: pool, TotalFen: p.TotalFen, LeftFen: p.LeftFen(), Now: now,
		Budgets: map[string]PeriodBudget{}, Spent: map[string]int64{}}
	periods := plan.Periods(pool)
	if len(periods) == 0 {
		return burnDownOf(in), nil
	}
	labels := make([]string, len(periods))
	for i, pw := range periods {
		labels[i] = pw.Period
	}
	var rows []PeriodBudget
	if err := db.Where("pool = ? AND period IN ?", pool, labels).Find(&rows).Error; err != nil {
		return BurnDown{}, err
	}
	for _, r := range rows {
		in.Budgets[r.Period] = r
	}
	step := periodStepper{pool}
	var unbudgeted []string
	for _, l := range labels {
		if _, ok := in.Budgets[l]; !ok && step.ended(l, now) {
			unbudgeted = append(unbudgeted, l)
		}
	}
	if len(unbudgeted) > 0 {
		var sums []struct {
			Period string
			Sum    int64
		}
		approved := []BonusState{BonusApproved, BonusPaid}
		q := db.Model(&Bonus{}).Select("week AS period, SUM(amount_fen) AS sum").Where("week IN ? AND state IN ?", unbudgeted, approved).Group("week")
		if pool == PoolMCN {
			q = db.Model(&MCNBonus{}).Select("month AS period, SUM(amount_fen) AS sum").Where("month IN ? AND state IN ?", unbudgeted, approved).Group("month")
		}
		if err := q.Scan(&sums).Error; err != nil {
			return BurnDown{}, err
		}
		for _, r := range sums {
			in.Spent[r.Period] = r.Sum
		}
	}
	return burnDownOf(in), nil
}

// PeriodOutlook is what one period of the plan would get from an even
// weighted split of the pool's remaining money over the periods not ended.
type PeriodOutlook struct {
	Period        string
	WeightPercent int64
	BudgetFen     int64
}

// PlanOutlook splits leftFen over the periods of the plan that have not
// ended at now, by weight (rounded down to the fen).
func PlanOutlook(plan PacingPlan, pool string, leftFen int64, now time.Time) []PeriodOutlook {
	step := periodStepper{pool}
	var open []PeriodWeight
	var sumW int64
	for _, p := range plan.Periods(pool) {
		if !step.ended(p.Period, now) {
			open = append(open, p)
			sumW += p.Percent
		}
	}
	out := make([]PeriodOutlook, 0, len(open))
	for _, p := range open {
		out = append(out, PeriodOutlook{Period: p.Period, WeightPercent: p.Percent, BudgetFen: max(leftFen, 0) * p.Percent / max(sumW, 1)})
	}
	return out
}
