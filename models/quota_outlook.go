package models

import "time"

// How a month-end quota projection was worked out (QuotaOutlook.Basis); each
// names the catalogue message that explains it.
const (
	// OutlookThisMonth: from day 7 of the month, at this month's own pace.
	OutlookThisMonth = "this_month"
	// OutlookLast30Days: before day 7, at the pace of the last 30 days, for an
	// agency that has been in the programme that long.
	OutlookLast30Days = "last_30_days"
	// OutlookTooEarly: neither is possible yet; no figure is given.
	OutlookTooEarly = "too_early"
)

// OutlookFromDay is the first day of the month on which the month's own pace
// is projected: before it, a handful of qualifications on day 2 would be
// multiplied by fifteen ("about 89 creators" from 3).
const OutlookFromDay = 7

// paceWindowDays is the look-back used before OutlookFromDay.
const paceWindowDays = 30

// QuotaOutlook is a month-end projection of an agency's delivered creators
// and the figures it was worked out from, so the page can say how.
type QuotaOutlook struct {
	Basis      string // OutlookThisMonth, OutlookLast30Days or OutlookTooEarly
	Projection int    // creators delivered by month end (0 with OutlookTooEarly)
	Qualified  int    // the qualifications the pace is taken from
	Days       int    // over this many days
}

// ProjectQuota projects the month-end count of delivered creators at now.
//
// The rule: from day OutlookFromDay of the CST month the month's own pace is
// used: delivered × days in month ÷ days so far (today counts as a day, so
// day 7 of a 30-day month multiplies by 30/7). Earlier in the month, the
// month's own pace means little, so the pace of the last 30 days is used
// instead — delivered so far plus that daily pace over the days still to come
// — but only for an agency that has been in the programme for those 30 days
// (agencySince at least 30 days before now); a newer agency, early in the
// month, gets no figure ("not enough data yet"). Projections round to the
// nearest whole creator and never fall below what is already delivered.
func ProjectQuota(now, agencySince time.Time, deliveredThisMonth, qualifiedLast30 int) QuotaOutlook {
	month := MonthOf(now)
	daysInMonth := month.End().AddDate(0, 0, -1).Day()
	day := now.In(CST).Day()
	switch {
	case day >= OutlookFromDay:
		p := roundDiv(deliveredThisMonth*daysInMonth, day)
		return QuotaOutlook{Basis: OutlookThisMonth, Projection: max(p, deliveredThisMonth), Qualified: deliveredThisMonth, Days: day}
	case !agencySince.After(now.AddDate(0, 0, -paceWindowDays)):
		left := daysInMonth - day
		p := deliveredThisMonth + roundDiv(qualifiedLast30*left, paceWindowDays)
		return QuotaOutlook{Basis: OutlookLast30Days, Projection: p, Qualified: qualifiedLast30, Days: paceWindowDays}
	}
	return QuotaOutlook{Basis: OutlookTooEarly}
}

// roundDiv is a/b rounded half up, for non-negative a and positive b.
func roundDiv(a, b int) int { return (2*a + b) / (2 * b) }
