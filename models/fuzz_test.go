package models_test

import (
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jd/creator-portal/models"
)

// The fuzz targets below run their seed corpora in `make test`; run one for
// longer with e.g. `go test -fuzz FuzzParseEnrolmentCSV ./models`.

func FuzzParseEnrolmentCSV(f *testing.F) {
	for _, name := range []string{"creators_ok.csv", "creators_bom.csv", "creators_gbk.csv", "creators_bad.csv"} {
		f.Add(readFixtureF(f, name))
	}
	f.Add([]byte("display_name,account_id,primary_subject,content_type,followers\n\"unterminated,x,y,z,1\n"))
	f.Add([]byte{0xff, 0xfe, 0x00, 0x41})
	subjects := models.NewSubjectIndex(models.DefaultSubjectAreasWithIDs())
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := models.ParseEnrolmentCSV(data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		for _, r := range rows {
			if r.Line < 2 {
				t.Fatalf("row at line %d", r.Line)
			}
			v, fe := r.Enrolment.Validate(subjects)
			if len(fe) == 0 && (v.AccountID == "" || len(v.SubjectIDs) == 0 || v.Followers < 0) {
				t.Fatalf("accepted an invalid row: %+v", v)
			}
		}
	})
}

func FuzzParsePerformanceCSV(f *testing.F) {
	f.Add([]byte("account_id,week,videos,live_sessions,views,orders,gmv_fen\njd_cr_1,2026-W47,1,0,1,1,100\n"))
	f.Add([]byte("account_id,week,videos,live_sessions,views,orders,gmv_fen\njd_cr_1,2026-W99,-1,x,1e9,1.5,\n"))
	f.Add([]byte("week\n"))
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, models.CST)
	start, _ := models.ParseWeek(models.DefaultProgrammeStartWeek)
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := models.ParsePerformanceCSV(data)
		if err != nil {
			return
		}
		for _, r := range rows {
			v, fe := r.Input.Validate(now, start)
			if len(fe) > 0 {
				continue
			}
			if v.Row.Videos < 0 || v.Row.GMVFen < 0 || v.Row.Views < 0 {
				t.Fatalf("accepted negative numbers: %+v", v.Row)
			}
			if _, err := models.ParseWeek(v.Week); err != nil {
				t.Fatalf("accepted week %q", v.Week)
			}
		}
	})
}

func FuzzParseWeekAndMonth(f *testing.F) {
	for _, s := range []string{"2026-W47", "2026-W53", "2027-W53", "2026-W00", "2026-11", "2026-13", "", "9999-W01", "2026-w07"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if w, err := models.ParseWeek(s); err == nil {
			if models.WeekOf(w.Start()) != w || !w.End().After(w.Start()) {
				t.Fatalf("week %q does not round-trip", s)
			}
			if again, err := models.ParseWeek(w.String()); err != nil || again != w {
				t.Fatalf("week %q printed as %q does not parse back", s, w)
			}
		}
		if m, err := models.ParseMonth(s); err == nil {
			if models.MonthOf(m.Start()) != m || m.Next().Prev() != m {
				t.Fatalf("month %q does not round-trip", s)
			}
		}
	})
}

func FuzzParseYuan(f *testing.F) {
	for _, s := range []string{"12,345.67", "¥300", "0.5", ".25", "-1", "1.234", "1e5", "", "99999999999999999999", "１２"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fen, err := models.ParseYuan(s)
		if err != nil {
			if !utf8.ValidString(err.Error()) && utf8.ValidString(s) {
				t.Fatal("unreadable error")
			}
			return
		}
		if fen < 0 {
			t.Fatalf("%q parsed to negative %d", s, fen)
		}
		// What we print parses back to the same amount.
		back, err := models.ParseYuan(models.YuanDecimal(fen))
		if err != nil || back != fen {
			t.Fatalf("%q → %d → %q → %d (%v)", s, fen, models.YuanDecimal(fen), back, err)
		}
		if !strings.HasPrefix(models.FormatYuan(fen), "¥") {
			t.Fatalf("FormatYuan(%d) = %q", fen, models.FormatYuan(fen))
		}
	})
}

func readFixtureF(f *testing.F, name string) []byte {
	f.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		f.Fatal(err)
	}
	return b
}
