package models

import (
	"testing"
	"time"
)

func TestBurnDownTable(t *testing.T) {
	cst := func(y int, m time.Month, d, h, min, sec int) time.Time {
		return time.Date(y, m, d, h, min, sec, 0, CST)
	}
	weeks := PacingPlan{CreatorsStart: "2026-W01", CreatorsEnd: "2026-W10", MCNStart: "2026-01", MCNEnd: "2026-12", Policy: PolicyProRata}
	budgets := func(committed ...int64) map[string]PeriodBudget {
		out := map[string]PeriodBudget{}
		for i, c := range committed {
			l := periodStepper{PoolCreators}.add("2026-W01", i)
			out[l] = PeriodBudget{Pool: PoolCreators, Period: l, BudgetFen: 5000, CommittedFen: c}
		}
		return out
	}
	// 2026-W04 runs from Monday 19 January to Sunday 25 January 2026 (CST).
	sunday := cst(2026, 1, 25, 23, 59, 59)
	monday := cst(2026, 1, 26, 0, 0, 0)
	cases := []struct {
		name      string
		in        burnDownInput
		ended     int
		pace      int64
		paceOver  int
		runOut    string
		never     bool
		early     bool
		earlyBy   int
		remaining int
	}{
		{"Sunday 23:59:59 CST: the week has not ended, three weeks make the pace",
			burnDownInput{Plan: weeks, Pool: PoolCreators, TotalFen: 10000, LeftFen: 6500, Budgets: budgets(1000, 1000, 1000, 500), Now: sunday},
			3, 1000, 3, "2026-W10", false, false, 0, 7},
		{"Monday 00:00 CST: the week has ended and counts in the pace; the run-out is counted from the new week",
			burnDownInput{Plan: weeks, Pool: PoolCreators, TotalFen: 10000, LeftFen: 6500, Budgets: budgets(1000, 1000, 1000, 500), Now: monday},
			4, 875, 4, "2026-W12", false, false, 0, 6},
		{"spending fast: the pool runs out five weeks before the end",
			burnDownInput{Plan: weeks, Pool: PoolCreators, TotalFen: 10000, LeftFen: 2000, Budgets: budgets(2000, 2000, 2000, 2000), Now: monday},
			4, 2000, 4, "2026-W05", false, true, 5, 6},
		{"the last four weeks only: an early big week does not count",
			burnDownInput{Plan: weeks, Pool: PoolCreators, TotalFen: 13500, LeftFen: 2500, Budgets: budgets(9000, 500, 500, 500, 500), Now: cst(2026, 2, 2, 0, 0, 0)},
			5, 500, 4, "2026-W10", false, false, 0, 5},
		{"a pace of zero never runs out",
			burnDownInput{Plan: weeks, Pool: PoolCreators, TotalFen: 10000, LeftFen: 10000, Budgets: budgets(0, 0, 0), Now: monday},
			4, 0, 0, "", true, false, 0, 6},
		{"fewer than four weeks of data: one week without a budget row, from its bonuses",
			burnDownInput{Plan: weeks, Pool: PoolCreators, TotalFen: 10000, LeftFen: 8500, Budgets: map[string]PeriodBudget{},
				Spent: map[string]int64{"2026-W02": 1500, "2026-W05": 9999}, Now: monday},
			4, 1500, 1, "2026-W10", false, false, 0, 6},
		{"before the programme starts: no pace, nothing ended",
			burnDownInput{Plan: weeks, Pool: PoolCreators, TotalFen: 10000, LeftFen: 10000, Now: cst(2025, 12, 1, 0, 0, 0)},
			0, 0, 0, "", true, false, 0, 10},
		{"a month pool: three months at ¥5,000 run out in October, two months early",
			burnDownInput{Plan: weeks, Pool: PoolMCN, TotalFen: 5_000_000, LeftFen: 3_500_000, Spent: map[string]int64{"2026-01": 500_000, "2026-02": 500_000, "2026-03": 500_000},
				Now: cst(2026, 4, 1, 0, 0, 0)},
			3, 500_000, 3, "2026-10", false, true, 2, 9},
		{"a month pool on the last second of March: March has not ended",
			burnDownInput{Plan: weeks, Pool: PoolMCN, TotalFen: 5_000_000, LeftFen: 3_500_000, Spent: map[string]int64{"2026-01": 500_000, "2026-02": 500_000, "2026-03": 500_000},
				Now: cst(2026, 3, 31, 23, 59, 59)},
			2, 500_000, 2, "2026-09", false, true, 3, 10},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := burnDownOf(tc.in)
			if !b.Set {
				t.Fatal("plan not set")
			}
			ended := 0
			for _, p := range b.Periods {
				if p.Ended {
					ended++
				}
			}
			if ended != tc.ended || b.PaceFen != tc.pace || b.PaceOver != tc.paceOver || b.RunOut != tc.runOut || b.Never != tc.never ||
				b.Early != tc.early || b.EarlyBy != tc.earlyBy || b.Remaining != tc.remaining {
				t.Errorf("ended %d pace %d over %d run-out %q never %v early %v by %d remaining %d; want %d %d %d %q %v %v %d %d",
					ended, b.PaceFen, b.PaceOver, b.RunOut, b.Never, b.Early, b.EarlyBy, b.Remaining,
					tc.ended, tc.pace, tc.paceOver, tc.runOut, tc.never, tc.early, tc.earlyBy, tc.remaining)
			}
		})
	}
}

func TestBurnDownLines(t *testing.T) {
	plan := PacingPlan{CreatorsStart: "2026-W01", CreatorsEnd: "2026-W04", MCNStart: "2026-01", MCNEnd: "2026-02", Policy: PolicyProRata,
		Weights: []PeriodWeight{{Period: "2026-W02", Percent: 200}}}
	b := burnDownOf(burnDownInput{Plan: plan, Pool: PoolCreators, TotalFen: 10000, LeftFen: 7000,
		Budgets: map[string]PeriodBudget{"2026-W02": {CommittedFen: 2000}, "2026-W03": {CommittedFen: 300}},
		Spent:   map[string]int64{"2026-W01": 1000, "2026-W03": 77, "2026-W04": 55},
		Now:     time.Date(2026, 1, 19, 12, 0, 0, 0, CST)})
	want := []struct {
		plan, committed, cum int64
		budgeted, current    bool
	}{{2000, 1000, 1000, false, false}, {6000, 2000, 3000, true, false}, {8000, 300, 3300, true, false}, {10000, 0, 3300, false, true}}
	for i, w := range want {
		p := b.Periods[i]
		if p.PlanFen != w.plan || p.CommittedFen != w.committed || p.CumCommittedFen != w.cum || p.Budgeted != w.budgeted || p.Current != w.current {
			t.Errorf("%s: %+v, want %+v", p.Period, p, w)
		}
	}
	if none := burnDownOf(burnDownInput{Plan: DefaultPacingPlan, Pool: PoolCreators}); none.Set || len(none.Periods) > 0 {
		t.Errorf("no plan: %+v", none)
	}
}

func TestPlanOutlookSplitsWhatIsLeftOverTheWeeksLeft(t *testing.T) {
	plan := PacingPlan{CreatorsStart: "2026-W01", CreatorsEnd: "2026-W04", MCNStart: "2026-01", MCNEnd: "2026-03", Policy: PolicyProRata,
		Weights: []PeriodWeight{{Period: "2026-W04", Percent: 150}, {Period: "2026-03", Percent: 200}}}
	// Monday of 2026-W03: W01 and W02 have ended.
	got := PlanOutlook(plan, PoolCreators, 5000, time.Date(2026, 1, 12, 0, 0, 0, 0, CST))
	if len(got) != 2 || got[0] != (PeriodOutlook{"2026-W03", 100, 2000}) || got[1] != (PeriodOutlook{"2026-W04", 150, 3000}) {
		t.Errorf("weeks: %+v", got)
	}
	got = PlanOutlook(plan, PoolMCN, 4000, time.Date(2026, 1, 31, 23, 59, 59, 0, CST))
	if len(got) != 3 || got[0].BudgetFen != 1000 || got[2] != (PeriodOutlook{"2026-03", 200, 2000}) {
		t.Errorf("months: %+v", got)
	}
}
