package models

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the programme's time zone must not depend on the host's zoneinfo
)

// CST is the programme's time zone: weeks and months are counted in China Standard Time.
var CST = mustLoad("Asia/Shanghai")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// Week returns the ISO week label of t in CST, such as "2026-W48".
func Week(t time.Time) string { return WeekOf(t).String() }

// Month returns the calendar month label of t in CST, such as "2026-11".
func Month(t time.Time) string {
	return t.In(CST).Format("2006-01")
}

// FormatCST renders t as a CST date and time for display.
func FormatCST(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(CST).Format("2006-01-02 15:04")
}

// WeekLabel is an ISO week in CST, such as 2026-W47.
type WeekLabel struct {
	Year int
	Num  int
}

// String is the label, such as "2026-W47".
func (w WeekLabel) String() string { return fmt.Sprintf("%d-W%02d", w.Year, w.Num) }

// Start is Monday 00:00 CST of the week.
func (w WeekLabel) Start() time.Time {
	// 4 January is always in ISO week 1.
	jan4 := time.Date(w.Year, 1, 4, 0, 0, 0, 0, CST)
	offset := (int(jan4.Weekday()) + 6) % 7 // days since Monday
	week1 := jan4.AddDate(0, 0, -offset)
	return week1.AddDate(0, 0, 7*(w.Num-1))
}

// End is the next Monday 00:00 CST (Sunday 24:00), exclusive.
func (w WeekLabel) End() time.Time { return w.Start().AddDate(0, 0, 7) }

// HasEnded reports whether Sunday 24:00 CST of the week has passed at now.
func (w WeekLabel) HasEnded(now time.Time) bool { return !now.Before(w.End()) }

// Prev is the week before.
func (w WeekLabel) Prev() WeekLabel { return WeekOf(w.Start().AddDate(0, 0, -7)) }

// WeekOf is the CST ISO week containing t.
func WeekOf(t time.Time) WeekLabel {
	y, n := t.In(CST).ISOWeek()
	return WeekLabel{y, n}
}

// ParseWeek reads a label such as "2026-W47" and refuses weeks that do not exist.
func ParseWeek(s string) (WeekLabel, error) {
	var w WeekLabel
	s = strings.TrimSpace(s)
	if len(s) != 8 || s[4] != '-' || (s[5] != 'W' && s[5] != 'w') {
		return w, errMsg("err_week_format", "Value", s)
	}
	y, err1 := strconv.Atoi(s[:4])
	n, err2 := strconv.Atoi(s[6:])
	if err1 != nil || err2 != nil || y < 2000 || y > 2100 || n < 1 {
		return w, errMsg("err_week_format", "Value", s)
	}
	w = WeekLabel{y, n}
	if got := WeekOf(w.Start()); got != w {
		return WeekLabel{}, errMsg("err_week_missing", "Value", s, "Year", y, "N", n)
	}
	return w, nil
}

// MonthLabel is a calendar month in CST, such as 2026-11.
type MonthLabel struct {
	Year  int
	Month time.Month
}

// String is the label, such as "2026-11".
func (m MonthLabel) String() string { return fmt.Sprintf("%d-%02d", m.Year, int(m.Month)) }

// Start is the first day of the month, 00:00 CST.
func (m MonthLabel) Start() time.Time { return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, CST) }

// End is the first day of the next month, 00:00 CST (exclusive).
func (m MonthLabel) End() time.Time { return m.Start().AddDate(0, 1, 0) }

// Next is the month after.
func (m MonthLabel) Next() MonthLabel { return MonthOf(m.End()) }

// Prev is the month before.
func (m MonthLabel) Prev() MonthLabel { return MonthOf(m.Start().AddDate(0, 0, -1)) }

// HasEnded reports whether the month is over at now.
func (m MonthLabel) HasEnded(now time.Time) bool { return !now.Before(m.End()) }

// MonthOf is the CST calendar month containing t.
func MonthOf(t time.Time) MonthLabel {
	t = t.In(CST)
	return MonthLabel{t.Year(), t.Month()}
}

// ParseMonth reads a label such as "2026-11".
func ParseMonth(s string) (MonthLabel, error) {
	s = strings.TrimSpace(s)
	t, err := time.ParseInLocation("2006-01", s, CST)
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		return MonthLabel{}, errMsg("err_month_format", "Value", s)
	}
	return MonthOf(t), nil
}
