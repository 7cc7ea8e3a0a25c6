package models

import (
	"testing"
	"time"
)

func TestWeekAndMonthUseCST(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		at          time.Time
		week, month string
	}{
		"sunday late evening UTC is already monday in CST": {time.Date(2026, 11, 22, 16, 30, 0, 0, time.UTC), "2026-W48", "2026-11"},
		"sunday afternoon UTC is still sunday in CST":      {time.Date(2026, 11, 22, 15, 59, 0, 0, time.UTC), "2026-W47", "2026-11"},
		"last day of month UTC evening is next month CST":  {time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC), "2026-W49", "2026-12"},
		"ISO week 53 belongs to the previous year":         {time.Date(2027, 1, 1, 4, 0, 0, 0, time.UTC), "2026-W53", "2027-01"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := Week(tc.at); got != tc.week {
				t.Errorf("Week = %s, want %s", got, tc.week)
			}
			if got := Month(tc.at); got != tc.month {
				t.Errorf("Month = %s, want %s", got, tc.month)
			}
		})
	}
}

func TestParseWeek(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		in        string
		start     time.Time // in UTC
		wantError string
	}{
		"ordinary week":                      {in: "2026-W47", start: time.Date(2026, 11, 15, 16, 0, 0, 0, time.UTC)},
		"week 1 starts in previous December": {in: "2026-W01", start: time.Date(2025, 12, 28, 16, 0, 0, 0, time.UTC)},
		"week 53 exists in 2026":             {in: "2026-W53", start: time.Date(2026, 12, 27, 16, 0, 0, 0, time.UTC)},
		"week 53 does not exist in 2027":     {in: "2027-W53", wantError: "err_week_missing"},
		"week zero":                          {in: "2026-W00", wantError: "err_week_format"},
		"missing W":                          {in: "2026-47", wantError: "err_week_format"},
		"garbage":                            {in: "last week", wantError: "err_week_format"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w, err := ParseWeek(tc.in)
			if tc.wantError != "" {
				if err == nil || msgOf(err).ID != tc.wantError {
					t.Fatalf("err %v, want %q", err, tc.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !w.Start().Equal(tc.start) || w.String() != tc.in {
				t.Fatalf("start %v (%s), want %v", w.Start().UTC(), w, tc.start)
			}
		})
	}
}

func TestWeekBoundaryInCST(t *testing.T) {
	t.Parallel()
	w, _ := ParseWeek("2026-W47")                                  // Mon 16 Nov – Sun 22 Nov 2026 CST
	sundayLate := time.Date(2026, 11, 22, 15, 30, 0, 0, time.UTC)  // Sunday 23:30 CST
	mondayEarly := time.Date(2026, 11, 22, 16, 30, 0, 0, time.UTC) // Monday 00:30 CST
	if WeekOf(sundayLate) != w {
		t.Errorf("Sunday 23:30 CST is in %s", WeekOf(sundayLate))
	}
	if WeekOf(mondayEarly) == w {
		t.Error("Monday 00:30 CST still counted in the old week")
	}
	if w.HasEnded(sundayLate) || !w.HasEnded(mondayEarly.Add(-30*time.Minute)) {
		t.Error("a week ends exactly at Sunday 24:00 CST")
	}
}

func TestMonthsInCST(t *testing.T) {
	t.Parallel()
	m, err := ParseMonth("2026-11")
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Start().UTC(); !got.Equal(time.Date(2026, 10, 31, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("November starts %v UTC", got)
	}
	lastMinute := time.Date(2026, 11, 30, 15, 59, 0, 0, time.UTC) // 30 Nov 23:59 CST
	if MonthOf(lastMinute) != m || MonthOf(lastMinute.Add(2*time.Minute)) != m.Next() {
		t.Error("the month boundary is not at midnight CST")
	}
	if m.Prev().String() != "2026-10" || m.Next().String() != "2026-12" || (MonthLabel{2026, 12}).Next().String() != "2027-01" {
		t.Error("month arithmetic")
	}
	for _, bad := range []string{"2026-13", "26-11", "2026/11", ""} {
		if _, err := ParseMonth(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}
