package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views/i18n"
)

// The manager's numbers and notices, and the admin's audit page (issue 14):
// the MCN manager reads the month-end projection with how it was worked out,
// is told of the week's bonus decisions in one line and marks everything
// read; the admin reads the audit log in yuan, CST and labels.
func TestBrowserJourneyManagerDay(t *testing.T) {
	inEachLanguage(t, func(t *testing.T, ctx context.Context, loc *i18n.Localizer) {
		a := newApp(t)
		base := a.ts.URL
		lang := string(loc.Lang)
		mgr := a.actor("mcnA")
		// More older notices than one page shows, so "mark all as read" has work to do.
		for range 55 {
			if err := a.raw.Exec(`INSERT INTO notifications (user_id, kind, args, target_type, target_id, legacy_text, created_at)
				VALUES (?, ?, '', '', 0, '', ?)`, mgr.UserID, models.NotifyTransferDeclined, time.Now().UTC().Add(-48*time.Hour)).Error; err != nil {
				t.Fatal(err)
			}
		}

		signInAs(t, ctx, base, loc, testUsers["mcnA"], testPassword)
		goTo(t, ctx, base, "/dashboard")
		p, err := a.store.AgencyProgress(context.Background(), mgr, a.agencyA.ID, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		outlook := text(t, ctx, `[data-testid="quota-outlook"]`)
		if p.Outlook.Basis == models.OutlookTooEarly {
			if want := loc.T("quota_outlook_too_early", "Day", models.OutlookFromDay); !strings.Contains(outlook, want) {
				t.Fatalf("outlook %q, want %q", outlook, want)
			}
		} else {
			how := loc.T("quota_outlook_"+p.Outlook.Basis, "Count", p.Outlook.Qualified, "Days", p.Outlook.Days)
			if !strings.Contains(outlook, loc.T("quota_outlook", "Count", p.Outlook.Projection)) || !strings.Contains(outlook, how) {
				t.Fatalf("outlook %q, want the projection and %q", outlook, how)
			}
		}
		shoot(t, ctx, "journey-manager-day-projection-"+lang)

		goTo(t, ctx, base, "/notifications")
		week := loc.Msg(models.M(models.NotifyWeekDecisions, "Week", lastWeek.String(), "Approved", 1, "Amount", models.Fen(30_000), "Rejected", 0))
		link := text(t, ctx, `[data-testid="notification"] a[href="/bonuses?week=`+lastWeek.String()+`"]`)
		if link != week {
			t.Fatalf("week notice %q, want %q", link, week)
		}
		if count(t, ctx, `[data-testid="notification"]`) != 50 {
			t.Fatal("want a full first page of notices")
		}
		shoot(t, ctx, "journey-manager-day-notifications-"+lang)
		load(t, ctx, `[data-testid="notifications-read-all"]`)
		wantFlash(t, ctx, loc.T("flash_notifications_read", "Count", 6))
		if count(t, ctx, `[data-testid="unread"]`) != 0 || count(t, ctx, `[data-testid="notifications-read-all"]`) != 0 {
			t.Fatal("notices still unread after marking all read")
		}
		load(t, ctx, `[data-testid="notification"] a[href="/bonuses?week=`+lastWeek.String()+`"]`)
		if rows := text(t, ctx, `main`); !strings.Contains(rows, "¥300.00") {
			t.Fatalf("the week's bonuses page does not show Carol's bonus: %q", rows)
		}
		signOut(t, ctx)

		signInAs(t, ctx, base, loc, testUsers["admin"], testPassword)
		goTo(t, ctx, base, "/audit?action=bonus.approve")
		audit := text(t, ctx, `[data-testid="audit"]`)
		entries, _, err := a.store.ListAudit(context.Background(), a.actor("admin"), models.AuditFilter{Action: "bonus.approve"}, models.NewPage(1, 10))
		if err != nil || len(entries) == 0 {
			t.Fatalf("audit entries: %v", err)
		}
		for _, want := range []string{loc.T("audit_action_bonus_approve"), "bonus.approve", models.FormatCST(entries[0].At),
			loc.T("audit_field_change", "Field", loc.T("audit_field_state"), "Before", loc.Label("bonus_", "proposed"), "After", loc.Label("bonus_", "approved"))} {
			if !strings.Contains(audit, want) {
				t.Fatalf("audit %q lacks %q", audit, want)
			}
		}
		if strings.Contains(audit, "map[") || strings.Contains(audit, "amount_fen") || strings.Contains(audit, "30000") {
			t.Fatalf("audit shows codes or fen: %q", audit)
		}
		shoot(t, ctx, "journey-manager-day-audit-"+lang)
		goTo(t, ctx, base, "/audit")
		// The payout batch of Carol's bonus: its total in yuan.
		all := text(t, ctx, `[data-testid="audit"]`)
		if total := loc.T("audit_field_set", "Field", loc.T("audit_field_total_fen"), "Value", "¥300.00"); !strings.Contains(all, total) || strings.Contains(all, "map[") {
			t.Fatalf("audit %q: want %q and no map dump", all, total)
		}
	})
}
