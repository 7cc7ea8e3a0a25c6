package models

import (
	"testing"
	"time"
)

func TestWeekAndMonthUseCST(t *testing.T) {
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
