package models_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// riskPerf writes a week of figures for a creator behind the application's back.
func (w *world) riskPerf(t *testing.T, creatorID uint, week models.WeekLabel, f models.Figures) {
	t.Helper()
	now := time.Now()
	row := models.WeeklyPerformance{CreatorID: creatorID, Week: week.String(), Videos: f.Videos, LiveSessions: f.LiveSessions, Views: f.Views,
		Orders: f.Orders, GMVFen: f.GMVFen, RefundedOrders: f.RefundedOrders, RefundedGMVFen: f.RefundedGMVFen, CreatedAt: now, UpdatedAt: now}
	if err := w.raw.Create(&row).Error; err != nil {
		t.Fatal(err)
	}
}

// flagsOf lists the kinds of risk flag a creator's bonus of the week carries.
func (w *world) flagsOf(t *testing.T, creatorID uint, week models.WeekLabel) []models.RiskKind {
	t.Helper()
	b := w.bonusOf(t, creatorID, week)
	flags, err := w.s.BonusRiskFlags(ctx, w.rev1, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []models.RiskKind
	for _, f := range flags {
		kinds = append(kinds, f.Kind)
		if english(f.Msg()) == "" || strings.Contains(english(f.Msg()), "risk_") {
			t.Errorf("flag %s reads %q", f.Kind, english(f.Msg()))
		}
	}
	if len(kinds) != b.RiskCount {
		t.Errorf("bonus %d: %d flags stored, risk_count %d", b.ID, len(kinds), b.RiskCount)
	}
	return kinds
}

// riskCase is a creator's figures this week (and the weeks before) and
// whether the detector under test flags it.
type riskCase struct {
	name    string
	history []models.Figures // the weeks before, newest first
	week    models.Figures
	flagged bool
}

// runRiskCases writes every case (plus others, the crowd a distribution
// needs), computes last week and checks which creators carry kind.
func runRiskCases(t *testing.T, kind models.RiskKind, crowd []models.Figures, cases []riskCase) {
	t.Helper()
	w := newWorld(t)
	for i, f := range crowd {
		c := w.qualified(t, "jd_crowd_"+string(rune('a'+i)))
		w.riskPerf(t, c.ID, lastWeek, f)
	}
	ids := make([]uint, len(cases))
	for i, tc := range cases {
		c := w.qualified(t, "jd_risk_"+string(rune('a'+i)))
		ids[i] = c.ID
		week := lastWeek
		for _, h := range tc.history {
			week = week.Prev()
			w.riskPerf(t, c.ID, week, h)
		}
		w.riskPerf(t, c.ID, lastWeek, tc.week)
	}
	res := w.compute(t, lastWeek)
	want := 0
	for i, tc := range cases {
		got := slices.Contains(w.flagsOf(t, ids[i], lastWeek), kind)
		if got != tc.flagged {
			t.Errorf("%s: flagged %s = %v, want %v", tc.name, kind, got, tc.flagged)
		}
		if tc.flagged {
			want++
		}
	}
	if kind != models.RiskIdentical && kind != models.RiskOrderValue && res.Flagged != want {
		t.Errorf("%d proposals flagged, want %d", res.Flagged, want)
	}
}

func weeks(n int, f models.Figures) []models.Figures {
	out := make([]models.Figures, n)
	for i := range out {
		out[i] = f
	}
	return out
}

func TestRiskSpikeAboveKTimesTheTrailingMedian(t *testing.T) {
	t.Parallel()
	base := models.Figures{Videos: 1, Views: 10_000, Orders: 10, GMVFen: 1_000_000}
	runRiskCases(t, models.RiskSpike, nil, []riskCase{
		{name: "GMV 5× the median and a fen more", history: weeks(4, base), week: models.Figures{Videos: 1, Views: 10_000, Orders: 10, GMVFen: 5_000_001}, flagged: true},
		{name: "GMV exactly 5× the median", history: weeks(4, base), week: models.Figures{Videos: 1, Views: 10_000, Orders: 10, GMVFen: 5_000_000}},
		{name: "net GMV 5× once refunds are taken off", history: weeks(4, base), week: models.Figures{Videos: 1, Views: 10_000, Orders: 10, GMVFen: 9_000_000, RefundedGMVFen: 4_000_000}},
		{name: "views above 5× the median", history: weeks(8, base), week: models.Figures{Videos: 1, Views: 50_001, Orders: 10, GMVFen: 1_000_000}, flagged: true},
		{name: "a spike with three weeks of history only", history: weeks(3, base), week: models.Figures{Videos: 1, Views: 10_000, Orders: 10, GMVFen: 50_000_000}},
	})
}

func TestRiskRefundRateAboveTheThreshold(t *testing.T) {
	t.Parallel()
	runRiskCases(t, models.RiskRefundRate, nil, []riskCase{
		{name: "4 of 10 orders refunded", week: models.Figures{Videos: 1, Orders: 10, GMVFen: 100_000, RefundedOrders: 4, RefundedGMVFen: 40_000}, flagged: true},
		{name: "3 of 10 orders refunded (30%, not above)", week: models.Figures{Videos: 1, Orders: 10, GMVFen: 100_000, RefundedOrders: 3, RefundedGMVFen: 30_000}},
		{name: "no orders", week: models.Figures{Videos: 1, Orders: 0, GMVFen: 0}},
	})
}

func TestRiskOrderValueFarFromTheSubjectAreaMedian(t *testing.T) {
	t.Parallel()
	normal := models.Figures{Videos: 1, Orders: 10, GMVFen: 100_000} // ¥100 an order
	runRiskCases(t, models.RiskOrderValue, weeks(5, normal), []riskCase{
		{name: "AOV above 10× the median", week: models.Figures{Videos: 1, Orders: 1, GMVFen: 100_001}, flagged: true},
		{name: "AOV exactly 10× the median", week: models.Figures{Videos: 1, Orders: 1, GMVFen: 100_000}},
		{name: "AOV below a tenth of the median", week: models.Figures{Videos: 1, Orders: 100, GMVFen: 99_900}, flagged: true},
		{name: "AOV exactly a tenth of the median", week: models.Figures{Videos: 1, Orders: 100, GMVFen: 100_000}},
	})
}

func TestRiskOrderValueNeedsEnoughCreatorsInTheArea(t *testing.T) {
	t.Parallel()
	normal := models.Figures{Videos: 1, Orders: 10, GMVFen: 100_000}
	runRiskCases(t, models.RiskOrderValue, weeks(3, normal), []riskCase{
		{name: "odd AOV among four creators", week: models.Figures{Videos: 1, Orders: 1, GMVFen: 10_000_000}},
	})
}

func TestRiskIdenticalFiguresAcrossCreators(t *testing.T) {
	t.Parallel()
	same := models.Figures{Videos: 2, LiveSessions: 1, Views: 12_345, Orders: 7, GMVFen: 345_600}
	pair := models.Figures{Videos: 3, Views: 999, Orders: 3, GMVFen: 77_700}
	runRiskCases(t, models.RiskIdentical, nil, []riskCase{
		{name: "three the same (1)", week: same, flagged: true},
		{name: "three the same (2)", week: same, flagged: true},
		{name: "three the same (3)", week: same, flagged: true},
		{name: "only two the same (1)", week: pair},
		{name: "only two the same (2)", week: pair},
		{name: "three the same without GMV (1)", week: models.Figures{Videos: 1}},
		{name: "three the same without GMV (2)", week: models.Figures{Videos: 1}},
		{name: "three the same without GMV (3)", week: models.Figures{Videos: 1}},
	})
}

func TestRiskCapReachedInTheFirstWeek(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	capped := models.Figures{Videos: 60, Views: 10_000_000, Orders: 100, GMVFen: 100_000_000} // ¥2,000,000 + ¥5,000 + 60 × ¥100 > cap
	under := models.Figures{Videos: 40, Views: 10_000_000, Orders: 100, GMVFen: 100_000_000}  // ¥29,000: just under the cap
	newcomer := w.qualified(t, "jd_risk_new")
	veteran := w.qualified(t, "jd_risk_old")
	modest := w.qualified(t, "jd_risk_under")
	w.riskPerf(t, veteran.ID, lastWeek.Prev(), models.Figures{Videos: 1, Orders: 1, GMVFen: 1000})
	w.compute(t, lastWeek.Prev())
	w.riskPerf(t, newcomer.ID, lastWeek, capped)
	w.riskPerf(t, veteran.ID, lastWeek, capped)
	w.riskPerf(t, modest.ID, lastWeek, under)
	if res := w.compute(t, lastWeek); res.Capped != 2 || res.Flagged != 1 {
		t.Fatalf("capped %d, flagged %d; want 2 and 1", res.Capped, res.Flagged)
	}
	if got := w.flagsOf(t, newcomer.ID, lastWeek); !slices.Equal(got, []models.RiskKind{models.RiskFirstWeekCap}) {
		t.Errorf("newcomer at the cap: %v", got)
	}
	if got := w.flagsOf(t, veteran.ID, lastWeek); len(got) != 0 {
		t.Errorf("capped with an earlier bonus: %v", got)
	}
	if got := w.flagsOf(t, modest.ID, lastWeek); len(got) != 0 {
		t.Errorf("first week just under the cap: %v", got)
	}
	b := w.bonusOf(t, newcomer.ID, lastWeek)
	flags, _ := w.s.BonusRiskFlags(ctx, w.rev1, b.ID)
	if got := english(flags[0].Msg()); !strings.Contains(got, "¥30,000.00") {
		t.Errorf("the flag says %q, want the capped amount", got)
	}
}

// Recomputing replaces the flags of proposals still waiting and keeps those
// of decided bonuses; the queue filters and sorts by them.
func TestRiskFlagsRecomputedForWaitingProposalsOnly(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	same := models.Figures{Videos: 2, Views: 5_000, Orders: 4, GMVFen: 40_000}
	var ids []uint
	for _, acct := range []string{"jd_rk_1", "jd_rk_2", "jd_rk_3"} {
		c := w.qualified(t, acct)
		ids = append(ids, c.ID)
		w.riskPerf(t, c.ID, lastWeek, same)
	}
	clean := w.qualified(t, "jd_rk_clean")
	w.riskPerf(t, clean.ID, lastWeek, models.Figures{Videos: 1, Views: 10, Orders: 1, GMVFen: 900})
	if res := w.compute(t, lastWeek); res.Flagged != 3 {
		t.Fatalf("flagged %d, want 3", res.Flagged)
	}
	list := func(f models.BonusFilter) []uint {
		f.Week = lastWeek.String()
		rows, totals, err := w.s.ListBonuses(ctx, w.rev1, f, models.NewPage(1, 50))
		if err != nil {
			t.Fatal(err)
		}
		var out []uint
		for _, r := range rows {
			out = append(out, r.CreatorID)
		}
		if int(totals.Count) != len(out) {
			t.Fatalf("count %d, rows %d", totals.Count, len(out))
		}
		return out
	}
	if got := list(models.BonusFilter{Risk: models.RiskAny}); len(got) != 3 {
		t.Errorf("any flag: %v", got)
	}
	if got := list(models.BonusFilter{Risk: string(models.RiskIdentical)}); len(got) != 3 {
		t.Errorf("identical: %v", got)
	}
	if got := list(models.BonusFilter{Risk: string(models.RiskSpike)}); len(got) != 0 {
		t.Errorf("spike: %v", got)
	}
	if got := list(models.BonusFilter{Risk: models.RiskNone}); !slices.Equal(got, []uint{clean.ID}) {
		t.Errorf("no flag: %v", got)
	}
	if got := list(models.BonusFilter{Sort: "risk", Desc: true}); len(got) != 4 || got[3] != clean.ID {
		t.Errorf("sorted by risk: %v, want the clean one last", got)
	}
	if got := list(models.BonusFilter{Sort: "risk"}); got[0] != clean.ID {
		t.Errorf("sorted by risk ascending: %v, want the clean one first", got)
	}
	byKind, err := w.s.FlaggedWaiting(ctx)
	if err != nil || byKind[slices.IndexFunc(byKind, func(k models.FlaggedKind) bool { return k.Kind == models.RiskIdentical })].Count != 3 {
		t.Errorf("dashboard by kind: %+v %v", byKind, err)
	}

	// One is approved; the figures of another change; recompute.
	decided := w.bonusOf(t, ids[0], lastWeek)
	if rep, err := w.s.ApproveBonuses(ctx, w.rev1, []uint{decided.ID}); err != nil || rep.Approved != 1 {
		t.Fatalf("approve: %+v %v", rep, err)
	}
	if err := w.raw.Exec("UPDATE weekly_performances SET views = 5001 WHERE creator_id = ?", ids[1]).Error; err != nil {
		t.Fatal(err)
	}
	if res := w.compute(t, lastWeek); res.Flagged != 0 {
		t.Errorf("flagged after the recompute: %d, want 0 (only two waiting ones left alike)", res.Flagged)
	}
	if got := w.flagsOf(t, ids[0], lastWeek); !slices.Equal(got, []models.RiskKind{models.RiskIdentical}) {
		t.Errorf("the approved bonus keeps the flag it was decided with: %v", got)
	}
	for _, id := range ids[1:] {
		if got := w.flagsOf(t, id, lastWeek); len(got) != 0 {
			t.Errorf("waiting proposal %d keeps stale flags: %v", id, got)
		}
	}
	byKind, _ = w.s.FlaggedWaiting(ctx)
	for _, k := range byKind {
		if k.Count != 0 {
			t.Errorf("dashboard still counts %+v", k)
		}
	}
}

// Thresholds change only by two admins; a changed threshold is used at the next compute.
func TestRiskThresholdsChangeByTwoAdmins(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	sys := models.SystemActor()
	u, err := w.s.CreateUser(ctx, sys, models.NewUser{Email: "admin2@t.test", Password: "long-enough-password", Role: models.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	admin2 := models.ActorFor(u, "127.0.0.1")
	bad := models.DefaultRiskThresholds
	bad.RefundRatePercent, bad.SpikeFactor = 0, 1
	if _, err := w.s.ProposeRiskThresholds(ctx, w.admin, bad); fieldError(t, err, "refund_rate_percent").ID != "err_risk_threshold_range" {
		t.Fatalf("out of range: %v", err)
	}
	if _, err := w.s.ProposeRiskThresholds(ctx, w.rev1, models.DefaultRiskThresholds); err == nil {
		t.Fatal("a reviewer proposed thresholds")
	}
	next := models.DefaultRiskThresholds
	next.RefundRatePercent = 20
	ch, err := w.s.ProposeRiskThresholds(ctx, w.admin, next)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.ApproveChange(ctx, w.admin, ch.ID); err == nil {
		t.Fatal("the proposer approved their own change")
	}
	if cur, _ := w.s.RiskThresholdsNow(ctx); cur.RefundRatePercent != 30 {
		t.Fatalf("in force before approval: %+v", cur)
	}
	lines, err := ch.Lines()
	if err != nil || !slices.ContainsFunc(lines, func(l models.ChangeLine) bool { return l.Field == "risk_refund_rate_percent" && l.Changed }) {
		t.Errorf("lines: %+v %v", lines, err)
	}
	c := w.qualified(t, "jd_rk_refund")
	w.riskPerf(t, c.ID, lastWeek, models.Figures{Videos: 1, Orders: 10, GMVFen: 100_000, RefundedOrders: 3, RefundedGMVFen: 30_000})
	w.compute(t, lastWeek)
	if got := w.flagsOf(t, c.ID, lastWeek); len(got) != 0 {
		t.Fatalf("flagged at 30%% under the default: %v", got)
	}
	if _, err := w.s.ApproveChange(ctx, admin2, ch.ID); err != nil {
		t.Fatal(err)
	}
	w.compute(t, lastWeek)
	if got := w.flagsOf(t, c.ID, lastWeek); !slices.Equal(got, []models.RiskKind{models.RiskRefundRate}) {
		t.Fatalf("not flagged at 30%% over a 20%% threshold: %v", got)
	}
}

// "Approve everything matching" without flagged proposals keeps the filter:
// with a filter that wants flagged ones only (any flag, or one kind) nothing
// is left to approve — never the unflagged proposals the filter did not match.
func TestRiskWithoutFlaggedKeepsTheFilter(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	same := models.Figures{Videos: 2, Views: 5_000, Orders: 4, GMVFen: 40_000}
	for _, acct := range []string{"jd_wf_1", "jd_wf_2", "jd_wf_3"} {
		w.riskPerf(t, w.qualified(t, acct).ID, lastWeek, same)
	}
	clean := w.qualified(t, "jd_wf_clean")
	w.riskPerf(t, clean.ID, lastWeek, models.Figures{Videos: 1, Views: 10, Orders: 1, GMVFen: 900})
	if res := w.compute(t, lastWeek); res.Flagged != 3 {
		t.Fatalf("flagged %d, want 3", res.Flagged)
	}
	for _, tc := range []struct {
		risk           string
		kept, leftOut  int
		leftOutIsEmpty bool
	}{
		{risk: "", kept: 1, leftOut: 3},
		{risk: models.RiskNone, kept: 1, leftOutIsEmpty: true},
		{risk: models.RiskAny, kept: 0, leftOut: 3},
		{risk: string(models.RiskIdentical), kept: 0, leftOut: 3},
		{risk: string(models.RiskSpike), kept: 0, leftOut: 0},
	} {
		t.Run("risk="+tc.risk, func(t *testing.T) {
			kept, left := models.BonusFilter{Week: lastWeek.String(), Risk: tc.risk}.WithoutFlagged()
			ids, err := w.s.BonusIDs(ctx, w.rev1, kept, models.MaxBulk+1)
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) != tc.kept {
				t.Errorf("approving matching without flagged takes %d bonuses, want %d", len(ids), tc.kept)
			}
			if tc.leftOutIsEmpty {
				if left != nil {
					t.Errorf("left out %+v, want none", *left)
				}
				return
			}
			if left == nil {
				t.Fatal("nothing left out")
			}
			if ids, err := w.s.BonusIDs(ctx, w.rev1, *left, models.MaxBulk+1); err != nil || len(ids) != tc.leftOut {
				t.Errorf("left out %d (%v), want %d", len(ids), err, tc.leftOut)
			}
		})
	}
}
