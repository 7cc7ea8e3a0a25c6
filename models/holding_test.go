package models_test

import (
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// A week becomes payable N days after Sunday 24:00 CST, whatever the server's zone.
func TestPayableFromAtTheCSTBoundary(t *testing.T) {
	t.Parallel()
	w48, _ := models.ParseWeek("2026-W48") // Mon 23 Nov … Sun 29 Nov 2026 CST; ends Sun 29 Nov 16:00 UTC
	cases := []struct {
		days    int
		at      time.Time
		payable bool
	}{
		{0, time.Date(2026, 11, 29, 15, 59, 59, 0, time.UTC), false}, // Sunday 23:59:59 CST
		{0, time.Date(2026, 11, 29, 16, 0, 0, 0, time.UTC), true},    // Monday 00:00 CST
		{15, time.Date(2026, 12, 14, 15, 59, 59, 0, time.UTC), false},
		{15, time.Date(2026, 12, 14, 16, 0, 0, 0, time.UTC), true}, // Tue 15 Dec 00:00 CST
		{90, time.Date(2027, 2, 27, 16, 0, 0, 0, time.UTC), true},
	}
	for _, tc := range cases {
		from := models.PayableFrom(w48, tc.days)
		if got := !tc.at.Before(from); got != tc.payable {
			t.Errorf("%d days at %s: payable %v, want %v (from %s)", tc.days, tc.at, got, tc.payable, from.UTC())
		}
	}
	if from := models.PayableFrom(w48, 15); from.In(models.CST).Format("2006-01-02 15:04") != "2026-12-15 00:00" {
		t.Fatalf("payable from %s", from.In(models.CST))
	}
	m := models.PayableFromMsg("payable_from", models.PayableFrom(w48, 15))
	if m.Args["Date"] != "2026-12-15" {
		t.Fatalf("message %+v", m)
	}
}

// Last week's approved bonuses wait out the default holding period: the
// batch leaves them out, held with the date; an admin's shorter period lets them go.
func TestHoldingPeriodHoldsRecentWeeks(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ids := w.approvedWeek(t, 2)
	if days, err := w.s.HoldingDays(ctx); err != nil || days != 15 {
		t.Fatalf("default %d %v", days, err)
	}
	if _, err := w.s.SeedPayees(ctx, models.SystemActor()); err != nil {
		t.Fatal(err)
	}
	_, _, err := w.s.CreatePayoutBatch(ctx, w.rev1, models.PayCreators, ids)
	if msg := fieldError(t, err, "ids"); msg.ID != "err_batch_all_held" {
		t.Fatalf("batch: %v", err)
	}
	held, err := w.s.HeldPayouts(ctx, w.rev1, 10)
	if err != nil || len(held.Reasons) != 1 || held.Reasons[0].Reason != models.HoldHoldingPeriod || held.Reasons[0].GrossFen != 30_000 {
		t.Fatalf("held %+v %v", held, err)
	}
	from := models.PayableFrom(lastWeek, 15)
	if h := held.Lines[0]; h.PayableFrom == nil || !h.PayableFrom.Equal(from) || h.Msg().ID != "hold_holding_period_until" {
		t.Fatalf("held line %+v", h)
	}
	for _, tc := range []struct {
		who  *models.Actor
		days int
		ok   bool
	}{{w.rev1, 0, false}, {w.admin, -1, false}, {w.admin, 91, false}, {w.admin, 0, true}} {
		if err := w.s.SetHoldingDays(ctx, tc.who, tc.days); (err == nil) != tc.ok {
			t.Fatalf("%s sets %d: %v", tc.who.Email, tc.days, err)
		}
	}
	if n := w.auditCount(t, "settings.holding_days", 0); n != 1 {
		t.Fatalf("%d audit entries", n)
	}
	batch, _, err := w.s.CreatePayoutBatch(ctx, w.rev1, models.PayCreators, ids)
	if err != nil || batch.Count != 2 {
		t.Fatalf("batch %+v %v", batch, err)
	}
}
