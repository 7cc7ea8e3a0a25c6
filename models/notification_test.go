package models_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// A decision's notification is stored as data and read back with its
// arguments' types: money as fen, reason as a code, state as a catalogue word.
func TestNotificationsAreStoredAsKindArgumentsAndTarget(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.qualified(t, "jd_cr_note01")
	w.perf(t, lastWeek, c.AccountID, 5, 0, 0, 0) // ¥500
	if _, err := w.s.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: "c@t.test", Password: "long-enough-password", Role: models.RoleCreator, CreatorID: &c.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.ComputeWeek(ctx, w.rev1, lastWeek.String()); err != nil {
		t.Fatal(err)
	}
	id := w.bonusOf(t, c.ID, lastWeek).ID
	if _, err := w.s.RejectBonuses(ctx, w.rev1, []uint{id}, "duplicate_claim", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.DecideCreator(ctx, w.rev1, models.Decision{CreatorID: c.ID, Action: models.ActionSuspend, Reason: "content_policy"}); err != nil {
		t.Fatal(err)
	}
	var got []models.Notification
	if err := w.raw.Joins("JOIN users ON users.id = notifications.user_id").Where("users.creator_id = ?", c.ID).Order("notifications.id").Find(&got).Error; err != nil {
		t.Fatal(err)
	}
	want := []struct {
		msg    models.Msg
		target models.Target
	}{
		{models.M(models.NotifyBonusRejected, "Period", lastWeek.String(), "Reason", models.Reason("duplicate_claim")), models.Target{Type: models.TargetMe}},
		{models.M(models.NotifyCreatorStateReason, "Name", c.DisplayName, "State", models.Word("word_creator_suspended"), "Reason", models.Reason("content_policy")), models.Target{Type: models.TargetMe}},
	}
	if len(got) != len(want) {
		t.Fatalf("%d notifications, want %d: %+v", len(got), len(want), got)
	}
	for i, n := range got {
		m, ok, err := n.Message()
		if err != nil || !ok {
			t.Fatalf("notification %d: %v %v", i, ok, err)
		}
		if m.String() != want[i].msg.String() || fmt.Sprintf("%T", m.Args["Reason"]) != "models.Reason" || n.Target() != want[i].target {
			t.Errorf("notification %d: %v → %+v, want %v → %+v", i, m, n.Target(), want[i].msg, want[i].target)
		}
		if n.LegacyText != "" {
			t.Errorf("notification %d has legacy text %q", i, n.LegacyText)
		}
	}
	// The manager of the creator's agency: none (the creator has no agency); an approval in money.
	c2 := w.qualified(t, "jd_cr_note02")
	w.perf(t, lastWeek, c2.AccountID, 3, 0, 0, 0)
	if _, err := w.s.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: "c2@t.test", Password: "long-enough-password", Role: models.RoleCreator, CreatorID: &c2.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.ComputeWeek(ctx, w.rev1, lastWeek.String()); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.ApproveBonuses(ctx, w.rev1, []uint{w.bonusOf(t, c2.ID, lastWeek).ID}); err != nil {
		t.Fatal(err)
	}
	var n models.Notification
	if err := w.raw.Joins("JOIN users ON users.id = notifications.user_id").Where("users.creator_id = ?", c2.ID).Last(&n).Error; err != nil {
		t.Fatal(err)
	}
	m, _, err := n.Message()
	if err != nil || m.String() != models.M(models.NotifyBonusApproved, "Amount", models.Fen(30_000), "Period", lastWeek.String()).String() {
		t.Fatalf("approval notification %v (%v)", m, err)
	}
	if _, isFen := m.Args["Amount"].(models.Fen); !isFen {
		t.Fatalf("the amount came back as %T", m.Args["Amount"])
	}
}

// The upgrade reads every sentence the portal used to store back into its
// kind and arguments, turns links into targets, keeps what it cannot read as
// legacy text, keeps the rows' identity and read state, and drops the old
// columns; opening the store again changes nothing.
func TestNotificationMigrationReadsOldSentences(t *testing.T) {
	t.Parallel()
	dsn := modeltest.DatabaseURL(t)
	s, err := models.Open(ctx, dsn, models.WithAuditKey(modeltest.AuditKey))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	sys := models.SystemActor()
	u, err := s.CreateUser(ctx, sys, models.NewUser{Email: "admin@t.test", Password: "long-enough-password", Role: models.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	raw := modeltest.OpenRaw(t, dsn)
	modeltest.RewindNotificationMessages(t, raw)

	word := func(s string) models.Word { return models.Word("word_creator_" + s) }
	cases := []struct {
		kind, message, link string
		want                models.Msg // zero: kept as legacy text
		target              models.Target
	}{
		{"bonus.approved", "Your bonus of ¥28,000.00 for 2026-W47 is approved.", "/me",
			models.M(models.NotifyBonusApproved, "Amount", models.Fen(2_800_000), "Period", "2026-W47"), models.Target{Type: models.TargetMe}},
		{"mcn_bonus.approved", "Your bonus of ¥5,000.00 for 2026-10 is approved.", "/dashboard",
			models.M(models.NotifyBonusApproved, "Amount", models.Fen(500_000), "Period", "2026-10"), models.Target{Type: models.TargetDashboard}},
		{"bonus.rejected", "Your bonus for 2026-W46 was rejected: Duplicate claim.", "/me",
			models.M(models.NotifyBonusRejected, "Period", "2026-W46", "Reason", models.Reason("duplicate_claim")), models.Target{Type: models.TargetMe}},
		{"creator.qualify", "Li Wei: Reviews is now qualified.", "/creators/42",
			models.M(models.NotifyCreatorState, "Name", "Li Wei: Reviews", "State", word("qualified")), models.Target{Type: models.TargetCreator, ID: 42}},
		{"creator.reject", "Li Wei is now rejected: Duplicate account.", "/me",
			models.M(models.NotifyCreatorStateReason, "Name", "Li Wei", "State", word("rejected"), "Reason", models.Reason("duplicate_account")), models.Target{Type: models.TargetMe}},
		{"quota.met", "Your agency met its quota of 12 creators for 2026-11.", "/dashboard",
			models.M(models.NotifyQuotaMet, "Quota", int64(12), "Month", "2026-11"), models.Target{Type: models.TargetDashboard}},
		{"bonus.appeal_upheld", "Your appeal for 2026-W45 was upheld: the rejection stands.", "/me",
			models.M(models.NotifyAppealUpheld, "Period", "2026-W45"), models.Target{Type: models.TargetMe}},
		{"bonus.appeal_overturned", "Your appeal for 2026-W45 succeeded: the bonus goes back for approval.", "/me",
			models.M(models.NotifyAppealOverturned, "Period", "2026-W45"), models.Target{Type: models.TargetMe}},
		{"transfer.requested", "Star Live asks you to move to their agency. Accept or decline on your page.", "/me",
			models.M(models.NotifyTransferRequested, "Agency", "Star Live"), models.Target{Type: models.TargetMe}},
		{"transfer.declined", "The creator declined your transfer request.", "/dashboard",
			models.M(models.NotifyTransferDeclined), models.Target{Type: models.TargetDashboard}},
		{"transfer.accepted", "The creator accepted your transfer request; they join your agency on 2026-12-01.", "/dashboard",
			models.M(models.NotifyTransferAccepted, "Month", "2026-12"), models.Target{Type: models.TargetDashboard}},
		{"transfer.accepted", "A creator of yours accepted a transfer to another agency from 2026-12-01.", "/dashboard",
			models.M(models.NotifyTransferLeaving, "Month", "2026-12"), models.Target{Type: models.TargetDashboard}},
		{"top100.published", "You are number 7 in JD's top 100 creators of 2026!", "/top-creators",
			models.M(models.NotifyTopCreator, "Rank", int64(7), "Top", int64(100), "Year", int64(2026)), models.Target{Type: models.TargetTopCreators}},
		{"top100.published", "Li Wei is number 7 in the top 100 of 2026.", "/top-creators",
			models.M(models.NotifyTopCreatorOfAgency, "Name", "Li Wei", "Rank", int64(7), "Top", int64(100), "Year", int64(2026)), models.Target{Type: models.TargetTopCreators}},
		// What it cannot read stays as written: an unknown sentence, and a reason label no code has any more.
		{"note", "Welcome to the programme.", "", models.Msg{}, models.Target{}},
		{"bonus.rejected", "Your bonus for 2026-W44 was rejected: A label an admin renamed.", "/me", models.Msg{}, models.Target{Type: models.TargetMe}},
	}
	read := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	for i, c := range cases {
		var readAt *time.Time
		if i%2 == 0 {
			readAt = &read
		}
		if err := raw.Exec("INSERT INTO notifications (id, user_id, kind, message, link, created_at, read_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			100+i, u.ID, c.kind, c.message, c.link, read.Add(-time.Hour), readAt).Error; err != nil {
			t.Fatal(err)
		}
	}

	s, err = models.Open(ctx, dsn, models.WithAuditKey(modeltest.AuditKey))
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
	raw = modeltest.OpenRaw(t, dsn) // a new connection: PostgreSQL's cached plans knew the old columns
	for _, col := range []string{"message", "link"} {
		if raw.Migrator().HasColumn("notifications", col) {
			t.Errorf("the column %s is still there", col)
		}
	}
	var got []models.Notification
	if err := raw.Order("id").Find(&got).Error; err != nil {
		t.Fatal(err)
	}
	if len(got) != len(cases) {
		t.Fatalf("%d notifications after the upgrade, want %d", len(got), len(cases))
	}
	for i, n := range got {
		c := cases[i]
		if n.ID != uint(100+i) || n.UserID != u.ID || (n.ReadAt != nil) != (i%2 == 0) {
			t.Errorf("%q: row changed: %+v", c.message, n)
		}
		if n.Target() != c.target {
			t.Errorf("%q: target %+v, want %+v", c.message, n.Target(), c.target)
		}
		m, ok, err := n.Message()
		if err != nil {
			t.Errorf("%q: %v", c.message, err)
			continue
		}
		if c.want.ID == "" {
			if ok || n.LegacyText != c.message || n.Kind != c.kind {
				t.Errorf("%q: read as %v (legacy %q, kind %q), want it kept as written", c.message, m, n.LegacyText, n.Kind)
			}
			continue
		}
		if !ok || m.String() != c.want.String() || n.Kind != c.want.ID {
			t.Errorf("%q: read as %v (ok %v), want %v", c.message, m, ok, c.want)
		}
		for k, v := range c.want.Args {
			if fmt.Sprintf("%T", m.Args[k]) != fmt.Sprintf("%T", v) {
				t.Errorf("%q: argument %s is a %T, want %T", c.message, k, m.Args[k], v)
			}
		}
	}
	// Opening again changes nothing, and the application reads and writes the table as usual.
	s, err = models.Open(ctx, dsn, models.WithAuditKey(modeltest.AuditKey))
	if err != nil {
		t.Fatalf("second open: %v", err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, err := s.UnreadCount(ctx, u.ID); err != nil || n != int64(len(cases)/2) {
		t.Fatalf("unread %d (%v), want %d", n, err, len(cases)/2)
	}
	list, total, err := s.Notifications(ctx, models.ActorFor(u, "127.0.0.1"), models.NewPage(1, 50))
	if err != nil || total != int64(len(cases)) || len(list) != len(cases) {
		t.Fatalf("listed %d of %d (%v)", len(list), total, err)
	}
}
