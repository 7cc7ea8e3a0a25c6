package models_test

import (
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

func TestBonusRuleCompute(t *testing.T) {
	t.Parallel()
	r := models.DefaultBonusRule // GMV tiers at ¥10k/¥50k/¥200k/¥1M; views at 100k/1M/10M; ¥100 a video, ¥300 a live session; cap ¥30k
	cases := map[string]struct {
		p       models.WeeklyPerformance
		want    int64
		gmvTier int
		capped  bool
	}{
		"nothing":                      {models.WeeklyPerformance{}, 0, 0, false},
		"one video only":               {models.WeeklyPerformance{Videos: 1}, 10_000, 0, false},
		"GMV one fen below tier 1":     {models.WeeklyPerformance{Videos: 1, GMVFen: 999_999}, 10_000, 0, false},
		"GMV exactly tier 1":           {models.WeeklyPerformance{Videos: 1, GMVFen: 1_000_000}, 60_000, 1, false},
		"GMV exactly tier 2":           {models.WeeklyPerformance{Videos: 1, GMVFen: 5_000_000}, 210_000, 2, false},
		"views exactly tier 2":         {models.WeeklyPerformance{LiveSessions: 1, Views: 1_000_000}, 180_000, 0, false},
		"views one below tier 1":       {models.WeeklyPerformance{LiveSessions: 2, Views: 99_999}, 60_000, 0, false},
		"top GMV and views hit cap":    {models.WeeklyPerformance{Videos: 50, LiveSessions: 3, Views: 10_000_000, GMVFen: 100_000_000}, 3_000_000, 4, true},
		"exactly at cap is not capped": {models.WeeklyPerformance{Videos: 50, GMVFen: 100_000_000, Views: 10_000_000}, 3_000_000, 4, false},
		"absurd video count capped":    {models.WeeklyPerformance{Videos: 9_000_000_000_000}, 3_000_000, 0, true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			b := r.Compute(tc.p)
			if b.AmountFen != tc.want || b.GMVTier != tc.gmvTier || b.Capped != tc.capped {
				t.Fatalf("amount %d tier %d capped %v; want %d tier %d capped %v (%+v)", b.AmountFen, b.GMVTier, b.Capped, tc.want, tc.gmvTier, tc.capped, b)
			}
			if b.AmountFen > r.WeeklyCapFen {
				t.Fatal("over the cap")
			}
		})
	}
	// A lower configured cap wins; a cap above the programme maximum is refused.
	low := r
	low.WeeklyCapFen = 100_000
	if got := low.Compute(models.WeeklyPerformance{Videos: 50}).AmountFen; got != 100_000 {
		t.Fatalf("lower cap: %d", got)
	}
	high := r
	high.WeeklyCapFen = 3_000_001
	if fe := high.Validate(); fe["weekly_cap"].IsZero() {
		t.Fatal("a cap above ¥30,000 was accepted")
	}
	bad := r
	bad.GMVTiers = []models.Tier{{5_000_000, 100}, {1_000_000, 200}}
	if fe := bad.Validate(); fe["gmv_tiers"].IsZero() {
		t.Fatal("falling tiers accepted")
	}
}

func TestEligibility(t *testing.T) {
	t.Parallel()
	week, _ := models.ParseWeek("2026-W47") // Mon 16 Nov 00:00 CST = Sun 15 Nov 16:00 UTC … Mon 23 Nov 00:00 CST
	at := func(y, m, d, h, min int) *time.Time {
		t := time.Date(y, time.Month(m), d, h, min, 0, 0, time.UTC)
		return &t
	}
	posted := models.WeeklyPerformance{Videos: 1}
	cases := map[string]struct {
		c    models.Creator
		p    models.WeeklyPerformance
		want bool
	}{
		"qualified long before":              {models.Creator{State: models.StateQualified, QualifiedAt: at(2026, 1, 1, 0, 0)}, posted, true},
		"qualified mid-week":                 {models.Creator{State: models.StateQualified, QualifiedAt: at(2026, 11, 18, 3, 0)}, posted, true},
		"qualified Sunday 23:30 CST":         {models.Creator{State: models.StateQualified, QualifiedAt: at(2026, 11, 22, 15, 30)}, posted, true},
		"qualified Monday 00:30 CST (after)": {models.Creator{State: models.StateQualified, QualifiedAt: at(2026, 11, 22, 16, 30)}, posted, false},
		"pending":                            {models.Creator{State: models.StatePending}, posted, false},
		"suspended":                          {models.Creator{State: models.StateSuspended, QualifiedAt: at(2026, 1, 1, 0, 0)}, posted, false},
		"no content that week":               {models.Creator{State: models.StateQualified, QualifiedAt: at(2026, 1, 1, 0, 0)}, models.WeeklyPerformance{Views: 5_000_000, GMVFen: 9_000_000}, false},
		"live session only":                  {models.Creator{State: models.StateQualified, QualifiedAt: at(2026, 1, 1, 0, 0)}, models.WeeklyPerformance{LiveSessions: 1}, true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got, why := models.Eligible(tc.c, tc.p, week); got != tc.want {
				t.Fatalf("eligible = %v (%s), want %v", got, why, tc.want)
			}
		})
	}
}
