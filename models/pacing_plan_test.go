package models_test

import (
	"errors"
	"testing"

	"github.com/jd/creator-portal/models"
)

func TestPacingPlanValidate(t *testing.T) {
	t.Parallel()
	good := models.PacingPlan{CreatorsStart: "2026-W01", CreatorsEnd: "2026-W52", MCNStart: "2026-01", MCNEnd: "2026-12",
		Policy: models.PolicyProRata, Weights: []models.PeriodWeight{{Period: "2026-W24", Percent: 150}, {Period: "2026-11", Percent: 200}}}
	cases := []struct {
		name   string
		change func(p *models.PacingPlan)
		field  string // "" = valid
		msg    string
	}{
		{"a year, with weights", func(p *models.PacingPlan) {}, "", ""},
		{"one week", func(p *models.PacingPlan) { p.CreatorsStart, p.CreatorsEnd = "2026-W24", "2026-W24" }, "", ""},
		{"across the ISO year 2026-W53", func(p *models.PacingPlan) {
			p.CreatorsStart, p.CreatorsEnd, p.Weights[0].Period = "2026-W50", "2027-W02", "2026-W53"
		}, "", ""},
		{"no policy", func(p *models.PacingPlan) { p.Policy = "" }, "policy", "err_policy_unknown"},
		{"unknown policy", func(p *models.PacingPlan) { p.Policy = "lottery" }, "policy", "err_policy_unknown"},
		{"week not a week", func(p *models.PacingPlan) { p.CreatorsStart = "2026-01" }, "creators_period", "err_period_weeks"},
		{"week missing", func(p *models.PacingPlan) { p.CreatorsEnd = "" }, "creators_period", "err_period_weeks"},
		{"end before start", func(p *models.PacingPlan) { p.CreatorsStart, p.CreatorsEnd = "2026-W10", "2026-W09" }, "creators_period", "err_period_end_before_start"},
		{"more than three years", func(p *models.PacingPlan) { p.CreatorsStart, p.CreatorsEnd = "2024-W01", "2027-W02" }, "creators_period", "err_period_too_long"},
		{"month not a month", func(p *models.PacingPlan) { p.MCNEnd = "2026-13" }, "mcn_period", "err_period_months"},
		{"months reversed", func(p *models.PacingPlan) { p.MCNStart, p.MCNEnd = "2026-12", "2026-01" }, "mcn_period", "err_period_end_before_start"},
		{"weight too small", func(p *models.PacingPlan) { p.Weights[0].Percent = 9 }, "weights", "err_weight_percent_range"},
		{"weight too large", func(p *models.PacingPlan) { p.Weights[1].Percent = 1001 }, "weights", "err_weight_percent_range"},
		{"weight twice", func(p *models.PacingPlan) { p.Weights[1].Period = "2026-W24" }, "weights", "err_weight_duplicate"},
		{"weight outside", func(p *models.PacingPlan) { p.Weights[0].Period = "2027-W01" }, "weights", "err_weight_outside_period"},
		{"weight neither", func(p *models.PacingPlan) { p.Weights[0].Period = "618" }, "weights", "err_weight_period"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := good
			p.Weights = append([]models.PeriodWeight{}, good.Weights...)
			c.change(&p)
			fe := p.Validate()
			if c.field == "" {
				if len(fe) > 0 {
					t.Fatalf("valid plan refused: %v", fe)
				}
				return
			}
			if got := fe[c.field]; got.ID != c.msg {
				t.Fatalf("field %s: got %+v, want %s (all: %v)", c.field, got, c.msg, fe)
			}
		})
	}
}

func TestPacingPlanPeriodsAndWeights(t *testing.T) {
	t.Parallel()
	p := models.PacingPlan{CreatorsStart: "2026-W52", CreatorsEnd: "2027-W02", MCNStart: "2026-11", MCNEnd: "2027-02",
		Policy: models.PolicyWarn, Weights: []models.PeriodWeight{{Period: "2026-W53", Percent: 150}, {Period: "2027-01", Percent: 50}}}
	weeks := p.Periods(models.PoolCreators)
	want := []models.PeriodWeight{{Period: "2026-W52", Percent: 100}, {Period: "2026-W53", Percent: 150}, {Period: "2027-W01", Percent: 100}, {Period: "2027-W02", Percent: 100}}
	if len(weeks) != len(want) {
		t.Fatalf("weeks %v, want %v", weeks, want)
	}
	for i := range want {
		if weeks[i] != want[i] {
			t.Fatalf("weeks %v, want %v", weeks, want)
		}
	}
	months := p.Periods(models.PoolMCN)
	if len(months) != 4 || months[0].Period != "2026-11" || months[2] != (models.PeriodWeight{Period: "2027-01", Percent: 50}) || months[3].Period != "2027-02" {
		t.Fatalf("months %v", months)
	}
	if !p.Contains(models.PoolCreators, "2026-W53") || p.Contains(models.PoolCreators, "2027-W03") || p.Contains(models.PoolMCN, "2026-10") {
		t.Fatal("Contains does not follow the period")
	}
	if unset := (models.PacingPlan{}); unset.IsSet() || unset.Periods(models.PoolCreators) != nil || !unset.Contains(models.PoolCreators, "2020-W01") {
		t.Fatal("an unset plan paces nothing and limits no week")
	}
}

func TestPacingPlanChangesByTwoAdmins(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	admin2 := w.secondAdmin(t, "admin2@t.test")
	if cur, err := w.s.PacingPlanNow(ctx); err != nil || cur.IsSet() || cur.Policy != models.PolicyProRata {
		t.Fatalf("before any plan: %+v %v", cur, err)
	}
	plan := models.PacingPlan{CreatorsStart: " 2026-W10 ", CreatorsEnd: "2027-W09", MCNStart: "2026-03", MCNEnd: "2027-02", Policy: models.PolicyByRank,
		Weights: []models.PeriodWeight{{Period: "2026-W24", Percent: 150}}}
	if _, err := w.s.ProposePacingPlan(ctx, w.rev1, plan); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a reviewer proposed a plan: %v", err)
	}
	bad := plan
	bad.CreatorsEnd = "2026-W01"
	if _, err := w.s.ProposePacingPlan(ctx, w.admin, bad); fieldError(t, err, "creators_period").ID != "err_period_end_before_start" {
		t.Fatalf("bad plan: %v", err)
	}
	ch, err := w.s.ProposePacingPlan(ctx, w.admin, plan)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.ApproveChange(ctx, w.admin, ch.ID); !errors.Is(err, models.ErrOwnChange) {
		t.Fatalf("the proposer approved their own plan: %v", err)
	}
	if cur, _ := w.s.PacingPlanNow(ctx); cur.IsSet() {
		t.Fatal("the plan is in force before a second admin approved it")
	}
	if _, err := w.s.ApproveChange(ctx, admin2, ch.ID); err != nil {
		t.Fatal(err)
	}
	cur, err := w.s.PacingPlanNow(ctx)
	if err != nil || cur.CreatorsStart != "2026-W10" || cur.Policy != models.PolicyByRank || len(cur.Weights) != 1 {
		t.Fatalf("in force: %+v %v", cur, err)
	}
	if start, err := w.s.ProgrammeStartWeek(ctx); err != nil || start.String() != models.DefaultProgrammeStartWeek {
		t.Fatalf("ingest still takes the history before the period: %v %v", start, err)
	}
	lines, err := ch.Lines()
	if err != nil || len(lines) != 4 || lines[0].Field != "pacing_creators_period" || lines[0].Proposed != "2026-W10 – 2027-W09" || !lines[0].Changed {
		t.Fatalf("lines %+v %v", lines, err)
	}
	if _, err := w.s.ProposePacingPlan(ctx, w.admin, plan); !errors.Is(err, models.ErrNoChange) {
		t.Fatalf("proposing the plan in force: %v", err)
	}
}

func TestYearPlanWeighsTheShoppingFestivals(t *testing.T) {
	t.Parallel()
	first, _ := models.ParseWeek("2026-W41")
	p := models.YearPlanFrom(first, models.PolicyProRata)
	if fe := p.Validate(); len(fe) > 0 {
		t.Fatalf("the seeds' plan is invalid: %v", fe)
	}
	// 2026 has 53 ISO weeks.
	if p.CreatorsEnd != "2027-W39" || p.MCNStart != "2026-10" || p.MCNEnd != "2027-09" || len(p.Periods(models.PoolCreators)) != 52 {
		t.Fatalf("not a year: %+v", p)
	}
	// 11.11 falls in 2026-W46 (Wednesday 11 November), 618 in 2027-W24 (Friday 18 June).
	want := map[string]bool{"2026-W46": true, "2026-11": true, "2027-W24": true, "2027-06": true}
	for _, w := range p.Weights {
		if !want[w.Period] || w.Percent != 150 {
			t.Fatalf("unexpected weight %+v", w)
		}
		delete(want, w.Period)
	}
	if len(want) > 0 {
		t.Fatalf("festivals not weighted: %v", want)
	}
}
