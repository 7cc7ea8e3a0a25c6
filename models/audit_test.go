package models_test

import (
	"context"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// auditWorld has a short audit log: enrolments, a rejection, another enrolment.
func auditWorld(t *testing.T) *world {
	t.Helper()
	w := newWorld(t)
	c := w.enrol(t, w.mcnA, "jd_cr_aud001")
	if _, err := w.s.DecideCreator(ctx, w.rev1, models.Decision{CreatorID: c.ID, Action: models.ActionReject, Reason: "content_policy"}); err != nil {
		t.Fatal(err)
	}
	w.enrol(t, w.mcnA, "jd_cr_aud002")
	check, err := w.s.VerifyAudit(ctx, models.VerifyOptions{})
	if err != nil || !check.OK() || check.Checked < 5 {
		t.Fatalf("intact log: %+v %v", check, err)
	}
	return w
}

// rewriteFrom re-computes the chain from entry seq on, as an attacker with
// the database would: with hash (their best guess at how entries are hashed).
func rewriteFrom(t *testing.T, raw *gorm.DB, seq int64, hash func(*models.AuditEntry) string) {
	t.Helper()
	var es []models.AuditEntry
	raw.Order("seq").Find(&es)
	prev := ""
	for i := range es {
		e := &es[i]
		if e.Seq >= seq {
			e.PrevHash = prev
			e.Hash = hash(e)
			raw.Model(&models.AuditEntry{}).Where("id = ?", e.ID).Updates(map[string]any{"prev_hash": e.PrevHash, "hash": e.Hash})
		}
		prev = e.Hash
	}
}

func TestAuditChainCatchesEditsBehindTheApplicationsBack(t *testing.T) {
	t.Parallel()
	guessedKey := []byte("an-attacker-guessed-this-key-0123456789")
	cases := map[string]struct {
		tamper func(t *testing.T, raw *gorm.DB)
		want   string
	}{
		"edited reason": {func(t *testing.T, raw *gorm.DB) {
			raw.Exec("UPDATE audit_entries SET after = REPLACE(after, 'content_policy', 'duplicate_account') WHERE action = 'creator.reject'")
		}, "does not match its HMAC"},
		"changed actor": {func(t *testing.T, raw *gorm.DB) {
			raw.Exec("UPDATE audit_entries SET actor_email = 'someone@else.test' WHERE action = 'creator.reject'")
		}, "does not match its HMAC"},
		"deleted entry": {func(t *testing.T, raw *gorm.DB) {
			raw.Exec("DELETE FROM audit_entries WHERE action = 'creator.reject'")
		}, "is missing"},
		"deleted and renumbered": {func(t *testing.T, raw *gorm.DB) {
			var seq int64
			raw.Model(&models.AuditEntry{}).Where("action = 'creator.reject'").Select("seq").Scan(&seq)
			raw.Exec("DELETE FROM audit_entries WHERE seq = ?", seq)
			raw.Exec("UPDATE audit_entries SET seq = seq - 1 WHERE seq > ?", seq)
		}, "does not link"},
		"rehashed alone": {func(t *testing.T, raw *gorm.DB) {
			raw.Exec("UPDATE audit_entries SET hash = 'f00d' WHERE action = 'creator.reject'")
		}, "does not match its HMAC"},
		"edited, then every later row re-hashed with plain SHA-256": {func(t *testing.T, raw *gorm.DB) {
			raw.Exec("UPDATE audit_entries SET after = REPLACE(after, 'content_policy', 'duplicate_account') WHERE action = 'creator.reject'")
			var seq int64
			raw.Model(&models.AuditEntry{}).Where("action = 'creator.reject'").Select("seq").Scan(&seq)
			rewriteFrom(t, raw, seq, (*models.AuditEntry).LegacySHA256)
		}, "does not match its HMAC"},
		"edited, then every later row re-chained under a guessed key": {func(t *testing.T, raw *gorm.DB) {
			raw.Exec("UPDATE audit_entries SET actor_email = 'someone@else.test' WHERE action = 'creator.reject'")
			var seq int64
			raw.Model(&models.AuditEntry{}).Where("action = 'creator.reject'").Select("seq").Scan(&seq)
			rewriteFrom(t, raw, seq, func(e *models.AuditEntry) string { return e.MACWithKey(guessedKey) })
		}, "does not match its HMAC"},
		"forged entry appended with a correct link": {func(t *testing.T, raw *gorm.DB) {
			var last models.AuditEntry
			raw.Order("seq DESC").First(&last)
			f := models.AuditEntry{Seq: last.Seq + 1, At: last.At, ActorEmail: "rev1@t.test", Action: "bonus.approve", ObjectType: "bonus", ObjectID: 1, PrevHash: last.Hash}
			f.Hash = f.MACWithKey(guessedKey)
			if err := raw.Create(&f).Error; err != nil {
				t.Fatal(err)
			}
		}, "does not match its HMAC"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := auditWorld(t)
			tc.tamper(t, w.raw)
			check, err := w.s.VerifyAudit(ctx, models.VerifyOptions{})
			if err != nil || check.OK() || !strings.Contains(check.Problem, tc.want) {
				t.Fatalf("after tampering: %+v %v; want a problem with %q", check, err, tc.want)
			}
		})
	}
}

func TestAuditVerificationFailsOnAnEmptyOrCutShortLog(t *testing.T) {
	t.Parallel()
	t.Run("every row deleted", func(t *testing.T) {
		w := auditWorld(t)
		w.raw.Exec("DELETE FROM audit_entries")
		check, err := w.s.VerifyAudit(ctx, models.VerifyOptions{})
		if err != nil || check.OK() || !strings.Contains(check.Problem, "empty") {
			t.Fatalf("empty log passed: %+v %v", check, err)
		}
		if check, _ := w.s.VerifyAudit(ctx, models.VerifyOptions{AllowEmpty: true}); !check.OK() {
			t.Fatalf("--allow-empty: %+v", check)
		}
	})
	t.Run("last entries deleted", func(t *testing.T) {
		w := auditWorld(t)
		anchor, err := w.s.AuditHeadNow(ctx)
		if err != nil || anchor.Seq < 5 {
			t.Fatalf("head %+v %v", anchor, err)
		}
		if check, _ := w.s.VerifyAudit(ctx, models.VerifyOptions{Anchor: &anchor}); !check.OK() {
			t.Fatalf("the log fails its own anchor: %+v", check)
		}
		w.raw.Exec("DELETE FROM audit_entries WHERE seq > ?", anchor.Seq-2)
		check, err := w.s.VerifyAudit(ctx, models.VerifyOptions{Anchor: &anchor})
		if err != nil || check.OK() || !strings.Contains(check.Problem, "before the anchor") {
			t.Fatalf("a log cut short passed: %+v %v", check, err)
		}
	})
	t.Run("re-written up to the anchor", func(t *testing.T) {
		w := auditWorld(t)
		anchor, _ := w.s.AuditHeadNow(ctx)
		// Entries may be added after the anchor; only what it covers must stay.
		w.enrol(t, w.mcnB, "jd_cr_aud003")
		if check, _ := w.s.VerifyAudit(ctx, models.VerifyOptions{Anchor: &anchor}); !check.OK() {
			t.Fatalf("a longer log fails an older anchor: %+v", check)
		}
		forged := anchor
		forged.Hash = strings.Repeat("0", 64)
		check, err := w.s.VerifyAudit(ctx, models.VerifyOptions{Anchor: &forged})
		if err != nil || check.OK() || !strings.Contains(check.Problem, "differs from the anchor") {
			t.Fatalf("a different head passed: %+v %v", check, err)
		}
	})
}

func TestAuditHeadParsing(t *testing.T) {
	t.Parallel()
	good := "12:" + strings.Repeat("ab", 32)
	if h, err := models.ParseAuditHead(good); err != nil || h.Seq != 12 || h.String() != good {
		t.Fatalf("%q: %+v %v", good, h, err)
	}
	for _, bad := range []string{"", "12", ":" + strings.Repeat("ab", 32), "x:" + strings.Repeat("ab", 32), "0:" + strings.Repeat("ab", 32), "12:abc", "12:" + strings.Repeat("zz", 32)} {
		if _, err := models.ParseAuditHead(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestAuditNeedsTheKeyItWasChainedWith(t *testing.T) {
	t.Parallel()
	dsn := modeltest.DatabaseURL(t)
	s := modeltest.Open(t, dsn)
	if _, err := s.CreateAgency(ctx, models.SystemActor(), models.AgencyInput{Name: "Keyed"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := models.Open(ctx, dsn); err == nil {
		t.Fatal("opened without an audit key")
	}
	other, err := models.Open(ctx, dsn, models.WithAuditKey([]byte("another-key-another-key-another-key-0")))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if check, err := other.VerifyAudit(ctx, models.VerifyOptions{}); err != nil || check.OK() || check.BrokenAt != 1 {
		t.Fatalf("verified under the wrong key: %+v %v", check, err)
	}
}

func TestRefusalsAreAuditedOncePerMinuteWithACount(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for i := 0; i < 40; i++ {
		if err := w.s.AuditRefusal(ctx, w.mcnA, "GET", "/settings"); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.s.AuditRefusal(ctx, w.mcnB, "GET", "/settings"); err != nil {
		t.Fatal(err)
	}
	es, total, err := w.s.ListAudit(ctx, w.rev1, models.AuditFilter{Action: "access.refused"}, models.NewPage(1, 50))
	if err != nil {
		t.Fatal(err)
	}
	// Unless the minute turned during the loop, one entry per manager.
	if total < 2 || total > 3 {
		t.Fatalf("%d refusal entries for 41 refusals", total)
	}
	repeats, err := w.s.AuditRepeats(ctx, es)
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, e := range es {
		n := repeats[e.Seq]
		if n == 0 {
			n = 1
		}
		sum += n
	}
	if sum != 41 {
		t.Fatalf("the counts add up to %d, want 41", sum)
	}
	if check, _ := w.s.VerifyAudit(ctx, models.VerifyOptions{}); !check.OK() {
		t.Fatalf("chain: %+v", check)
	}
}

func TestFailedSignInStoresABoundedEmail(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	long := strings.Repeat("x", 10_000) + "@t.test"
	if _, err := w.s.Authenticate(context.Background(), long, "wrong-password", "203.0.113.9"); err == nil {
		t.Fatal("signed in")
	}
	var e models.AuditEntry
	w.raw.Where("action = ?", "auth.login_failed").Last(&e)
	if n := len([]rune(e.ActorEmail)); n == 0 || n > 256 {
		t.Fatalf("stored %d characters of the email", n)
	}
	if len(e.After) > 400 {
		t.Fatalf("stored %d bytes of detail", len(e.After))
	}
}
