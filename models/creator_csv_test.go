package models_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseEnrolmentCSVEncodings(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		file      string
		firstName string
		followers string
	}{
		"plain UTF-8":      {"creators_ok.csv", "Li Wei Reviews", "125000"},
		"UTF-8 with BOM":   {"creators_bom.csv", "Li Wei Reviews", "125000"},
		"GBK from Excel":   {"creators_gbk.csv", "李伟测评", "125000"},
		"commas in number": {"creators_ok.csv", "Li Wei Reviews", "125000"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rows, err := models.ParseEnrolmentCSV(readFixture(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 2 || rows[0].Enrolment.DisplayName != tc.firstName || rows[0].Line != 2 || rows[1].Line != 3 {
				t.Fatalf("rows %+v", rows)
			}
			if rows[0].Enrolment.Followers != tc.followers {
				t.Fatalf("followers %q", rows[0].Enrolment.Followers)
			}
		})
	}
}

func TestParseEnrolmentCSVFileErrors(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		data string
		want string
	}{
		"empty":           {"", "the file is empty"},
		"header only":     {"display_name,account_id,primary_subject,content_type,followers\n", "no rows"},
		"missing columns": {"name,account\nx,y\n", "lacks column(s) display_name"},
		"bad quoting":     {"display_name,account_id,primary_subject,content_type,followers\n\"open,jd_1,food,video,1\n", "line 2"},
		"duplicate col":   {"display_name,display_name,account_id,primary_subject,content_type,followers\n", "appears twice"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := models.ParseEnrolmentCSV([]byte(tc.data))
			if err == nil || !strings.Contains(errText(err), tc.want) {
				t.Fatalf("err %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestImportPreviewNamesEveryBadLine(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p, err := w.s.UploadCreatorCSV(ctx, w.mcnA, nil, "bad.csv", readFixture(t, "creators_bad.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{
		2: models.RowOK,
		3: "display_name:err_display_name_required",
		4: "primary_subject:err_subject_unknown",
		5: "followers:err_followers_range",
		6: "account_id:err_repeats_line",
		7: "primary_subject/other_subjects:err_subjects_too_many",
		8: "contact_email:err_email_invalid",
		9: models.RowOK,
	}
	if len(p.Rows) != len(want) || p.OK != 2 || p.Errors != 6 {
		t.Fatalf("preview %d rows, %d ok, %d errors", len(p.Rows), p.OK, p.Errors)
	}
	for _, r := range p.Rows {
		w := want[r.Line]
		if w == models.RowOK {
			if r.Status != models.RowOK {
				t.Errorf("line %d: %s %s", r.Line, r.Status, problemIDs(r.Problems))
			}
		} else if r.Status != models.RowError || problemIDs(r.Problems) != w {
			t.Errorf("line %d: %s %q, want %q", r.Line, r.Status, problemIDs(r.Problems), w)
		}
	}
	// Preview writes nothing.
	if _, total, _ := w.s.ListCreators(ctx, w.mcnA, models.CreatorFilter{}, models.NewPage(1, 10)); total != 0 {
		t.Fatalf("preview created %d creators", total)
	}
}

func TestImportConfirmIsAllGoodRowsOnceAndRespectsOtherAgencies(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.enrol(t, w.mcnB, "jd_cr_900002") // the second row of the file belongs to agency B already
	p, err := w.s.UploadCreatorCSV(ctx, w.mcnA, nil, "ok.csv", readFixture(t, "creators_ok.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if p.OK != 1 || p.Errors != 1 || problemIDs(p.Rows[1].Problems) != "account_id:err_creator_taken" {
		t.Fatalf("preview: %+v", p.Rows)
	}
	done, err := w.s.ConfirmCreatorImport(ctx, w.mcnA, p.ImportID)
	if err != nil {
		t.Fatal(err)
	}
	if inv := done.Rows[0].Invitation; inv == nil || inv.Token == "" || inv.Email == "" {
		t.Errorf("the row with an email should get an invitation to send: %+v", inv)
	}
	if _, err := w.s.ConfirmCreatorImport(ctx, w.mcnA, p.ImportID); !errors.Is(err, models.ErrImportConfirmed) {
		t.Fatalf("second confirm: %v", err)
	}
	if _, err := w.s.ConfirmCreatorImport(ctx, w.mcnB, p.ImportID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("another manager confirmed this upload: %v", err)
	}
	_, totalA, _ := w.s.ListCreators(ctx, w.mcnA, models.CreatorFilter{}, models.NewPage(1, 10))
	_, totalB, _ := w.s.ListCreators(ctx, w.mcnB, models.CreatorFilter{}, models.NewPage(1, 10))
	if totalA != 1 || totalB != 1 {
		t.Fatalf("agency A has %d, B has %d; want 1 and 1", totalA, totalB)
	}
	// The same file again: nothing new, the enrolled row is reported as skipped.
	again, err := w.s.UploadCreatorCSV(ctx, w.mcnA, nil, "ok.csv", readFixture(t, "creators_ok.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if again.OK != 0 || again.Skipped != 1 {
		t.Fatalf("re-upload: %d ok, %d skipped", again.OK, again.Skipped)
	}
}

func TestInvitationIsSingleUseAndExpires(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	e := enrolment("jd_cr_inv001")
	e.ContactEmail = "Invitee@Example.com"
	res, err := w.s.EnrolCreator(ctx, w.mcnA, nil, e)
	if err != nil {
		t.Fatal(err)
	}
	token := res.Invitation.Token
	inv, err := w.s.LookupInvitation(ctx, token)
	if err != nil || inv.Email != "invitee@example.com" {
		t.Fatalf("lookup: %+v %v", inv, err)
	}
	if _, err := w.s.AcceptInvitation(ctx, token, "short", ""); err == nil {
		t.Fatal("a short password was accepted")
	}
	u, err := w.s.AcceptInvitation(ctx, token, "a-good-long-password", "")
	if err != nil || u.Role != models.RoleCreator || *u.CreatorID != res.Creator.ID {
		t.Fatalf("accept: %+v %v", u, err)
	}
	if _, err := w.s.AcceptInvitation(ctx, token, "another-long-password", ""); !errors.Is(err, models.ErrInvitationInvalid) {
		t.Fatalf("second use: %v", err)
	}
	if _, err := w.s.Authenticate(ctx, "invitee@example.com", "a-good-long-password", ""); err != nil {
		t.Fatalf("sign in after accepting: %v", err)
	}
	if _, err := w.s.ReissueInvitation(ctx, w.mcnA, res.Creator.ID); err == nil {
		t.Fatal("re-invited a creator who already has an account")
	}

	// A reissued link replaces the old one.
	e2 := enrolment("jd_cr_inv002")
	e2.ContactEmail = "second@example.com"
	res2, _ := w.s.EnrolCreator(ctx, w.mcnA, nil, e2)
	again, err := w.s.ReissueInvitation(ctx, w.mcnA, res2.Creator.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Email != "second@example.com" || again.Token == res2.Invitation.Token {
		t.Fatalf("reissued invitation %+v", again)
	}
	if _, err := w.s.LookupInvitation(ctx, res2.Invitation.Token); !errors.Is(err, models.ErrInvitationInvalid) {
		t.Fatal("the replaced link still works")
	}
	if _, err := w.s.LookupInvitation(ctx, again.Token); err != nil {
		t.Fatalf("the new link: %v", err)
	}
}

func TestInvitationExpiresAfterSevenDays(t *testing.T) {
	t.Parallel()
	s, raw := modeltest.NewStoreWithDB(t)
	e := enrolment("jd_cr_inv003")
	e.ContactEmail = "late@example.com"
	res, err := s.EnrolCreator(ctx, models.SystemActor(), nil, e)
	if err != nil {
		t.Fatal(err)
	}
	var expires time.Time
	if err := raw.Raw("SELECT expires_at FROM creator_invitations WHERE creator_id = ?", res.Creator.ID).Row().Scan(&expires); err != nil {
		t.Fatal(err)
	}
	if d := time.Until(expires); d < 7*24*time.Hour-time.Minute || d > 7*24*time.Hour {
		t.Fatalf("link expires in %v, want 7 days", d)
	}
	if err := raw.Exec("UPDATE creator_invitations SET expires_at = ? WHERE creator_id = ?", time.Now().UTC().Add(-time.Second), res.Creator.ID).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := s.LookupInvitation(ctx, res.Invitation.Token); !errors.Is(err, models.ErrInvitationInvalid) {
		t.Fatalf("expired link: %v", err)
	}
	if _, err := s.AcceptInvitation(ctx, res.Invitation.Token, "a-good-long-password", ""); !errors.Is(err, models.ErrInvitationInvalid) {
		t.Fatalf("accepting an expired link: %v", err)
	}
}
