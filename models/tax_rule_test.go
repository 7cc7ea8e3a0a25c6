package models_test

import (
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

func yuan(y int64) int64 { return y * 100 }

// The worked examples, one payee's payments in one month, each
// withholding the month's tax less what was already withheld.
func TestTaxWithheldWorkedExamples(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		payments []int64 // fen, in order, the same CST month
		withheld []int64 // fen, for each payment
	}{
		{"¥3,000 → ¥440", []int64{yuan(3_000)}, []int64{yuan(440)}},
		{"¥30,000 → ¥5,200", []int64{yuan(30_000)}, []int64{yuan(5_200)}},
		{"¥80,000 → ¥18,600", []int64{yuan(80_000)}, []int64{yuan(18_600)}},
		{"¥3,000 then ¥3,000 → ¥440 then ¥520", []int64{yuan(3_000), yuan(3_000)}, []int64{yuan(440), yuan(520)}},
		{"¥800 → ¥0", []int64{yuan(800)}, []int64{0}},
		{"¥500 → ¥0, never negative", []int64{yuan(500)}, []int64{0}},
		{"¥4,000 → ¥640 (income − ¥800)", []int64{yuan(4_000)}, []int64{yuan(640)}},
		{"¥4,000.01 → ¥640.00 (×80 %: taxable ¥3,200.008, tax ¥640.0016)", []int64{400_001}, []int64{64_000}},
		{"¥20,000 taxable exactly (¥25,000) → ¥4,000", []int64{yuan(25_000)}, []int64{yuan(4_000)}},
		{"¥50,000 taxable exactly (¥62,500) → ¥13,000", []int64{yuan(62_500)}, []int64{yuan(13_000)}},
		{"¥30,000 in three parts → ¥5,200 in all", []int64{yuan(3_000), yuan(3_000), yuan(24_000)}, []int64{yuan(440), yuan(520), yuan(4_240)}},
		{"a second payment never gives tax back", []int64{yuan(4_000), 1}, []int64{yuan(640), 0}},
	}
	s := modeltest.NewStore(t)
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, models.CST)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var gross, withheld int64
			for i, p := range c.payments {
				pure := models.DefaultTaxRule.WithholdFen(gross, withheld, p)
				got, err := s.WithholdingFen(ctx, at, gross, withheld, p)
				if err != nil {
					t.Fatal(err)
				}
				if got != c.withheld[i] || pure != got {
					t.Fatalf("payment %d of %s: withheld %s (rule alone %s), want %s", i+1, models.FormatYuan(p),
						models.FormatYuan(got), models.FormatYuan(pure), models.FormatYuan(c.withheld[i]))
				}
				gross, withheld = gross+p, withheld+got
			}
		})
	}
}

// The tax is computed exactly and rounded once, half up to the fen.
func TestTaxRoundsHalfUpToTheFenAtTheEnd(t *testing.T) {
	t.Parallel()
	half := models.TaxRule{TaxableBP: 10_000, Brackets: []models.TaxBracket{{RateBP: 5_000}}} // 50 % of all income
	cases := []struct {
		name   string
		rule   models.TaxRule
		income int64
		tax    int64
	}{
		{"0.48 fen down: ¥4,000.03 → 64000.48", models.DefaultTaxRule, 400_003, 64_000},
		{"0.52 fen up: ¥4,000.22 → 64003.52", models.DefaultTaxRule, 400_022, 64_004},
		{"exactly half up: 1 fen at 50 %", half, 1, 1},
		{"exactly half up: 3 fen at 50 %", half, 3, 2},
		{"rounded at the end, not the taxable first: ¥4,000.01 → 64000.16", models.DefaultTaxRule, 400_001, 64_000},
	}
	for _, c := range cases {
		if got := c.rule.MonthTaxFen(c.income); got != c.tax {
			t.Errorf("%s: %d fen, want %d", c.name, got, c.tax)
		}
	}
	w := models.DefaultTaxRule.Work(yuan(30_000))
	if w.TaxableFen != yuan(24_000) || !w.AboveLine || w.BracketNum != 2 || w.TaxFen != yuan(5_200) || w.NetFen != yuan(24_800) {
		t.Fatalf("working of ¥30,000: %+v", w)
	}
}

// A month is a calendar month in CST, whatever the server's zone: a payment
// at 23:30 on 30 November CST and one at 00:10 on 1 December CST are two
// incomes, each taxed from zero.
func TestTaxMonthIsTheCSTMonth(t *testing.T) {
	t.Parallel()
	late := time.Date(2026, 11, 30, 23, 30, 0, 0, models.CST)
	early := time.Date(2026, 12, 1, 0, 10, 0, 0, models.CST)
	cases := []struct {
		at   time.Time
		want string
	}{
		{late, "2026-11"}, {late.UTC(), "2026-11"}, {early, "2026-12"}, {early.UTC(), "2026-12"},
		{time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC), "2026-12"}, // 00:00 CST on 1 December
		{time.Date(2026, 11, 30, 15, 59, 59, 0, time.UTC), "2026-11"},
	}
	for _, c := range cases {
		if got := models.TaxMonth(c.at); got != c.want {
			t.Errorf("TaxMonth(%s) = %s, want %s", c.at.Format(time.RFC3339), got, c.want)
		}
	}
	start, end := models.TaxMonthBounds(early.UTC())
	if !start.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, models.CST)) || !end.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, models.CST)) {
		t.Fatalf("bounds %s – %s", start, end)
	}

	// Two ¥3,000 payments: in one month the second withholds ¥520; across the boundary ¥440 each.
	s := modeltest.NewStore(t)
	for _, c := range []struct {
		name        string
		first, then time.Time
		want        int64
	}{
		{"same month", late.Add(-time.Hour), late, yuan(520)},
		{"across the boundary", late, early, yuan(440)},
	} {
		months := map[string][2]int64{} // gross, withheld so far per TaxMonth
		var last int64
		for _, at := range []time.Time{c.first, c.then} {
			m := months[models.TaxMonth(at)]
			got, err := s.WithholdingFen(ctx, at, m[0], m[1], yuan(3_000))
			if err != nil {
				t.Fatal(err)
			}
			months[models.TaxMonth(at)] = [2]int64{m[0] + yuan(3_000), m[1] + got}
			last = got
		}
		if last != c.want {
			t.Errorf("%s: second payment withholds %s, want %s", c.name, models.FormatYuan(last), models.FormatYuan(c.want))
		}
	}
}

func TestTaxRuleValidation(t *testing.T) {
	t.Parallel()
	rule := func(change func(r *models.TaxRule)) models.TaxRule {
		r := models.DefaultTaxRule
		r.Brackets = append([]models.TaxBracket(nil), r.Brackets...)
		change(&r)
		return r
	}
	cases := []struct {
		name  string
		rule  models.TaxRule
		field string
		want  string // English message, in part
	}{
		{"negative deduction", rule(func(r *models.TaxRule) { r.DeductionFen = -1 }), "deduction", "negative"},
		{"deduction above threshold", rule(func(r *models.TaxRule) { r.DeductionFen = yuan(5_000) }), "deduction", "¥4,000.00"},
		{"negative threshold", rule(func(r *models.TaxRule) { r.ThresholdFen = -100 }), "threshold", "negative"},
		{"taxable share above 100 %", rule(func(r *models.TaxRule) { r.TaxableBP = 10_001 }), "taxable_rate", "100.01%"},
		{"no brackets", rule(func(r *models.TaxRule) { r.Brackets = nil }), "brackets", "at least one"},
		{"rate above 100 %", rule(func(r *models.TaxRule) { r.Brackets[0].RateBP = 12_000 }), "brackets", "row 1: the rate 120% is not between 0% and 100%"},
		{"negative rate", rule(func(r *models.TaxRule) { r.Brackets[1].RateBP = -1 }), "brackets", "row 2"},
		{"bounds not ascending", rule(func(r *models.TaxRule) { r.Brackets[1].UpToFen = yuan(20_000) }), "brackets", "row 2: the upper bound must be above ¥20,000.00"},
		{"last bracket bounded", rule(func(r *models.TaxRule) { r.Brackets[2].UpToFen = yuan(90_000) }), "brackets", "row 3: the last bracket has no upper bound"},
		{"middle bracket open", rule(func(r *models.TaxRule) { r.Brackets[1].UpToFen = 0 }), "brackets", "row 2: only the last bracket"},
		{"rates falling", rule(func(r *models.TaxRule) { r.Brackets[2].RateBP = 2_500; r.Brackets[2].QuickDeductionFen = 0 }), "brackets", "row 3: the rate is below"},
		{"quick deduction inconsistent", rule(func(r *models.TaxRule) { r.Brackets[1].QuickDeductionFen = yuan(2_500) }), "brackets", "row 2: the quick deduction must be ¥2,000.00"},
		{"first quick deduction not zero", rule(func(r *models.TaxRule) { r.Brackets[0].QuickDeductionFen = 1 }), "brackets", "row 1: the quick deduction must be ¥0.00"},
		{"quick deduction in fractions of a fen", rule(func(r *models.TaxRule) { r.Brackets[0].UpToFen = 2_000_001 }), "brackets", "row 2"},
		{"too many brackets", rule(func(r *models.TaxRule) {
			r.Brackets = make([]models.TaxBracket, models.TaxMaxBrackets+1)
			for i := range r.Brackets {
				r.Brackets[i] = models.TaxBracket{UpToFen: int64(i+1) * yuan(10_000)}
			}
			r.Brackets[len(r.Brackets)-1].UpToFen = 0
		}), "brackets", "at most 6"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fe := c.rule.Validate()
			msg, ok := fe[c.field]
			if !ok || len(fe) != 1 {
				t.Fatalf("want one error on %s, got %v", c.field, fe)
			}
			if got := english(msg); !strings.Contains(got, c.want) || strings.Contains(got, "{{") {
				t.Fatalf("%s: %q, want it to say %q", c.field, got, c.want)
			}
		})
	}
	if fe := models.DefaultTaxRule.Validate(); len(fe) != 0 {
		t.Fatalf("the default rule is refused: %v", fe)
	}
	flat := models.TaxRule{DeductionFen: 0, ThresholdFen: 0, TaxableBP: 10_000, Brackets: []models.TaxBracket{{RateBP: 0}}}
	if fe := flat.Validate(); len(fe) != 0 {
		t.Fatalf("a rule withholding nothing is refused: %v", fe)
	}
}

func TestTaxRuleForm(t *testing.T) {
	t.Parallel()
	form := models.TaxFormOf(models.DefaultTaxRule)
	if len(form.Brackets) != models.TaxMaxBrackets || form.TaxableRate != "80" || form.Brackets[2].UpTo != "" || form.Brackets[1].Quick != "2000.00" {
		t.Fatalf("form of the default: %+v", form)
	}
	got, fe := form.Parse()
	if len(fe) != 0 || !reflect.DeepEqual(got, models.DefaultTaxRule) {
		t.Fatalf("round trip: %+v %v", got, fe)
	}
	form.TaxableRate, form.Brackets[0].Rate = "70 %", "abc"
	if _, fe := form.Parse(); !strings.Contains(english(fe["brackets"]), "row 1") || len(fe) != 1 {
		t.Fatalf("bad rate: %v", fe)
	}
	form.Brackets[0].Rate, form.Deduction = "20.5", "-1"
	if _, fe := form.Parse(); !strings.Contains(english(fe["deduction"]), "negative") {
		t.Fatalf("bad deduction: %v", fe)
	}
	for in, bp := range map[string]int64{"20": 2000, "20%": 2000, "12.5 %": 1250, "0.01": 1, "100": 10_000} {
		if got, err := models.ParsePercentBP(in); err != nil || got != bp {
			t.Errorf("ParsePercentBP(%q) = %d, %v", in, got, err)
		}
	}
	for bp, out := range map[int64]string{8000: "80%", 2050: "20.5%", 1234: "12.34%", 0: "0%"} {
		if got := models.FormatPercentBP(bp); got != out {
			t.Errorf("FormatPercentBP(%d) = %q", bp, got)
		}
	}
}

// A new tax rule is proposed by one admin and applied when another approves;
// it withholds from the moment of approval, and earlier payments keep the
// rule they were made under.
func TestTaxRuleChangesWithTwoAdmins(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Date(2026, 11, 10, 9, 0, 0, 0, models.CST)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s, raw := modeltest.NewStoreWithDB(t, models.WithClock(clock))
	w := &world{s: s, raw: raw}
	mk := func(email string) *models.Actor {
		u, err := s.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: email, Password: "long-enough-password", Role: models.RoleAdmin})
		if err != nil {
			t.Fatal(err)
		}
		return models.ActorFor(u, "127.0.0.1")
	}
	admin, admin2 := mk("admin@t.test"), mk("admin2@t.test")

	cur, err := s.CurrentTaxRule(ctx)
	if err != nil || cur.Version != 1 || !reflect.DeepEqual(cur.TaxRule, models.DefaultTaxRule) {
		t.Fatalf("version 1 is not the default rule: %+v %v", cur, err)
	}
	if _, err := s.ProposeTaxRule(ctx, admin, models.DefaultTaxRule); !errors.Is(err, models.ErrNoChange) {
		t.Fatalf("proposing the rule in force: %v", err)
	}
	bad := models.DefaultTaxRule
	bad.TaxableBP = 20_000
	if _, err := s.ProposeTaxRule(ctx, admin, bad); fieldError(t, err, "taxable_rate").IsZero() {
		t.Fatal("no message")
	}
	reviewer, err := s.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: "rev@t.test", Password: "long-enough-password", Role: models.RoleReviewer})
	if err != nil {
		t.Fatal(err)
	}
	next := models.DefaultTaxRule
	next.Brackets = []models.TaxBracket{{UpToFen: yuan(20_000), RateBP: 2_500}, {UpToFen: yuan(50_000), RateBP: 3_000, QuickDeductionFen: yuan(1_000)}, {RateBP: 4_000, QuickDeductionFen: yuan(6_000)}}
	if _, err := s.ProposeTaxRule(ctx, models.ActorFor(reviewer, ""), next); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a reviewer proposed a tax rule: %v", err)
	}
	ch, err := s.ProposeTaxRule(ctx, admin, next)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := ch.Lines()
	if err != nil || len(lines) != 4 || lines[3].Field != "tax_brackets" || !lines[3].Changed || lines[0].Changed ||
		!strings.Contains(lines[3].Proposed, "≤ ¥20,000.00: 25% − ¥0.00") || !strings.Contains(lines[3].Current, "> ¥50,000.00: 40% − ¥7,000.00") {
		t.Fatalf("lines: %+v %v", lines, err)
	}
	if _, err := s.ApproveChange(ctx, admin, ch.ID); !errors.Is(err, models.ErrOwnChange) {
		t.Fatalf("the proposer approved their own tax rule: %v", err)
	}
	if cur, _ := s.CurrentTaxRule(ctx); cur.Version != 1 {
		t.Fatalf("a proposal changed the rule in force: version %d", cur.Version)
	}

	mu.Lock()
	now = time.Date(2026, 11, 15, 12, 0, 0, 0, models.CST)
	approvedAt := now
	mu.Unlock()
	if _, err := s.ApproveChange(ctx, admin2, ch.ID); err != nil {
		t.Fatal(err)
	}
	cur, err = s.CurrentTaxRule(ctx)
	if err != nil || cur.Version != 2 || !reflect.DeepEqual(cur.TaxRule, next) || !cur.InForceFrom.Equal(approvedAt) || cur.ChangeID == nil || *cur.ChangeID != ch.ID {
		t.Fatalf("after approval: %+v %v", cur, err)
	}
	if n := w.auditCount(t, "settings.tax_rule", 2); n != 1 {
		t.Fatalf("%d audit rows for version 2", n)
	}
	// ¥3,000: 25 % of ¥2,200 under version 2, 20 % under version 1 (payments before the approval).
	for _, c := range []struct {
		at   time.Time
		want int64
	}{{approvedAt.Add(-time.Second), yuan(440)}, {approvedAt, yuan(550)}, {approvedAt.AddDate(0, 1, 0), yuan(550)}, {time.Date(2020, 1, 1, 0, 0, 0, 0, models.CST), yuan(440)}} {
		got, err := s.WithholdingFen(ctx, c.at, 0, 0, yuan(3_000))
		if err != nil || got != c.want {
			t.Errorf("at %s: %s, want %s (%v)", models.FormatCST(c.at), models.FormatYuan(got), models.FormatYuan(c.want), err)
		}
	}
	hist, err := s.TaxRuleHistory(ctx)
	if err != nil || len(hist) != 2 || hist[0].Version != 2 || hist[1].Version != 1 {
		t.Fatalf("history: %+v %v", hist, err)
	}
	if _, err := s.SaveTaxRule(ctx, admin, models.DefaultTaxRule); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a signed-in admin set the tax rule directly: %v", err)
	}
}
