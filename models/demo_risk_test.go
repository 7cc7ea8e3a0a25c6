package models_test

import (
	"testing"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// The demo's last computed week has proposals flagged by each of the risk
// engineer's kinds, so `make run` shows them.
func TestDemoHasFlaggedProposalsOfEveryKind(t *testing.T) {
	t.Parallel()
	s := modeltest.NewStore(t)
	if _, err := s.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	byKind, err := s.FlaggedWaiting(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[models.RiskKind]int64{}
	for _, k := range byKind {
		got[k.Kind] = k.Count
	}
	for _, k := range []models.RiskKind{models.RiskSpike, models.RiskRefundRate, models.RiskOrderValue, models.RiskIdentical, models.RiskFirstWeekCap} {
		if got[k] == 0 {
			t.Errorf("no waiting proposal flagged %s: %v", k, got)
		}
	}
	if got[models.RiskIdentical] < 3 {
		t.Errorf("identical figures flag %d proposals, want the three alike", got[models.RiskIdentical])
	}
}
