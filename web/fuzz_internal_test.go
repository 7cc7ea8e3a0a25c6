package web

import (
	"net/url"
	"testing"

	"github.com/jd/creator-portal/models"
)

// FuzzBonusFilter: any query string gives a filter or named field errors, never a panic,
// and never a negative amount bound or an invalid week.
func FuzzBonusFilter(f *testing.F) {
	for _, q := range []string{"week=2026-W47&min=300&max=1,000.50&state=proposed&sort=oldest", "min=-5&max=abc", "week=2026-W99", "agency=0&subject=-1", "q=%27%3B--", "min=1e9"} {
		f.Add(q)
	}
	staff := &models.Actor{Role: models.RoleReviewer}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		flt, _, errs := parseBonusFilter(q.Get, staff)
		if flt.MinFen < 0 || flt.MaxFen < 0 {
			t.Fatalf("negative bound from %q", raw)
		}
		if flt.Week != "" {
			if _, err := models.ParseWeek(flt.Week); err != nil {
				t.Fatalf("invalid week %q accepted", flt.Week)
			}
		}
		if flt.State != "" && !flt.State.Valid() {
			t.Fatalf("invalid state %q", flt.State)
		}
		for k, msg := range errs {
			if msg.IsZero() {
				t.Fatalf("empty message for %s", k)
			}
		}
	})
}
