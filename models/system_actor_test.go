package models_test

import (
	"errors"
	"testing"

	"github.com/jd/creator-portal/models"
)

// Issue 13, point 6: "the system" is SystemActor(), never a nil actor.
func TestCreateUserWantsTheSystemActorNotNil(t *testing.T) {
	w := newWorld(t)
	n := models.NewUser{Email: "ops@jd.example", Password: "long-enough-password", Role: models.RoleReviewer}
	if _, err := w.s.CreateUser(ctx, nil, n); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a nil actor created an account: %v", err)
	}
	u, err := w.s.CreateUser(ctx, models.SystemActor(), n)
	if err != nil {
		t.Fatal(err)
	}
	var e models.AuditEntry
	if err := w.raw.Where("action = ? AND object_id = ?", "user.create", u.ID).First(&e).Error; err != nil {
		t.Fatal(err)
	}
	if e.ActorEmail != "system" || e.ActorID != nil {
		t.Fatalf("audited as %q (id %v), want the system", e.ActorEmail, e.ActorID)
	}
}
