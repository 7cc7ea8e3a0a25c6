package models_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/jd/creator-portal/models"
)

func auditActions(t *testing.T, w *world, id uint) string {
	t.Helper()
	es, err := w.s.AuditFor(ctx, "creator", id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Action)
	}
	return strings.Join(out, " ")
}

func TestResubmitRejectedCreator(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	good := func(id uint) models.Resubmission {
		return models.Resubmission{CreatorID: id, DisplayName: "Fixed Name", Subjects: []string{"electronics", "household"}, ContentType: "live",
			Followers: "250,000", ContactPhone: "+86 138 0000 0009", Note: "Links to the videos added"}
	}
	n := 0
	cases := []struct {
		name  string
		state models.CreatorState
		by    func(w *world) *models.Actor
		edit  func(r *models.Resubmission)
		check func(t *testing.T, err error)
	}{
		{name: "rejected, by its agency", state: models.StateRejected, by: func(w *world) *models.Actor { return w.mcnA },
			check: func(t *testing.T, err error) {
				if err != nil {
					t.Fatal(err)
				}
			}},
		{name: "another agency's creator is not found", state: models.StateRejected, by: func(w *world) *models.Actor { return w.mcnB },
			check: func(t *testing.T, err error) {
				if !errors.Is(err, models.ErrNotFound) {
					t.Fatalf("want ErrNotFound, got %v", err)
				}
			}},
		{name: "a reviewer may not", state: models.StateRejected, by: func(w *world) *models.Actor { return w.rev1 },
			check: func(t *testing.T, err error) {
				if !errors.Is(err, models.ErrForbidden) {
					t.Fatalf("want ErrForbidden, got %v", err)
				}
			}},
		{name: "pending is not rejected", state: models.StatePending, by: func(w *world) *models.Actor { return w.mcnA },
			check: func(t *testing.T, err error) {
				var nr models.NotRejectedError
				if !errors.As(err, &nr) || !errors.Is(err, models.ErrNotRejected) || nr.State != models.StatePending {
					t.Fatalf("want NotRejectedError, got %v", err)
				}
			}},
		{name: "qualified is not rejected", state: models.StateQualified, by: func(w *world) *models.Actor { return w.mcnA },
			check: func(t *testing.T, err error) {
				if !errors.Is(err, models.ErrNotRejected) {
					t.Fatalf("want ErrNotRejected, got %v", err)
				}
			}},
		{name: "suspended is not rejected", state: models.StateSuspended, by: func(w *world) *models.Actor { return w.mcnA },
			check: func(t *testing.T, err error) {
				if !errors.Is(err, models.ErrNotRejected) {
					t.Fatalf("want ErrNotRejected, got %v", err)
				}
			}},
		{name: "a note is required", state: models.StateRejected, by: func(w *world) *models.Actor { return w.mcnA },
			edit: func(r *models.Resubmission) { r.Note = "  " },
			check: func(t *testing.T, err error) {
				if m := fieldError(t, err, "note"); m.ID != "err_resubmit_note_required" {
					t.Fatalf("got %v", m)
				}
			}},
		{name: "bad details are field errors", state: models.StateRejected, by: func(w *world) *models.Actor { return w.mcnA },
			edit: func(r *models.Resubmission) { r.Followers = "-3"; r.Subjects = []string{"no such area"} },
			check: func(t *testing.T, err error) {
				fieldError(t, err, "followers")
				fieldError(t, err, "subjects")
			}},
	}
	for _, tc := range cases {
		n++
		t.Run(tc.name, func(t *testing.T) {
			c := w.creatorIn(t, "jd_rs_"+strconv.Itoa(n), tc.state)
			before, _ := w.s.GetCreator(ctx, w.rev1, c.ID)
			r := good(c.ID)
			if tc.edit != nil {
				tc.edit(&r)
			}
			got, err := w.s.ResubmitCreator(ctx, tc.by(w), r)
			tc.check(t, err)
			after, _ := w.s.GetCreator(ctx, w.rev1, c.ID)
			if err != nil {
				if after.State != before.State || after.DisplayName != before.DisplayName || after.ResubmittedAt != nil {
					t.Fatalf("a refused resubmission changed the creator: %+v", after)
				}
				if strings.Contains(auditActions(t, w, c.ID), "creator.resubmit") {
					t.Fatal("a refused resubmission was audited")
				}
				return
			}
			if got.State != models.StatePending || !got.IsResubmission() || got.ResubmitNote != "Links to the videos added" {
				t.Fatalf("not a pending resubmission: %+v", got)
			}
			if got.ResubmittedReason != "content_policy" || got.StateReason != "" {
				t.Fatalf("reason kept %q, state reason %q", got.ResubmittedReason, got.StateReason)
			}
			if got.DisplayName != "Fixed Name" || got.Followers != 250000 || got.ContentType != models.ContentLive || got.Subject2ID == nil || got.ContactPhone == "" {
				t.Fatalf("details not updated: %+v", got)
			}
			if got.AccountID != before.AccountID {
				t.Fatal("the account must not change")
			}
			if acts := auditActions(t, w, c.ID); acts != "creator.enrol creator.reject creator.resubmit" {
				t.Fatalf("history %q: the rejection must stay and the resubmission be audited", acts)
			}
			// Reviewers decide it like any pending creator; once decided it is no longer marked.
			q, err := w.s.DecideCreator(ctx, w.rev2, models.Decision{CreatorID: c.ID, Action: models.ActionQualify})
			if err != nil || q.IsResubmission() {
				t.Fatalf("decide a resubmission: %v %+v", err, q)
			}
			if _, err := w.s.ResubmitCreator(ctx, w.mcnA, good(c.ID)); !errors.Is(err, models.ErrNotRejected) {
				t.Fatalf("a qualified creator resubmitted: %v", err)
			}
		})
	}
}

func TestBulkCreatorDecisions(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	n := 0
	cases := []struct {
		name                     string
		states                   []models.CreatorState
		by                       func(w *world) *models.Actor
		action                   models.CreatorAction
		reason                   string
		extraIDs                 []uint
		wantErr                  string // a field with an error, or "forbidden"
		wantDecided, wantSkipped int
		wantState                models.CreatorState
	}{
		{name: "qualify all pending", states: []models.CreatorState{models.StatePending, models.StatePending, models.StatePending},
			action: models.ActionQualify, wantDecided: 3, wantState: models.StateQualified},
		{name: "reject with a reason, skipping the decided", states: []models.CreatorState{models.StatePending, models.StateQualified, models.StatePending, models.StateRejected},
			action: models.ActionReject, reason: "incomplete_information", wantDecided: 2, wantSkipped: 2, wantState: models.StateRejected},
		{name: "unknown ids are skipped", states: []models.CreatorState{models.StatePending}, extraIDs: []uint{999999},
			action: models.ActionQualify, wantDecided: 1, wantSkipped: 1, wantState: models.StateQualified},
		{name: "reject needs a reason", states: []models.CreatorState{models.StatePending}, action: models.ActionReject, wantErr: "reason"},
		{name: "an unknown reason refuses all", states: []models.CreatorState{models.StatePending}, action: models.ActionReject, reason: "nope", wantErr: "reason"},
		{name: "only qualify or reject", states: []models.CreatorState{models.StateQualified}, action: models.ActionSuspend, reason: "content_policy", wantErr: "action"},
		{name: "nothing selected", action: models.ActionQualify, wantErr: "ids"},
		{name: "managers may not", states: []models.CreatorState{models.StatePending}, by: func(w *world) *models.Actor { return w.mcnA },
			action: models.ActionQualify, wantErr: "forbidden"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var ids []uint
			var cs []*models.Creator
			for _, st := range tc.states {
				n++
				c := w.creatorIn(t, "jd_bulk_"+strconv.Itoa(n), st)
				ids, cs = append(ids, c.ID), append(cs, c)
			}
			by := w.rev1
			if tc.by != nil {
				by = tc.by(w)
			}
			res, err := w.s.DecideCreators(ctx, by, models.BulkCreatorDecision{CreatorIDs: append(ids, tc.extraIDs...), Action: tc.action, Reason: tc.reason, Note: "batch"})
			switch tc.wantErr {
			case "":
				if err != nil {
					t.Fatal(err)
				}
			case "forbidden":
				if !errors.Is(err, models.ErrForbidden) {
					t.Fatalf("want ErrForbidden, got %v", err)
				}
			default:
				fieldError(t, err, tc.wantErr)
			}
			if res.Decided != tc.wantDecided || res.Skipped != tc.wantSkipped {
				t.Fatalf("decided %d skipped %d, want %d and %d", res.Decided, res.Skipped, tc.wantDecided, tc.wantSkipped)
			}
			for i, c := range cs {
				after, _ := w.s.GetCreator(ctx, w.rev1, c.ID)
				acts := auditActions(t, w, c.ID)
				if tc.states[i] == models.StatePending && tc.wantErr == "" {
					if after.State != tc.wantState {
						t.Fatalf("creator %d is %s, want %s", c.ID, after.State, tc.wantState)
					}
					if !strings.HasSuffix(acts, "creator."+string(tc.action)) {
						t.Fatalf("creator %d: each decision is audited, got %q", c.ID, acts)
					}
					if tc.action == models.ActionReject && after.StateReason != tc.reason {
						t.Fatalf("reason %q", after.StateReason)
					}
				} else if after.State != tc.states[i] {
					t.Fatalf("creator %d moved from %s to %s", c.ID, tc.states[i], after.State)
				}
			}
		})
	}
}

func TestNextPendingCreatorFollowsTheQueue(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// The pending list shows the newest enrolment first; enrolled in this order, the queue is c3, c2, c1.
	c1 := w.enrol(t, w.mcnA, "jd_np_1")
	c2 := w.enrol(t, w.mcnA, "jd_np_2")
	c3 := w.enrol(t, w.mcnB, "jd_np_3")
	next := func(after uint) uint {
		t.Helper()
		id, err := w.s.NextPendingCreator(ctx, w.rev1, after)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	if got := next(c3.ID); got != c2.ID {
		t.Fatalf("after c3: %d, want c2 %d", got, c2.ID)
	}
	if got := next(c1.ID); got != c3.ID {
		t.Fatalf("after the last, wrap to the first: %d, want %d", got, c3.ID)
	}
	if _, err := w.s.DecideCreator(ctx, w.rev1, models.Decision{CreatorID: c2.ID, Action: models.ActionQualify}); err != nil {
		t.Fatal(err)
	}
	if got := next(c2.ID); got != c1.ID {
		t.Fatalf("after deciding c2: %d, want c1 %d", got, c1.ID)
	}
	for _, c := range []*models.Creator{c1, c3} {
		if _, err := w.s.DecideCreator(ctx, w.rev1, models.Decision{CreatorID: c.ID, Action: models.ActionReject, Reason: "content_policy"}); err != nil {
			t.Fatal(err)
		}
	}
	if got := next(c3.ID); got != 0 {
		t.Fatalf("none left: %d", got)
	}
	if _, err := w.s.NextPendingCreator(ctx, w.mcnA, 0); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("managers: %v", err)
	}
}

func TestOnlyQualifiedCreatorsAreFeatured(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for i, st := range models.CreatorStates {
		t.Run(string(st), func(t *testing.T) {
			c := w.creatorIn(t, "jd_feat_"+strconv.Itoa(i), st)
			err := w.s.FeatureCreator(ctx, w.rev1, c.ID, "2026-11-24", "2026-12-24", "")
			if st == models.StateQualified {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var nq models.NotQualifiedError
			if !errors.Is(err, models.ErrNotQualified) || !errors.As(err, &nq) || nq.State != st {
				t.Fatalf("want NotQualifiedError, got %v", err)
			}
			if m := fieldError(t, err, "feature"); m.ID != "err_feature_not_qualified" {
				t.Fatalf("message %v", m)
			}
			if strings.Contains(auditActions(t, w, c.ID), "creator.feature") {
				t.Fatal("a refused feature was audited")
			}
		})
	}
}
