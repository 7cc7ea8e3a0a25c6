package models_test

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/jd/creator-portal/models"
)

func TestCheckText(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		text      string
		multiline bool
		want      string // part of the message; "" when accepted
	}{
		"plain":                    {"Li Wei Reviews", false, ""},
		"Chinese and emoji":        {"李伟测评 ✨📱", false, ""},
		"no-break space inside":    {"Li\u00a0Wei", false, ""},
		"note with line breaks":    {"first line\r\nsecond\tline", true, ""},
		"NUL":                      {"Li\x00Wei", false, "NUL character (U+0000)"},
		"NUL in a note":            {"ok\x00", true, "NUL character"},
		"bell":                     {"Li\aWei", false, "control character (U+0007)"},
		"DEL":                      {"Li\x7fWei", false, "control character (U+007F)"},
		"C1 control":               {"Li\u0085Wei", false, "control character (U+0085)"},
		"line break in a name":     {"Li\nWei", false, "control character (U+000A)"},
		"line separator":           {"Li\u2028Wei", true, "control character (U+2028)"},
		"right-to-left override":   {"invoice\u202Egnp.exe", false, "reading direction (U+202E)"},
		"left-to-right embedding":  {"a\u202Ab", false, "reading direction (U+202A)"},
		"pop directional":          {"a\u202Cb", true, "reading direction (U+202C)"},
		"first strong isolate":     {"a\u2068b", false, "reading direction (U+2068)"},
		"left-to-right isolate":    {"a\u2066b", false, "reading direction (U+2066)"},
		"pop directional isolate":  {"a\u2069b", false, "reading direction (U+2069)"},
		"left-to-right mark":       {"a\u200Eb", false, "reading direction (U+200E)"},
		"right-to-left mark":       {"a\u200Fb", false, "reading direction (U+200F)"},
		"Arabic letter mark":       {"a\u061Cb", false, "reading direction (U+061C)"},
		"zero-width space":         {"Li\u200BWei", false, "zero-width character (U+200B)"},
		"zero-width non-joiner":    {"Li\u200CWei", false, "zero-width character (U+200C)"},
		"zero-width joiner":        {"Li\u200DWei", false, "zero-width character (U+200D)"},
		"word joiner":              {"Li\u2060Wei", false, "zero-width character (U+2060)"},
		"byte order mark inside":   {"Li\uFEFFWei", true, "zero-width character (U+FEFF)"},
		"invalid UTF-8":            {"Li\xffWei", false, "not valid UTF-8"},
		"hidden in a long note":    {strings.Repeat("fine ", 50) + "\u202E", true, "reading direction"},
		"tab in a single-line box": {"Li\tWei", false, "control character (U+0009)"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := models.CheckText(tc.text, tc.multiline)
			if tc.want == "" && !got.IsZero() || tc.want != "" && !strings.Contains(english(got), tc.want) {
				t.Fatalf("CheckText(%q) = %s, want %q", tc.text, got, tc.want)
			}
		})
	}
}

// Every place a person types a name or free text refuses hidden characters
// with a field error that names the problem, and stores nothing.
func TestHiddenCharactersAreRefusedInEveryTextField(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.enrol(t, w.mcnA, "jd_cr_text01")
	creator := &models.Actor{UserID: 999, Role: models.RoleCreator, CreatorID: &c.ID}
	const rlo = "Li Wei\u202Egnp.exe"
	const zw = "Li\u200BWei"
	enrol := enrolment("jd_cr_text02")
	enrol.DisplayName = rlo
	enrolEmail := enrolment("jd_cr_text03")
	enrolEmail.ContactEmail = "li\u200b@example.com"
	cases := []struct {
		name, field string
		call        func() error
	}{
		{"creator display name", "display_name", func() error { _, err := w.s.EnrolCreator(ctx, w.mcnA, nil, enrol); return err }},
		{"creator contact email", "contact_email", func() error { _, err := w.s.EnrolCreator(ctx, w.mcnA, nil, enrolEmail); return err }},
		{"agency name", "name", func() error {
			_, err := w.s.CreateAgency(ctx, w.admin, models.AgencyInput{Name: rlo})
			return err
		}},
		{"agency contact name", "contact_name", func() error {
			_, err := w.s.UpdateAgency(ctx, w.admin, w.agencyA.ID, models.AgencyInput{Name: "Agency A", ContactName: zw})
			return err
		}},
		{"agency contact phone", "contact_phone", func() error {
			_, err := w.s.UpdateAgency(ctx, w.admin, w.agencyA.ID, models.AgencyInput{Name: "Agency A", ContactPhone: "138\x000000"})
			return err
		}},
		{"user email", "email", func() error {
			_, err := w.s.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: "rev\u2066@t.test", Password: "long-enough-password", Role: models.RoleReviewer})
			return err
		}},
		{"subject area name", "name", func() error { return w.s.UpdateSubjectArea(ctx, w.admin, 1, zw, true) }},
		{"new reason label", "label", func() error { return w.s.CreateReasonCode(ctx, w.admin, models.ReasonForBonus, "hidden_label", rlo) }},
		{"reason label", "label", func() error { return w.s.UpdateReasonCode(ctx, w.admin, 1, zw, true) }},
		{"API token name", "name", func() error { _, _, err := w.s.CreateAPIToken(ctx, w.admin, rlo); return err }},
		{"creator decision note", "note", func() error {
			_, err := w.s.DecideCreator(ctx, w.rev1, models.Decision{CreatorID: c.ID, Action: models.ActionQualify, Note: "ok\u202E"})
			return err
		}},
		{"bonus rejection note", "note", func() error {
			_, err := w.s.RejectBonuses(ctx, w.rev1, []uint{1}, "other", "see \x00 here")
			return err
		}},
		{"appeal message", "message", func() error { return w.s.AppealBonus(ctx, creator, 1, "please\u200Breview") }},
		{"appeal decision note", "note", func() error { return w.s.DecideAppeal(ctx, w.rev2, 1, false, "no\u2067") }},
		{"feature note", "note", func() error { return w.s.FeatureCreator(ctx, w.rev1, c.ID, "2026-11-01", "2026-11-30", "star\uFEFF") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			msg := english(fieldError(t, tc.call(), tc.field))
			if !strings.Contains(msg, "the text") || !strings.Contains(msg, "U+") {
				t.Fatalf("%s: %q does not name the problem", tc.field, msg)
			}
		})
	}
	var n int64
	w.raw.Model(&models.Creator{}).Count(&n)
	if n != 1 {
		t.Fatalf("%d creators, want only the clean one", n)
	}
	got, _ := w.s.GetCreator(ctx, w.admin, c.ID)
	if got.State != models.StatePending {
		t.Fatalf("a refused decision changed the creator to %s", got.State)
	}
}

func TestPasswordOfOnlySpacesIsRefused(t *testing.T) {
	t.Parallel()
	for _, p := range []string{strings.Repeat(" ", 16), strings.Repeat("\t \u3000", 6), strings.Repeat("\u00a0", 14)} {
		if msg := models.ValidatePassword(p); msg.ID != "err_password_spaces" {
			t.Errorf("ValidatePassword(%q) = %q", p, msg)
		}
	}
	if msg := models.ValidatePassword("  two words with spaces  "); !msg.IsZero() {
		t.Errorf("a password with spaces inside was refused: %q", msg)
	}
	w := newWorld(t)
	_, err := w.s.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: "blank@t.test", Password: strings.Repeat(" ", 20), Role: models.RoleReviewer})
	if msg := fieldError(t, err, "password"); msg.ID != "err_password_spaces" {
		t.Fatalf("create user: %q", msg)
	}
}

func TestPerformanceBeforeTheProgrammeStartIsRefused(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.enrol(t, w.mcnA, "jd_cr_early1")
	start, err := w.s.ProgrammeStartWeek(ctx)
	if err != nil || start.String() != models.DefaultProgrammeStartWeek || start.String() != "2024-W14" {
		t.Fatalf("default start %v %v", start, err)
	}
	row := func(week string) models.PerformanceInput {
		return models.PerformanceInput{AccountID: "jd_cr_early1", Week: week, Videos: "1", LiveSessions: "0", Views: "1", Orders: "1", GMVFen: "100"}
	}
	_, probs, err := w.s.IngestPerformance(ctx, models.SystemActor(), "api", []models.PerformanceInput{row("2024-W14"), row("2024-W13")})
	if err != nil || len(probs) != 1 || probs[0].Row != 1 || probs[0].Field != "week" ||
		english(probs[0].Msg) != "week 2024-W13 is before the programme's start (2024-W14)" {
		t.Fatalf("problems %+v %v", probs, err)
	}
	if n, _ := w.s.CountPerformanceRows(ctx); n != 0 {
		t.Fatalf("a refused batch wrote %d rows", n)
	}
	if _, probs, err := w.s.IngestPerformance(ctx, models.SystemActor(), "api", []models.PerformanceInput{row("2024-W14")}); err != nil || len(probs) != 0 {
		t.Fatalf("the first week: %v %v", probs, err)
	}

	// The start is a setting; the CSV upload follows it.
	if err := w.raw.Create(&models.Setting{Key: "programme_start_week", Value: "2025-W02"}).Error; err != nil {
		t.Fatal(err)
	}
	csv := "account_id,week,videos,live_sessions,views,orders,gmv_fen\njd_cr_early1,2025-W01,1,0,1,1,1\njd_cr_early1,2025-W02,1,0,1,1,1\n"
	p, err := w.s.UploadPerformanceCSV(ctx, w.admin, "early.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	if p.OK != 1 || len(p.Problems) != 1 || p.Problems[0].Row != 2 || !strings.Contains(english(p.Problems[0].Msg), "2025-W01 is before the programme's start (2025-W02)") {
		t.Fatalf("preview %+v", p)
	}
	// A broken setting stops ingest rather than letting every week in.
	w.raw.Model(&models.Setting{}).Where("key = ?", "programme_start_week").Update("value", "soon")
	if _, _, err := w.s.IngestPerformance(ctx, models.SystemActor(), "api", []models.PerformanceInput{row("2026-W01")}); err == nil || !strings.Contains(err.Error(), "programme_start_week") {
		t.Fatalf("broken setting: %v", err)
	}
}

func utf16Bytes(s string, order binary.AppendByteOrder, bom bool) []byte {
	units := utf16.Encode([]rune(s))
	var out []byte
	if bom {
		units = append([]uint16{0xFEFF}, units...)
	}
	for _, u := range units {
		out = order.AppendUint16(out, u)
	}
	return out
}

// A file saved as UTF-16 or with classic Mac line endings is named as such,
// by both imports, instead of "the header lacks columns".
func TestCSVInUTF16OrWithCROnlyLineEndingsSaysSo(t *testing.T) {
	t.Parallel()
	enrolCSV := "display_name,account_id,primary_subject,content_type,followers\n李伟测评,jd_cr_u16001,electronics,video,10\n"
	perfCSV := "account_id,week,videos,live_sessions,views,orders,gmv_fen\njd_cr_u16001,2026-W47,1,0,1,1,1\n"
	parsers := map[string]struct {
		csv   string
		parse func([]byte) error
	}{
		"enrolment":   {enrolCSV, func(b []byte) error { _, err := models.ParseEnrolmentCSV(b); return err }},
		"performance": {perfCSV, func(b []byte) error { _, err := models.ParsePerformanceCSV(b); return err }},
	}
	for kind, p := range parsers {
		files := map[string]struct {
			data []byte
			want error
		}{
			"UTF-16LE with BOM":      {utf16Bytes(p.csv, binary.LittleEndian, true), models.ErrFileUTF16},
			"UTF-16BE with BOM":      {utf16Bytes(p.csv, binary.BigEndian, true), models.ErrFileUTF16},
			"UTF-16LE without BOM":   {utf16Bytes(p.csv, binary.LittleEndian, false), models.ErrFileUTF16},
			"UTF-16BE without BOM":   {utf16Bytes(p.csv, binary.BigEndian, false), models.ErrFileUTF16},
			"CR line endings only":   {[]byte(strings.ReplaceAll(p.csv, "\n", "\r")), models.ErrFileCROnly},
			"CRLF line endings (ok)": {[]byte(strings.ReplaceAll(p.csv, "\n", "\r\n")), nil},
		}
		for name, f := range files {
			t.Run(kind+"/"+name, func(t *testing.T) {
				err := p.parse(f.data)
				if !errors.Is(err, f.want) {
					t.Fatalf("err %v, want %v", err, f.want)
				}
			})
		}
	}
	// Through the upload, the message is the form's field error.
	w := newWorld(t)
	_, err := w.s.UploadCreatorCSV(ctx, w.mcnA, nil, "u16.csv", utf16Bytes(enrolCSV, binary.LittleEndian, true))
	if msg := fieldError(t, err, "file"); msg.ID != "err_file_utf16" {
		t.Fatalf("creator upload: %q", msg)
	}
	_, err = w.s.UploadPerformanceCSV(ctx, w.admin, "mac.csv", []byte(strings.ReplaceAll(perfCSV, "\n", "\r")))
	if msg := fieldError(t, err, "file"); msg.ID != "err_file_cr_only" {
		t.Fatalf("performance upload: %q", msg)
	}
}
