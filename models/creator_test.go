package models_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

func TestEnrolmentValidation(t *testing.T) {
	t.Parallel()
	subjects := models.NewSubjectIndex(models.DefaultSubjectAreasWithIDs())
	ok := enrolment("jd_cr_000001")
	cases := map[string]struct {
		edit  func(e *models.Enrolment)
		field string // "" means valid
		want  string
	}{
		"valid":                   {func(e *models.Enrolment) {}, "", ""},
		"subject by name":         {func(e *models.Enrolment) { e.Subjects = []string{"Skincare", "fashion"} }, "", ""},
		"followers with commas":   {func(e *models.Enrolment) { e.Followers = "1,250,000" }, "", ""},
		"missing name":            {func(e *models.Enrolment) { e.DisplayName = "  " }, "display_name", "err_display_name_required"},
		"name too long":           {func(e *models.Enrolment) { e.DisplayName = strings.Repeat("名", 81) }, "display_name", "err_display_name_too_long"},
		"missing account":         {func(e *models.Enrolment) { e.AccountID = "" }, "account_id", "err_account_id_required"},
		"account with spaces":     {func(e *models.Enrolment) { e.AccountID = "jd cr 1" }, "account_id", "err_account_id_format"},
		"no subject":              {func(e *models.Enrolment) { e.Subjects = nil }, "subjects", "err_primary_subject_required"},
		"unknown subject":         {func(e *models.Enrolment) { e.Subjects = []string{"knitting"} }, "subjects", "err_subject_unknown"},
		"four subjects":           {func(e *models.Enrolment) { e.Subjects = []string{"food", "fresh", "baby", "books"} }, "subjects", "err_subjects_too_many"},
		"subject twice":           {func(e *models.Enrolment) { e.Subjects = []string{"food", "Food and drink"} }, "subjects", "err_subject_twice"},
		"bad content type":        {func(e *models.Enrolment) { e.ContentType = "podcast" }, "content_type", "err_content_type"},
		"negative followers":      {func(e *models.Enrolment) { e.Followers = "-1" }, "followers", "err_followers_range"},
		"fractional followers":    {func(e *models.Enrolment) { e.Followers = "12.5" }, "followers", "err_followers_range"},
		"missing followers":       {func(e *models.Enrolment) { e.Followers = "" }, "followers", "err_followers_required"},
		"bad email":               {func(e *models.Enrolment) { e.ContactEmail = "x@" }, "contact_email", "err_email_invalid"},
		"bad phone":               {func(e *models.Enrolment) { e.ContactPhone = "call me" }, "contact_phone", "err_phone_format"},
		"email with display name": {func(e *models.Enrolment) { e.ContactEmail = "Bob <bob@example.com>" }, "contact_email", "err_email_invalid"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e := ok
			e.Subjects = append([]string(nil), ok.Subjects...)
			tc.edit(&e)
			_, fe := e.Validate(subjects)
			if tc.field == "" {
				if len(fe) != 0 {
					t.Fatalf("want valid, got %v", fe)
				}
				return
			}
			if fe[tc.field].ID != tc.want {
				t.Fatalf("error on %s = %s, want %s (all: %v)", tc.field, fe[tc.field], tc.want, fe)
			}
		})
	}
}

func TestOneAgencyPerCreator(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.enrol(t, w.mcnA, "jd_cr_000001")

	_, err := w.s.EnrolCreator(ctx, w.mcnB, nil, enrolment("jd_cr_000001"))
	if msg := fieldError(t, err, "account_id"); msg.ID != "err_creator_taken" {
		t.Errorf("other agency: %s", msg)
	}
	_, err = w.s.EnrolCreator(ctx, w.mcnA, nil, enrolment("jd_cr_000001"))
	if msg := fieldError(t, err, "account_id"); msg.ID != "err_already_enrolled" || !errors.Is(err, models.ErrAlreadyEnrolled) {
		t.Errorf("same agency: %s", msg)
	}
	// A manager cannot place a creator in another agency by asking for it.
	res, err := w.s.EnrolCreator(ctx, w.mcnA, &w.agenB.ID, enrolment("jd_cr_000002"))
	if err != nil || *res.Creator.AgencyID != w.agencyA.ID {
		t.Fatalf("manager enrolment went to agency %v (err %v)", res.Creator.AgencyID, err)
	}
	_, totalB, _ := w.s.ListCreators(ctx, w.mcnB, models.CreatorFilter{}, models.NewPage(1, 50))
	_, totalAll, _ := w.s.ListCreators(ctx, w.admin, models.CreatorFilter{}, models.NewPage(1, 50))
	if totalB != 0 || totalAll != 2 {
		t.Fatalf("agency B sees %d, staff see %d; want 0 and 2", totalB, totalAll)
	}
}

func TestConcurrentEnrolmentOfOneAccount(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := w.mcnA
			if i%2 == 1 {
				a = w.mcnB
			}
			_, errs[i] = w.s.EnrolCreator(ctx, a, nil, enrolment("jd_cr_race01"))
		}()
	}
	wg.Wait()
	created := 0
	for _, err := range errs {
		if err == nil {
			created++
		} else if _, ok := models.AsFieldErrors(err); !ok {
			t.Errorf("unexpected error kind: %v", err)
		}
	}
	_, total, _ := w.s.ListCreators(ctx, w.admin, models.CreatorFilter{}, models.NewPage(1, 50))
	if created != 1 || total != 1 {
		t.Fatalf("created %d, stored %d; want exactly one", created, total)
	}
}

func TestTenantScoping(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.enrol(t, w.mcnA, "jd_cr_000001")
	if _, err := w.s.GetCreator(ctx, w.mcnB, a.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("other agency's manager got %v, want not found", err)
	}
	if _, err := w.s.GetCreator(ctx, w.mcnA, a.ID); err != nil {
		t.Fatalf("own agency: %v", err)
	}
	if _, err := w.s.GetCreator(ctx, w.rev1, a.ID); err != nil {
		t.Fatalf("staff: %v", err)
	}
	if _, err := w.s.GetAgency(ctx, w.mcnB, w.agencyA.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("other agency record: %v", err)
	}
	if _, err := w.s.ReissueInvitation(ctx, w.mcnB, a.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("invitation for other agency's creator: %v", err)
	}
	other := &models.Actor{UserID: 999, Role: models.RoleCreator, CreatorID: new(uint)}
	if _, err := w.s.GetCreator(ctx, other, a.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("another creator: %v", err)
	}
}

func TestCreatorListFilters(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, acct := range []string{"jd_cr_a00001", "jd_cr_a00002", "jd_cr_a00003"} {
		w.enrol(t, w.mcnA, acct)
	}
	e := enrolment("jd_cr_b00001")
	e.DisplayName, e.Subjects = "Skin Deep 100%", []string{"skincare", "beauty"}
	if _, err := w.s.EnrolCreator(ctx, w.mcnB, nil, e); err != nil {
		t.Fatal(err)
	}
	beauty := subjectID(t, w, "beauty")
	cases := map[string]struct {
		f    models.CreatorFilter
		want int64
	}{
		"all":                      {models.CreatorFilter{}, 4},
		"secondary subject counts": {models.CreatorFilter{SubjectID: beauty}, 1},
		"search by name":           {models.CreatorFilter{Search: "skin deep"}, 1},
		"search by start of name":  {models.CreatorFilter{Search: "  SKIN "}, 1},
		"not the middle of a name": {models.CreatorFilter{Search: "deep"}, 0},
		"percent is literal":       {models.CreatorFilter{Search: "skin deep 100%"}, 1},
		"percent is not a pattern": {models.CreatorFilter{Search: "skin%"}, 0},
		"search by account":        {models.CreatorFilter{Search: "jd_cr_a00002"}, 1},
		"by agency":                {models.CreatorFilter{AgencyID: w.agenB.ID}, 1},
		"by state":                 {models.CreatorFilter{State: models.StateQualified}, 0},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, total, err := w.s.ListCreators(ctx, w.rev1, tc.f, models.NewPage(1, 2))
			if err != nil || total != tc.want {
				t.Fatalf("total %d (err %v), want %d", total, err, tc.want)
			}
		})
	}
	page2, _, _ := w.s.ListCreators(ctx, w.rev1, models.CreatorFilter{Sort: "name"}, models.NewPage(2, 3))
	if len(page2) != 1 || page2[0].DisplayName != "Skin Deep 100%" {
		t.Fatalf("page 2 sorted by name = %+v", page2)
	}
}

func subjectID(t *testing.T, w *world, code string) uint {
	areas, err := w.s.SubjectAreas(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range areas {
		if a.Code == code {
			return a.ID
		}
	}
	t.Fatalf("no subject %s", code)
	return 0
}

func TestDemoSeedCoversEveryStateAndSubject(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if _, err := w.s.SeedDemo(ctx); !errors.Is(err, models.ErrNotEmpty) {
		t.Fatalf("seeding a database with users: %v", err)
	}
	s := modeltest.NewStore(t)
	logins, err := s.SeedDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(logins) != 14 {
		t.Errorf("%d demo logins, want 14", len(logins))
	}
	sys := models.SystemActor()
	byState, _ := s.CountByState(ctx, sys)
	for _, st := range models.CreatorStates {
		if byState[st] == 0 {
			t.Errorf("no demo creators in state %s", st)
		}
	}
	bySubject, _ := s.CountBySubject(ctx, sys)
	if len(bySubject) != 20 {
		t.Errorf("demo creators cover %d subject areas, want 20", len(bySubject))
	}
	counts := map[models.BonusState]int64{}
	for _, st := range models.BonusStates {
		_, totals, err := s.ListBonuses(ctx, sys, models.BonusFilter{State: st}, models.NewPage(1, 1))
		if err != nil {
			t.Fatal(err)
		}
		counts[st] = totals.Count
	}
	_, waiting, _ := s.ListBonuses(ctx, sys, models.BonusFilter{Week: lastWeek.String(), State: models.BonusProposed}, models.NewPage(1, 1))
	if waiting.Count == 0 || counts[models.BonusPaid] == 0 || counts[models.BonusRejected] == 0 || counts[models.BonusApproved] == 0 {
		t.Errorf("demo bonuses by state %v, %d waiting last week; want some of each", counts, waiting.Count)
	}
	for _, l := range logins {
		if _, err := s.Authenticate(ctx, l.Email, models.DemoPassword, ""); err != nil {
			t.Errorf("demo login %s: %v", l.Email, err)
		}
	}
}

// Past a few dozen agencies staff filter by typing the start of an agency's
// name; a manager's list stays their own whatever they type.
func TestCreatorListByAgencyName(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.enrol(t, w.mcnA, "jd_cr_name01")
	w.enrol(t, w.mcnB, "jd_cr_name02")
	w.enrol(t, w.mcnB, "jd_cr_name03")
	cases := []struct {
		name  string
		actor *models.Actor
		typed string
		want  int64
	}{
		{"staff, one agency", w.rev1, "agency b", 2},
		{"staff, a prefix both share", w.rev1, "AGENCY", 3},
		{"staff, no such agency", w.rev1, "Zeta", 0},
		{"staff, a pattern is literal", w.rev1, "%", 0},
		{"manager typing another agency", w.mcnA, "Agency B", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, total, err := w.s.ListCreators(ctx, tc.actor, models.CreatorFilter{AgencyName: tc.typed}, models.NewPage(1, 10))
			if err != nil || total != tc.want {
				t.Fatalf("total %d (err %v), want %d", total, err, tc.want)
			}
		})
	}
}
