package models_test

import (
	"strings"
	"testing"

	"github.com/jd/creator-portal/models"
)

func TestAuditChainCatchesEditsBehindTheApplicationsBack(t *testing.T) {
	cases := map[string]struct {
		tamper string
		want   string
	}{
		"edited reason":  {"UPDATE audit_entries SET after = REPLACE(after, 'content_policy', 'duplicate_account') WHERE action = 'creator.reject'", "was edited"},
		"changed actor":  {"UPDATE audit_entries SET actor_email = 'someone@else.test' WHERE action = 'creator.reject'", "was edited"},
		"deleted entry":  {"DELETE FROM audit_entries WHERE action = 'creator.enrol'", "does not link"},
		"rehashed alone": {"UPDATE audit_entries SET hash = 'f00d' WHERE action = 'creator.enrol'", "was edited"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t)
			c := w.enrol(t, w.mcnA, "jd_cr_aud001")
			if _, err := w.s.DecideCreator(ctx, w.rev1, models.Decision{CreatorID: c.ID, Action: models.ActionReject, Reason: "content_policy"}); err != nil {
				t.Fatal(err)
			}
			w.enrol(t, w.mcnA, "jd_cr_aud002")
			check, err := w.s.VerifyAudit(ctx)
			if err != nil || check.BrokenAt != 0 || check.Checked < 5 {
				t.Fatalf("intact log: %+v %v", check, err)
			}
			if err := w.raw.Exec(tc.tamper).Error; err != nil {
				t.Fatal(err)
			}
			check, err = w.s.VerifyAudit(ctx)
			if err != nil || check.BrokenAt == 0 || !strings.Contains(check.Problem, tc.want) {
				t.Fatalf("after tampering: %+v %v", check, err)
			}
		})
	}
}
