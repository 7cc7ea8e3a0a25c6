package models_test

import (
	"errors"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

// Issue 12, point 9: a reviewer could create a manager account with a password of their choosing.
func TestOnlyAdminsInviteManagersAndNobodyChoosesTheirPassword(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for name, a := range map[string]*models.Actor{"reviewer": w.rev1, "manager": w.mcnA} {
		if _, err := w.s.AddAgencyManager(ctx, a, w.agencyA.ID, "boss@lotus.example"); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("%s added a manager: %v", name, err)
		}
		if _, err := w.s.InviteUser(ctx, a, models.NewInvitation{Email: "staff@jd.example", Role: models.RoleReviewer}); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("%s invited a reviewer: %v", name, err)
		}
	}
	// Not even an admin signed in to the portal sets someone else's password.
	if _, err := w.s.CreateUser(ctx, w.admin, models.NewUser{Email: "boss@lotus.example", Password: "chosen-by-admin", Role: models.RoleMCNManager, AgencyID: &w.agencyA.ID}); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("an admin created an account with a password of their choosing: %v", err)
	}

	link, err := w.s.AddAgencyManager(ctx, w.admin, w.agencyA.ID, " Boss@Lotus.example ")
	if err != nil {
		t.Fatal(err)
	}
	if link.Email != "boss@lotus.example" || link.Token == "" || time.Until(link.ExpiresAt) < models.InvitationTTL-time.Minute {
		t.Fatalf("invitation %+v", link)
	}
	var n int64
	w.raw.Model(&models.User{}).Where("email = ?", "boss@lotus.example").Count(&n)
	if n != 0 {
		t.Fatal("the account exists before its owner set a password")
	}
	open, err := w.s.LookupInvitation(ctx, link.Token)
	if err != nil || open.Email != "boss@lotus.example" || open.Role != models.RoleMCNManager {
		t.Fatalf("lookup %+v %v", open, err)
	}
	if pending, _ := w.s.OpenUserInvitations(ctx, &w.agencyA.ID); len(pending) != 1 || pending[0].Email != "boss@lotus.example" {
		t.Fatalf("open invitations of agency A: %+v", pending)
	}
	u, err := w.s.AcceptInvitation(ctx, link.Token, "lotus-manager-own-pw", "10.0.0.9")
	if err != nil || u.Role != models.RoleMCNManager || u.AgencyID == nil || *u.AgencyID != w.agencyA.ID {
		t.Fatalf("accept %+v %v", u, err)
	}
	if _, err := w.s.Authenticate(ctx, "boss@lotus.example", "lotus-manager-own-pw", ""); err != nil {
		t.Fatalf("sign in with the password the manager set: %v", err)
	}
	if _, err := w.s.AcceptInvitation(ctx, link.Token, "another-long-password", ""); !errors.Is(err, models.ErrInvitationInvalid) {
		t.Fatalf("second use: %v", err)
	}
	if pending, _ := w.s.OpenUserInvitations(ctx, &w.agencyA.ID); len(pending) != 0 {
		t.Fatalf("an accepted invitation is still open: %+v", pending)
	}
	history, _ := w.s.AuditFor(ctx, "agency", w.agencyA.ID)
	if len(history) == 0 || history[len(history)-1].Action != "user.invite" || history[len(history)-1].ActorEmail != "admin@t.test" {
		t.Fatalf("the agency's history does not show the invitation: %+v", history)
	}
	accepted, _ := w.s.AuditFor(ctx, "user", u.ID)
	if len(accepted) == 0 || accepted[0].Action != "invitation.accept" || accepted[0].ActorEmail != "boss@lotus.example" {
		t.Fatalf("acceptance audit %+v", accepted)
	}
}

func TestInvitingStaffRefusesWhatCannotBecomeAnAccount(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	missing := uint(9999)
	cases := map[string]struct {
		in    models.NewInvitation
		field string
	}{
		"address taken":         {models.NewInvitation{Email: "REV1@t.test", Role: models.RoleReviewer}, "email"},
		"not an address":        {models.NewInvitation{Email: "rev3", Role: models.RoleReviewer}, "email"},
		"a creator":             {models.NewInvitation{Email: "c@t.test", Role: models.RoleCreator}, "role"},
		"unknown role":          {models.NewInvitation{Email: "c@t.test", Role: "boss"}, "role"},
		"manager of nothing":    {models.NewInvitation{Email: "c@t.test", Role: models.RoleMCNManager}, "agency"},
		"manager of no agency":  {models.NewInvitation{Email: "c@t.test", Role: models.RoleMCNManager, AgencyID: &missing}, "agency"},
		"reviewer of an agency": {models.NewInvitation{Email: "c@t.test", Role: models.RoleReviewer, AgencyID: &w.agencyA.ID}, "agency"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := w.s.InviteUser(ctx, w.admin, tc.in)
			fe, ok := models.AsFieldErrors(err)
			if !ok || fe[tc.field].IsZero() {
				t.Fatalf("error %v, want one on %s", err, tc.field)
			}
		})
	}
	var n int64
	w.raw.Model(&models.UserInvitation{}).Count(&n)
	if n != 0 {
		t.Fatalf("%d invitations written by refused requests", n)
	}
}

func TestInvitingAgainReplacesTheLinkAndOldOrExpiredLinksFail(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	first, err := w.s.InviteUser(ctx, w.admin, models.NewInvitation{Email: "rev3@jd.example", Role: models.RoleReviewer})
	if err != nil {
		t.Fatal(err)
	}
	second, err := w.s.InviteUser(ctx, w.admin, models.NewInvitation{Email: "rev3@jd.example", Role: models.RoleReviewer})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.AcceptInvitation(ctx, first.Token, "a-good-long-password", ""); !errors.Is(err, models.ErrInvitationInvalid) {
		t.Fatalf("the replaced link still works: %v", err)
	}
	if err := w.raw.Exec("UPDATE user_invitations SET expires_at = ? WHERE email = ?", time.Now().UTC().Add(-time.Second), "rev3@jd.example").Error; err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.LookupInvitation(ctx, second.Token); !errors.Is(err, models.ErrInvitationInvalid) {
		t.Fatalf("an expired link: %v", err)
	}
	if _, err := w.s.AcceptInvitation(ctx, second.Token, "a-good-long-password", ""); !errors.Is(err, models.ErrInvitationInvalid) {
		t.Fatalf("accepting an expired link: %v", err)
	}
}

func TestAResetLinkIsForTheUsersOwnAddressInTheirLanguage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if err := w.s.SetLanguage(ctx, w.mcnB, "zh-CN"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.CreatePasswordReset(ctx, w.rev1, w.mcnB.UserID); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a reviewer made a reset link: %v", err)
	}
	link, err := w.s.CreatePasswordReset(ctx, w.admin, w.mcnB.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if link.Email != "b@t.test" || link.Language != "zh-CN" || link.Token == "" {
		t.Fatalf("reset link %+v", link)
	}
	if email, err := w.s.LookupPasswordReset(ctx, link.Token); err != nil || email != "b@t.test" {
		t.Fatalf("lookup %q %v", email, err)
	}
}
