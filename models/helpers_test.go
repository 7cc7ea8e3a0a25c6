package models_test

import (
	"context"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
	"github.com/jd/creator-portal/views/i18n"
)

var ctx = context.Background()

// world is a small programme: two agencies with a manager each, and staff.
type world struct {
	s              *models.Store
	raw            *gorm.DB // the same database behind the application's back
	admin, rev1    *models.Actor
	rev2           *models.Actor
	mcnA, mcnB     *models.Actor
	agencyA, agenB *models.Agency
}

func newWorld(t *testing.T, opts ...models.Option) *world {
	t.Helper()
	s, raw := modeltest.NewStoreWithDB(t, opts...)
	w := &world{s: s, raw: raw}
	sys := models.SystemActor()
	var err error
	if w.agencyA, err = s.CreateAgency(ctx, sys, models.AgencyInput{Name: "Agency A"}); err != nil {
		t.Fatal(err)
	}
	if w.agenB, err = s.CreateAgency(ctx, sys, models.AgencyInput{Name: "Agency B"}); err != nil {
		t.Fatal(err)
	}
	mk := func(email string, role models.Role, agency *uint) *models.Actor {
		u, err := s.CreateUser(ctx, sys, models.NewUser{Email: email, Password: "long-enough-password", Role: role, AgencyID: agency})
		if err != nil {
			t.Fatal(err)
		}
		return models.ActorFor(u, "127.0.0.1")
	}
	w.admin = mk("admin@t.test", models.RoleAdmin, nil)
	w.rev1 = mk("rev1@t.test", models.RoleReviewer, nil)
	w.rev2 = mk("rev2@t.test", models.RoleReviewer, nil)
	w.mcnA = mk("a@t.test", models.RoleMCNManager, &w.agencyA.ID)
	w.mcnB = mk("b@t.test", models.RoleMCNManager, &w.agenB.ID)
	return w
}

func enrolment(account string) models.Enrolment {
	return models.Enrolment{DisplayName: "Creator " + account, AccountID: account, Subjects: []string{"electronics"}, ContentType: "video", Followers: "1000"}
}

func (w *world) enrol(t *testing.T, a *models.Actor, account string) *models.Creator {
	t.Helper()
	res, err := w.s.EnrolCreator(ctx, a, nil, enrolment(account))
	if err != nil {
		t.Fatalf("enrol %s: %v", account, err)
	}
	return res.Creator
}

// english renders a message of the models as an English page shows it.
func english(m models.Msg) string { return i18n.For(i18n.EN).Msg(m) }

// errText renders the message an error carries, as an English page shows it.
func errText(err error) string {
	if m, ok := models.MsgOf(err); ok {
		return english(m)
	}
	return err.Error()
}

// problemIDs lists problems as "column:id", joined by "; ".
func problemIDs(ps []models.RowProblem) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.Column + ":" + p.Msg.ID
	}
	return strings.Join(parts, "; ")
}

func fieldError(t *testing.T, err error, field string) models.Msg {
	t.Helper()
	fe, ok := models.AsFieldErrors(err)
	if !ok {
		t.Fatalf("want field errors, got %v", err)
	}
	msg, ok := fe[field]
	if !ok {
		t.Fatalf("want an error on %q, got %v", field, fe)
	}
	return msg
}

// payable gives everyone owed money verified payee details and every open
// agency payable a confirmed invoice, as the portal's own seeding does, so a
// test about batches is not about holds (nor the holding period: the money
// of recent weeks is payable at once).
func (w *world) payable(t *testing.T) {
	t.Helper()
	if err := w.s.SetHoldingDays(ctx, models.SystemActor(), 0); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.SeedPayees(ctx, models.SystemActor()); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.SeedInvoices(ctx, models.SystemActor()); err != nil {
		t.Fatal(err)
	}
}
