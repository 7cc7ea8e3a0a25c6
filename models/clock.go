package models

import (
	"fmt"
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
func Week(t time.Time) string {
	y, w := t.In(CST).ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

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
