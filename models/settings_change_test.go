package models_test

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// rawHandle opens the database at url behind the application's back.
func rawHandle(t *testing.T, url string) *gorm.DB {
	t.Helper()
	dial := sqlite.Open("file:" + url + "?_busy_timeout=10000")
	if models.IsPostgresURL(url) {
		dial = postgres.Open(url)
	}
	raw, err := gorm.Open(dial, &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if db, err := raw.DB(); err == nil {
			db.Close()
		}
	})
	return raw
}

// secondAdmin adds another admin to the world: the checker of a maker-checker pair.
func (w *world) secondAdmin(t *testing.T, email string) *models.Actor {
	t.Helper()
	u, err := w.s.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: email, Password: "long-enough-password", Role: models.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	return models.ActorFor(u, "127.0.0.1")
}

// liveMoneySettings reads every setting a proposal can change, as it is in force.
func (w *world) liveMoneySettings(t *testing.T) string {
	t.Helper()
	rule, version, err := w.s.CurrentBonusRule(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mcn, err := w.s.MCNRuleNow(ctx)
	if err != nil {
		t.Fatal(err)
	}
	budget, err := w.s.ProgrammeBudgetNow(ctx)
	if err != nil {
		t.Fatal(err)
	}
	creators, _ := w.s.GetPool(ctx, models.PoolCreators)
	mcnPool, _ := w.s.GetPool(ctx, models.PoolMCN)
	b, _ := json.Marshal([]any{rule, version, mcn, budget, creators.TotalFen, mcnPool.TotalFen})
	return string(b)
}

func (w *world) auditCount(t *testing.T, action string, id uint) int64 {
	t.Helper()
	var n int64
	if err := w.raw.Model(&models.AuditEntry{}).Where("action = ? AND object_id = ?", action, id).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFourEyesThresholdCannotExceedTheCap(t *testing.T) {
	t.Parallel()
	rule := models.DefaultBonusRule
	rule.WeeklyCapFen, rule.FourEyesFen = 2_500_000, 2_600_000
	if msg := english(rule.Validate()["four_eyes"]); !strings.Contains(msg, "¥26,000.00") || !strings.Contains(msg, "¥25,000.00") {
		t.Fatalf("threshold above the cap: %q", msg)
	}
	rule.FourEyesFen = rule.WeeklyCapFen // at the cap is allowed: bonuses at the cap need two reviewers
	if fe := rule.Validate(); len(fe) > 0 {
		t.Fatalf("threshold at the cap refused: %v", fe)
	}
	form := models.FormOf(models.DefaultBonusRule)
	form.WeeklyCap, form.FourEyes = "25000", "25000.01"
	if _, fe := form.Parse(); !strings.Contains(english(fe["four_eyes"]), "must be at most the weekly cap (¥25,000.00)") {
		t.Fatalf("form: %v", fe)
	}
	mcn := models.DefaultMCNRule
	mcn.FourEyesFen = mcn.MaxFen + 1
	if msg := english(mcn.Validate()["four_eyes"]); !strings.Contains(msg, "monthly maximum per agency (¥50,000.00)") {
		t.Fatalf("MCN threshold above the maximum: %q", msg)
	}

	// Proposing it is refused up front; nothing waits for approval.
	w := newWorld(t)
	bad := models.DefaultBonusRule
	bad.FourEyesFen = bad.WeeklyCapFen + 100
	if _, err := w.s.ProposeBonusRule(ctx, w.admin, bad); fieldError(t, err, "four_eyes").IsZero() {
		t.Fatal("no message")
	}
	if pending, _ := w.s.PendingChanges(ctx, w.admin); len(pending) != 0 {
		t.Fatalf("an invalid rule waits for approval: %+v", pending)
	}
}

// A rule written before the check (or behind the application's back) with
// its threshold above the cap still needs two reviewers at the cap.
func TestFourEyesHoldsEvenWhenAStoredThresholdIsAboveTheCap(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	rule := models.DefaultBonusRule
	rule.FourEyesFen = 9_000_000
	raw, _ := json.Marshal(rule)
	if err := w.raw.Exec("UPDATE bonus_rule_versions SET rule = ?", string(raw)).Error; err != nil {
		t.Fatal(err)
	}
	c := w.qualified(t, "jd_cr_cap001")
	w.perf(t, lastWeek, c.AccountID, 50, 0, 20_000_000, 200_000_000) // far above the cap
	if _, err := w.s.ComputeWeek(ctx, w.rev1, lastWeek.String()); err != nil {
		t.Fatal(err)
	}
	b := w.bonusOf(t, c.ID, lastWeek)
	if b.AmountFen != models.ProgrammeMaxWeeklyFen {
		t.Fatalf("amount %d", b.AmountFen)
	}
	rep, err := w.s.ApproveBonuses(ctx, w.rev1, []uint{b.ID})
	if err != nil || rep.Awaiting != 1 {
		t.Fatalf("one reviewer approved a bonus at the cap alone: %+v %v", rep, err)
	}
}

// Every money setting: one admin's proposal changes nothing; the proposer
// cannot approve or reject it; a reviewer cannot approve it; a second admin's
// approval applies it; all of it is audited with before and after.
func TestOneAdminCannotChangeAMoneySettingAlone(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		propose func(w *world, a *models.Actor) (*models.SettingsChange, error)
		applied func(w *world) bool
	}{
		{"weekly cap and threshold", func(w *world, a *models.Actor) (*models.SettingsChange, error) {
			r := models.DefaultBonusRule
			r.WeeklyCapFen, r.FourEyesFen = 2_500_000, 2_500_000
			return w.s.ProposeBonusRule(ctx, a, r)
		}, func(w *world) bool {
			r, _, _ := w.s.CurrentBonusRule(ctx)
			return r.WeeklyCapFen == 2_500_000 && r.FourEyesFen == 2_500_000
		}},
		{"creator pool", func(w *world, a *models.Actor) (*models.SettingsChange, error) {
			return w.s.ProposePoolTotal(ctx, a, models.PoolCreators, 90_000_000_000)
		}, func(w *world) bool {
			p, _ := w.s.GetPool(ctx, models.PoolCreators)
			return p.TotalFen == 90_000_000_000
		}},
		{"MCN pool", func(w *world, a *models.Actor) (*models.SettingsChange, error) {
			return w.s.ProposePoolTotal(ctx, a, models.PoolMCN, 400_000_000)
		}, func(w *world) bool { p, _ := w.s.GetPool(ctx, models.PoolMCN); return p.TotalFen == 400_000_000 }},
		{"MCN rule", func(w *world, a *models.Actor) (*models.SettingsChange, error) {
			r := models.DefaultMCNRule
			r.MeetFen = 2_500_000
			return w.s.ProposeMCNRule(ctx, a, r)
		}, func(w *world) bool { r, _ := w.s.MCNRuleNow(ctx); return r.MeetFen == 2_500_000 }},
		{"default quota", func(w *world, a *models.Actor) (*models.SettingsChange, error) {
			r := models.DefaultMCNRule
			r.DefaultQuota = 12
			return w.s.ProposeMCNRule(ctx, a, r) // only the quota differs: a quota_default change
		}, func(w *world) bool { r, _ := w.s.MCNRuleNow(ctx); return r.DefaultQuota == 12 }},
		{"programme budget", func(w *world, a *models.Actor) (*models.SettingsChange, error) {
			return w.s.ProposeProgrammeBudget(ctx, a, models.ProgrammeBudget{CreatorsFen: 120_000_000_000, MCNFen: 600_000_000})
		}, func(w *world) bool { b, _ := w.s.ProgrammeBudgetNow(ctx); return b.CreatorsFen == 120_000_000_000 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			checker := w.secondAdmin(t, "checker@t.test")
			before := w.liveMoneySettings(t)
			ch, err := tc.propose(w, w.admin)
			if err != nil {
				t.Fatal(err)
			}
			if tc.name == "default quota" && ch.Kind != models.ChangeQuotaDefault {
				t.Fatalf("a quota-only MCN rule change was filed as %q", ch.Kind)
			}
			if ch.State != models.ChangePending || w.liveMoneySettings(t) != before {
				t.Fatalf("a proposal changed the live settings: %+v", ch)
			}
			if _, err := w.s.ApproveChange(ctx, w.admin, ch.ID); !errors.Is(err, models.ErrOwnChange) {
				t.Fatalf("the proposer approved their own change: %v", err)
			}
			if _, err := w.s.RejectChange(ctx, w.admin, ch.ID, "never mind"); !errors.Is(err, models.ErrOwnChange) {
				t.Fatalf("the proposer rejected their own change: %v", err)
			}
			if _, err := w.s.ApproveChange(ctx, w.rev1, ch.ID); !errors.Is(err, models.ErrForbidden) {
				t.Fatalf("a reviewer approved a settings change: %v", err)
			}
			if _, err := w.s.ApproveChange(ctx, models.SystemActor(), ch.ID); !errors.Is(err, models.ErrForbidden) {
				t.Fatalf("an actor without an account approved a settings change: %v", err)
			}
			if w.liveMoneySettings(t) != before || tc.applied(w) {
				t.Fatal("the live settings changed without a second admin")
			}
			got, err := w.s.ApproveChange(ctx, checker, ch.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.State != models.ChangeApproved || !tc.applied(w) {
				t.Fatalf("the second admin's approval did not apply it: %+v", got)
			}
			if w.auditCount(t, "settings_change.proposed", ch.ID) != 1 || w.auditCount(t, "settings_change.approved", ch.ID) != 1 {
				t.Fatal("the proposal and its approval are not both audited")
			}
			var e models.AuditEntry
			w.raw.Where("action = ? AND object_id = ?", "settings_change.approved", ch.ID).First(&e)
			if e.ActorEmail != "checker@t.test" || !strings.Contains(e.Before, `"state":"pending"`) || !strings.Contains(e.After, `"state":"approved"`) ||
				!strings.Contains(e.After, `"proposed_by":"admin@t.test"`) {
				t.Fatalf("approval audit: %+v", e)
			}
			if _, err := w.s.ApproveChange(ctx, checker, ch.ID); !errors.Is(err, models.ErrChangeDecided) {
				t.Fatalf("approved twice: %v", err)
			}
		})
	}
}

// The direct setters are for seeding and the command line only: a signed-in
// admin cannot use them to skip the second admin.
func TestSignedInAdminCannotSetMoneySettingsDirectly(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if _, err := w.s.SaveBonusRule(ctx, w.admin, models.DefaultBonusRule); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("bonus rule: %v", err)
	}
	if err := w.s.SetPoolTotal(ctx, w.admin, models.PoolCreators, 1); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("pool: %v", err)
	}
	if err := w.s.SaveMCNRule(ctx, w.admin, models.DefaultMCNRule); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("MCN rule: %v", err)
	}
	if _, err := w.s.ProposePoolTotal(ctx, w.rev1, models.PoolCreators, 1); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a reviewer proposed: %v", err)
	}
	if _, err := w.s.ProposePoolTotal(ctx, w.admin, models.PoolCreators, models.DefaultCreatorPoolFen); !errors.Is(err, models.ErrNoChange) {
		t.Fatalf("proposing the value in force: %v", err)
	}
}

func TestPoolTotalNeverExceedsTheProgrammeBudget(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	checker := w.secondAdmin(t, "checker@t.test")
	approve := func(ch *models.SettingsChange, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.ApproveChange(ctx, checker, ch.ID); err != nil {
			t.Fatal(err)
		}
	}
	// Above the budget: refused when proposed, by the model helper too.
	_, err := w.s.ProposePoolTotal(ctx, w.admin, models.PoolCreators, models.DefaultCreatorPoolFen+1)
	if msg := english(fieldError(t, err, "pool_total")); !strings.Contains(msg, "above the programme's budget of ¥1,000,000,000.00") {
		t.Fatalf("message %q", msg)
	}
	_, err = w.s.ProposePoolTotal(ctx, w.admin, models.PoolMCN, models.DefaultMCNPoolFen+100)
	if msg := english(fieldError(t, err, "pool_total")); !strings.Contains(msg, "¥5,000,000.00") {
		t.Fatalf("message %q", msg)
	}
	if err := w.s.SetPoolTotal(ctx, models.SystemActor(), models.PoolCreators, models.DefaultCreatorPoolFen+1); err == nil {
		t.Fatal("the seeding helper set a pool above its budget")
	}
	// A budget below the pool's total: refused when proposed.
	_, err = w.s.ProposeProgrammeBudget(ctx, w.admin, models.ProgrammeBudget{CreatorsFen: 80_000_000_000, MCNFen: models.DefaultMCNPoolFen})
	if msg := english(fieldError(t, err, "creators_budget")); !strings.Contains(msg, "¥1,000,000,000.00") {
		t.Fatalf("message %q", msg)
	}
	// Make room: the pool shrinks to ¥500,000,000, then two proposals race:
	// the pool back up to ¥900,000,000 and the budget down to ¥800,000,000.
	approve(w.s.ProposePoolTotal(ctx, w.admin, models.PoolCreators, 50_000_000_000))
	up, err := w.s.ProposePoolTotal(ctx, w.admin, models.PoolCreators, 90_000_000_000)
	if err != nil {
		t.Fatal(err)
	}
	approve(w.s.ProposeProgrammeBudget(ctx, w.admin, models.ProgrammeBudget{CreatorsFen: 80_000_000_000, MCNFen: models.DefaultMCNPoolFen}))
	_, err = w.s.ApproveChange(ctx, checker, up.ID)
	if msg := english(fieldError(t, err, "pool_total")); !strings.Contains(msg, "above the programme's budget of ¥800,000,000.00") {
		t.Fatalf("approval over the new budget: %q", msg)
	}
	if p, _ := w.s.GetPool(ctx, models.PoolCreators); p.TotalFen != 50_000_000_000 {
		t.Fatalf("pool %d", p.TotalFen)
	}
	pending, _ := w.s.PendingChanges(ctx, w.admin)
	if len(pending) != 1 || pending[0].ID != up.ID {
		t.Fatalf("the refused proposal should stay pending for a decision: %+v", pending)
	}
}

// A pool total that was fine when proposed but is below what approvals have
// committed since is refused at approval.
func TestPoolTotalBelowWhatWasCommittedSinceIsRefusedAtApproval(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	checker := w.secondAdmin(t, "checker@t.test")
	c := w.qualified(t, "jd_cr_pool01")
	w.perf(t, lastWeek, c.AccountID, 3, 0, 0, 0) // ¥300
	if _, err := w.s.ComputeWeek(ctx, w.rev1, lastWeek.String()); err != nil {
		t.Fatal(err)
	}
	ch, err := w.s.ProposePoolTotal(ctx, w.admin, models.PoolCreators, 20_000) // ¥200: fine while nothing is committed
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := w.s.ApproveBonuses(ctx, w.rev1, []uint{w.bonusOf(t, c.ID, lastWeek).ID}); err != nil || rep.Approved != 1 {
		t.Fatalf("approve bonus: %+v %v", rep, err)
	}
	_, err = w.s.ApproveChange(ctx, checker, ch.ID)
	if msg := english(fieldError(t, err, "pool_total")); !strings.Contains(msg, "already committed (¥300.00)") {
		t.Fatalf("message %q", msg)
	}
	if p, _ := w.s.GetPool(ctx, models.PoolCreators); p.TotalFen != models.DefaultCreatorPoolFen {
		t.Fatalf("pool %d", p.TotalFen)
	}
}

// A proposal made against a value that has changed since is never applied:
// approving another change of the same setting supersedes it, and one made
// stale another way is refused and superseded when someone tries to approve it.
func TestStaleProposalsAreSupersededNotApplied(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	checker := w.secondAdmin(t, "checker@t.test")
	first, _ := w.s.ProposePoolTotal(ctx, w.admin, models.PoolMCN, 400_000_000)
	second, _ := w.s.ProposePoolTotal(ctx, checker, models.PoolMCN, 300_000_000)
	rule := models.DefaultMCNRule
	rule.MaxFen = 6_000_000
	amounts, _ := w.s.ProposeMCNRule(ctx, w.admin, rule)
	quota, _ := w.s.ProposeQuotaDefault(ctx, checker, 15)
	if amounts.Kind != models.ChangeMCNRule || quota.Kind != models.ChangeQuotaDefault {
		t.Fatalf("kinds %s %s", amounts.Kind, quota.Kind)
	}
	if _, err := w.s.ApproveChange(ctx, checker, first.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.ApproveChange(ctx, w.admin, second.ID); !errors.Is(err, models.ErrChangeDecided) {
		t.Fatalf("approving a superseded change: %v", err)
	}
	var got models.SettingsChange
	w.raw.First(&got, second.ID)
	if got.State != models.ChangeSuperseded || w.auditCount(t, "settings_change.superseded", second.ID) != 1 {
		t.Fatalf("the older proposal: %+v", got)
	}
	if p, _ := w.s.GetPool(ctx, models.PoolMCN); p.TotalFen != 400_000_000 {
		t.Fatalf("pool %d", p.TotalFen)
	}
	// The default quota changes; the MCN rule proposal would have put the old quota back.
	if _, err := w.s.ApproveChange(ctx, w.admin, quota.ID); err != nil {
		t.Fatal(err)
	}
	w.raw.First(&got, amounts.ID)
	if got.State != models.ChangeSuperseded {
		t.Fatalf("the MCN rule proposal made against the old quota: %s", got.State)
	}
	// Stale without an approval in between (the command line set the pool).
	third, _ := w.s.ProposePoolTotal(ctx, w.admin, models.PoolMCN, 350_000_000)
	if err := w.s.SetPoolTotal(ctx, models.SystemActor(), models.PoolMCN, 450_000_000); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.ApproveChange(ctx, checker, third.ID); !errors.Is(err, models.ErrChangeStale) {
		t.Fatalf("approving a stale proposal: %v", err)
	}
	w.raw.First(&got, third.ID)
	if p, _ := w.s.GetPool(ctx, models.PoolMCN); got.State != models.ChangeSuperseded || p.TotalFen != 450_000_000 {
		t.Fatalf("stale proposal %s, pool %d", got.State, p.TotalFen)
	}
}

func TestRejectNeedsAReasonAndOnlyTheProposerWithdraws(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	checker := w.secondAdmin(t, "checker@t.test")
	ch, _ := w.s.ProposePoolTotal(ctx, w.admin, models.PoolCreators, 90_000_000_000)
	if _, err := w.s.RejectChange(ctx, checker, ch.ID, "  "); fieldError(t, err, "reason").IsZero() {
		t.Fatal("no message")
	}
	if _, err := w.s.WithdrawChange(ctx, checker, ch.ID); !errors.Is(err, models.ErrNotProposer) {
		t.Fatalf("someone else withdrew it: %v", err)
	}
	got, err := w.s.RejectChange(ctx, checker, ch.ID, "The pool stays as announced.")
	if err != nil || got.State != models.ChangeRejected || got.Reason != "The pool stays as announced." {
		t.Fatalf("reject: %+v %v", got, err)
	}
	if w.auditCount(t, "settings_change.rejected", ch.ID) != 1 {
		t.Fatal("the rejection is not audited")
	}
	if _, err := w.s.ApproveChange(ctx, checker, ch.ID); !errors.Is(err, models.ErrChangeDecided) {
		t.Fatalf("approved after rejection: %v", err)
	}
	again, _ := w.s.ProposePoolTotal(ctx, w.admin, models.PoolCreators, 90_000_000_000)
	if got, err := w.s.WithdrawChange(ctx, w.admin, again.ID); err != nil || got.State != models.ChangeWithdrawn {
		t.Fatalf("withdraw: %+v %v", got, err)
	}
	if p, _ := w.s.GetPool(ctx, models.PoolCreators); p.TotalFen != models.DefaultCreatorPoolFen {
		t.Fatalf("pool %d", p.TotalFen)
	}
}

// Many admins approving the same proposal at once apply it exactly once.
func TestConcurrentApprovalsApplyAChangeOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var checkers []*models.Actor
	for i := range 8 {
		checkers = append(checkers, w.secondAdmin(t, "checker"+string(rune('a'+i))+"@t.test"))
	}
	rule := models.DefaultBonusRule
	rule.PerVideoFen = 12_300
	ch, err := w.s.ProposeBonusRule(ctx, w.admin, rule)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(checkers))
	start := make(chan struct{})
	for i, a := range checkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = w.s.ApproveChange(ctx, a, ch.ID)
		}()
	}
	close(start)
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, models.ErrChangeDecided):
			t.Errorf("unexpected: %v", err)
		}
	}
	var versions int64
	w.raw.Model(&models.BonusRuleVersion{}).Count(&versions)
	var applied int64
	w.raw.Model(&models.AuditEntry{}).Where("action = ?", "settings.bonus_rule").Count(&applied)
	if ok != 1 || versions != 2 || applied != 1 || w.auditCount(t, "settings_change.approved", ch.ID) != 1 {
		t.Fatalf("%d approvals succeeded, %d rule versions, %d rule changes audited", ok, versions, applied)
	}
}

// An existing database gains the proposals table and the programme budgets
// on upgrade; a pool already set above the default budget raises its budget
// rather than being left above it.
func TestUpgradeStoresTheProgrammeBudget(t *testing.T) {
	t.Parallel()
	if models.SettingsChangesStep == 0 {
		t.Fatal("the settings changes migration is not in the list")
	}
	url := modeltest.DatabaseURL(t)
	s := modeltest.Open(t, url)
	raw := rawHandle(t, url)
	// Back to the day before the step, with a pool set above today's default budget.
	for _, q := range []string{
		"DROP TABLE settings_changes",
		"DELETE FROM settings WHERE key = 'programme_budget'",
		"UPDATE pools SET total_fen = 200000000000 WHERE name = 'creators'",
	} {
		if err := raw.Exec(q).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := raw.Exec("DELETE FROM schema_migrations WHERE version = ?", models.SettingsChangesStep).Error; err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = modeltest.Open(t, url)
	b, err := s.ProgrammeBudgetNow(ctx)
	if err != nil || b.CreatorsFen != 200_000_000_000 || b.MCNFen != models.DefaultMCNPoolFen {
		t.Fatalf("budget after upgrade: %+v %v", b, err)
	}
	fresh := modeltest.NewStore(t)
	if b, _ := fresh.ProgrammeBudgetNow(ctx); b != models.DefaultProgrammeBudget {
		t.Fatalf("fresh budget %+v", b)
	}
	if pending, err := s.PendingChanges(ctx, models.SystemActor()); err != nil || len(pending) != 0 {
		t.Fatalf("proposals table after upgrade: %v %v", pending, err)
	}
}
