package models_test

import (
	"errors"
	"strconv"
	"sync"
	"testing"

	"github.com/jd/creator-portal/models"
)

// creatorIn enrols a creator and walks it to the given state.
func (w *world) creatorIn(t *testing.T, account string, st models.CreatorState) *models.Creator {
	t.Helper()
	c := w.enrol(t, w.mcnA, account)
	var path []models.Decision
	switch st {
	case models.StateQualified:
		path = []models.Decision{{Action: models.ActionQualify}}
	case models.StateRejected:
		path = []models.Decision{{Action: models.ActionReject, Reason: "content_policy"}}
	case models.StateSuspended:
		path = []models.Decision{{Action: models.ActionQualify}, {Action: models.ActionSuspend, Reason: "suspected_fraud"}}
	}
	for _, d := range path {
		d.CreatorID = c.ID
		if _, err := w.s.DecideCreator(ctx, w.rev1, d); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func TestEveryStateTransition(t *testing.T) {
	t.Parallel()
	allowed := map[models.CreatorState]map[models.CreatorAction]models.CreatorState{
		models.StatePending:   {models.ActionQualify: models.StateQualified, models.ActionReject: models.StateRejected},
		models.StateQualified: {models.ActionSuspend: models.StateSuspended},
		models.StateSuspended: {models.ActionReinstate: models.StateQualified},
		models.StateRejected:  {},
	}
	w := newWorld(t)
	n := 0
	for _, from := range models.CreatorStates {
		for _, act := range []models.CreatorAction{models.ActionQualify, models.ActionReject, models.ActionSuspend, models.ActionReinstate} {
			n++
			t.Run(string(from)+" "+string(act), func(t *testing.T) {
				c := w.creatorIn(t, "jd_cr_tr"+strconv.Itoa(n), from)
				got, err := w.s.DecideCreator(ctx, w.rev2, models.Decision{CreatorID: c.ID, Action: act, Reason: "duplicate_account", Note: "checked"})
				want, ok := allowed[from][act]
				if !ok {
					if !errors.Is(err, models.ErrInvalidTransition) {
						t.Fatalf("want refusal, got %v", err)
					}
					after, _ := w.s.GetCreator(ctx, w.rev1, c.ID)
					if after.State != from {
						t.Fatalf("a refused transition changed the state to %s", after.State)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got.State != want {
					t.Fatalf("state %s, want %s", got.State, want)
				}
				if needs := models.CreatorTransitions[act].NeedsReason; needs != (got.StateReason == "duplicate_account") {
					t.Fatalf("reason kept = %q for %s", got.StateReason, act)
				}
				if act == models.ActionQualify && got.QualifiedAt == nil {
					t.Fatal("qualifying must record when")
				}
			})
		}
	}
}

func TestDecisionRules(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.enrol(t, w.mcnA, "jd_cr_rule01")
	cases := map[string]struct {
		a     *models.Actor
		d     models.Decision
		field string
		err   error
	}{
		"reject needs a reason":        {w.rev1, models.Decision{Action: models.ActionReject}, "reason", nil},
		"unknown reason code":          {w.rev1, models.Decision{Action: models.ActionReject, Reason: "bad_vibes"}, "reason", nil},
		"inactive reason code refused": {w.rev1, models.Decision{Action: models.ActionReject, Reason: "retired_reason"}, "reason", nil},
		"unknown action":               {w.rev1, models.Decision{Action: "promote"}, "action", nil},
		"note too long":                {w.rev1, models.Decision{Action: models.ActionQualify, Note: string(make([]byte, 501))}, "note", nil},
		"manager may not decide":       {w.mcnA, models.Decision{Action: models.ActionQualify}, "", models.ErrForbidden},
		"unknown creator":              {w.rev1, models.Decision{CreatorID: 99999, Action: models.ActionQualify}, "", models.ErrNotFound},
	}
	if err := w.s.CreateReasonCode(ctx, w.admin, models.ReasonForCreator, "retired_reason", "Retired"); err != nil {
		t.Fatal(err)
	}
	rcs, _ := w.s.ReasonCodes(ctx, "", false)
	for _, rc := range rcs {
		if rc.Code == "retired_reason" {
			if err := w.s.UpdateReasonCode(ctx, w.admin, rc.ID, rc.Label, false); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if tc.d.CreatorID == 0 {
				tc.d.CreatorID = c.ID
			}
			_, err := w.s.DecideCreator(ctx, tc.a, tc.d)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("got %v, want %v", err, tc.err)
				}
				return
			}
			fieldError(t, err, tc.field)
		})
	}
	if got, _ := w.s.GetCreator(ctx, w.rev1, c.ID); got.State != models.StatePending {
		t.Fatalf("refused decisions changed the state to %s", got.State)
	}
}

// TestConcurrentDecisionsOnOneCreator races reviewers qualifying and
// rejecting the same pending creator: exactly one decision wins and exactly
// one is audited.
func TestConcurrentDecisionsOnOneCreator(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.enrol(t, w.mcnA, "jd_cr_race02")
	var wg sync.WaitGroup
	results := make([]error, 10)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := models.Decision{CreatorID: c.ID, Action: models.ActionQualify}
			a := w.rev1
			if i%2 == 1 {
				d = models.Decision{CreatorID: c.ID, Action: models.ActionReject, Reason: "content_policy"}
				a = w.rev2
			}
			_, results[i] = w.s.DecideCreator(ctx, a, d)
		}()
	}
	wg.Wait()
	wins := 0
	for _, err := range results {
		switch {
		case err == nil:
			wins++
		case !errors.Is(err, models.ErrInvalidTransition):
			t.Errorf("unexpected error: %v", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d decisions succeeded, want exactly 1", wins)
	}
	history, _ := w.s.AuditFor(ctx, "creator", c.ID)
	decisions := 0
	for _, e := range history {
		if e.Action == "creator.qualify" || e.Action == "creator.reject" {
			decisions++
		}
	}
	if decisions != 1 {
		t.Fatalf("%d decisions audited, want 1", decisions)
	}
}
