package models

import (
	"context"
	"time"
)

// AgencyMonth is one month of an agency's quota record.
type AgencyMonth struct {
	Month      string
	Quota      int
	Delivered  int
	Met        bool
	Bonus      *MCNBonus // nil until computed
	InProgress bool
}

// NotCounting is an enrolled creator who does not count towards this month, and why.
type NotCounting struct {
	Creator Creator
	Why     string     // why not: "rejected", "transferred", "qualified_earlier", or the creator's state
	Month   MonthLabel // with qualified_earlier: the month they counted in
}

// QuotaProgress is where an agency stands this month and over the last year.
type QuotaProgress struct {
	Month       string
	Quota       int
	Delivered   int
	DaysLeft    int
	DaysInMonth int
	Outlook     QuotaOutlook // month-end projection and how it was worked out
	Counted     []Creator
	Pending     []Creator // could still count if qualified this month
	NotCounting []NotCounting
	History     []AgencyMonth // the last 12 months, this month first
}

// listLimit bounds the creator lists on the quota page.
const listLimit = 50

// AgencyProgress computes an agency's quota progress (its own manager or staff).
// Delivered creators are those first qualified in the month while in the agency,
// wherever they are now: quota credit stays with the agency that delivered them.
func (s *Store) AgencyProgress(ctx context.Context, a *Actor, agencyID uint, now time.Time) (*QuotaProgress, error) {
	agency, err := s.GetAgency(ctx, a, agencyID)
	if err != nil {
		return nil, err
	}
	db := s.r(ctx)
	month := MonthOf(now)
	book, err := loadQuotaBook(db, []uint{agencyID})
	if err != nil {
		return nil, err
	}
	p := &QuotaProgress{Month: month.String(), Quota: book.For(agencyID, month)}
	p.DaysInMonth = int(month.End().Sub(month.Start()).Hours() / 24)
	p.DaysLeft = max(0, int(month.End().Sub(now).Hours()/24))

	// A year of qualifications in one query, bucketed by CST month in Go.
	first := MonthOf(month.Start().AddDate(0, -11, 0))
	var qualified []Creator
	if err := db.Where("qualified_agency_id = ? AND qualified_at >= ? AND qualified_at < ?", agencyID, first.Start().UTC(), month.End().UTC()).
		Order("qualified_at DESC").Find(&qualified).Error; err != nil {
		return nil, err
	}
	perMonth := map[string]int{}
	last30, windowStart := 0, now.AddDate(0, 0, -paceWindowDays)
	for _, c := range qualified {
		if !c.QualifiedAt.Before(windowStart) && !c.QualifiedAt.After(now) {
			last30++
		}
		m := MonthOf(*c.QualifiedAt).String()
		perMonth[m]++
		if m == month.String() && len(p.Counted) < listLimit {
			p.Counted = append(p.Counted, c)
		}
	}
	p.Delivered = perMonth[month.String()]
	// The agency has been in the programme since it was added, or since its
	// first creator qualified if that is earlier (agencies added in bulk, or
	// moved from an older system, bring their history with them).
	since := agency.CreatedAt
	if n := len(qualified); n > 0 && qualified[n-1].QualifiedAt.Before(since) {
		since = *qualified[n-1].QualifiedAt
	}
	p.Outlook = ProjectQuota(now, since, p.Delivered, last30)
	if err := db.Where("agency_id = ? AND state = ?", agencyID, StatePending).Order("enrolled_at").Limit(listLimit).Find(&p.Pending).Error; err != nil {
		return nil, err
	}
	var others []Creator
	if err := db.Where("agency_id = ? AND state <> ?", agencyID, StatePending).
		Where("qualified_agency_id IS NULL OR qualified_agency_id <> ? OR qualified_at < ? OR qualified_at >= ?", agencyID, month.Start().UTC(), month.End().UTC()).
		Order("state_changed_at DESC").Limit(listLimit).Find(&others).Error; err != nil {
		return nil, err
	}
	for _, c := range others {
		why := whyNotCounting(c, agencyID)
		nc := NotCounting{Creator: c, Why: why}
		if why == "qualified_earlier" {
			nc.Month = MonthOf(*c.QualifiedAt)
		}
		p.NotCounting = append(p.NotCounting, nc)
	}
	var bonuses []MCNBonus
	if err := db.Where("agency_id = ? AND month >= ?", agencyID, first.String()).Find(&bonuses).Error; err != nil {
		return nil, err
	}
	byMonth := map[string]*MCNBonus{}
	for i := range bonuses {
		byMonth[bonuses[i].Month] = &bonuses[i]
	}
	for m, i := month, 0; i < 12; m, i = m.Prev(), i+1 {
		row := AgencyMonth{Month: m.String(), Quota: book.For(agencyID, m), Delivered: perMonth[m.String()], Bonus: byMonth[m.String()], InProgress: i == 0}
		row.Met = row.Delivered >= row.Quota
		p.History = append(p.History, row)
	}
	return p, nil
}

func whyNotCounting(c Creator, agencyID uint) string {
	switch {
	case c.QualifiedAt == nil && c.State == StateRejected:
		return "rejected"
	case c.QualifiedAgencyID != nil && *c.QualifiedAgencyID != agencyID:
		return "transferred"
	case c.QualifiedAt != nil:
		return "qualified_earlier"
	}
	return string(c.State)
}
