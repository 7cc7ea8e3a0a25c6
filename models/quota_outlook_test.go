package models_test

import (
	"testing"
	"time"

	"github.com/jd/creator-portal/models"
)

func TestProjectQuotaOnlyWhenItMeansSomething(t *testing.T) {
	cst := func(y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, models.CST)
	}
	newAgency := cst(2026, 11, 1, 9, 0) // joined this month
	oldAgency := cst(2026, 6, 1, 9, 0)  // in the programme for months
	cases := []struct {
		name              string
		now, since        time.Time
		delivered, last30 int
		want              models.QuotaOutlook
	}{
		{"day 1, new agency, no creators", cst(2026, 11, 1, 10, 0), newAgency, 0, 0, models.QuotaOutlook{Basis: models.OutlookTooEarly}},
		{"day 2, new agency, 3 creators: no 'about 89'", cst(2026, 11, 2, 10, 0), newAgency, 3, 3, models.QuotaOutlook{Basis: models.OutlookTooEarly}},
		{"day 2, agency with 30 days behind it: pace of the last 30 days", cst(2026, 11, 2, 10, 0), oldAgency, 3, 6,
			models.QuotaOutlook{Basis: models.OutlookLast30Days, Projection: 3 + 6, Qualified: 6, Days: 30}}, // 6 × 28/30 = 5.6 → 6
		{"day 1, old agency, none in 30 days", cst(2026, 11, 1, 0, 0), oldAgency, 0, 0, models.QuotaOutlook{Basis: models.OutlookLast30Days, Days: 30}},
		{"day 6 23:59 CST is still early", cst(2026, 11, 6, 23, 59), newAgency, 3, 3, models.QuotaOutlook{Basis: models.OutlookTooEarly}},
		{"day 7 00:00 CST (day 6 in UTC): this month's pace", cst(2026, 11, 7, 0, 0), newAgency, 3, 3,
			models.QuotaOutlook{Basis: models.OutlookThisMonth, Projection: 13, Qualified: 3, Days: 7}}, // 3 × 30/7 = 12.9
		{"day 10, no creators", cst(2026, 11, 10, 12, 0), newAgency, 0, 0, models.QuotaOutlook{Basis: models.OutlookThisMonth, Days: 10}},
		{"last minute of the month", cst(2026, 11, 30, 23, 59), newAgency, 9, 9, models.QuotaOutlook{Basis: models.OutlookThisMonth, Projection: 9, Qualified: 9, Days: 30}},
		{"February of 28 days", cst(2026, 2, 14, 12, 0), oldAgency, 5, 8, models.QuotaOutlook{Basis: models.OutlookThisMonth, Projection: 10, Qualified: 5, Days: 14}},
		{"December of 31 days", cst(2026, 12, 7, 12, 0), oldAgency, 7, 8, models.QuotaOutlook{Basis: models.OutlookThisMonth, Projection: 31, Qualified: 7, Days: 7}},
		{"1 December CST is still 30 November in UTC", time.Date(2026, 11, 30, 16, 30, 0, 0, time.UTC), oldAgency, 0, 15,
			models.QuotaOutlook{Basis: models.OutlookLast30Days, Projection: 15, Qualified: 15, Days: 30}}, // 15 × 30/30
		{"30 November 23:59 CST counts as November's end", time.Date(2026, 11, 30, 15, 59, 0, 0, time.UTC), newAgency, 4, 4,
			models.QuotaOutlook{Basis: models.OutlookThisMonth, Projection: 4, Qualified: 4, Days: 30}},
		{"an agency exactly 30 days old may use its 30 days", cst(2026, 11, 3, 12, 0), cst(2026, 10, 4, 12, 0), 1, 3,
			models.QuotaOutlook{Basis: models.OutlookLast30Days, Projection: 1 + 3, Qualified: 3, Days: 30}}, // 3 × 27/30 = 2.7
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := models.ProjectQuota(c.now, c.since, c.delivered, c.last30); got != c.want {
				t.Fatalf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

// The dashboard's figure on day 2 from 3 creators of a new agency: none.
func TestAgencyProgressDoesNotProjectOnDay2(t *testing.T) {
	w := newWorld(t)
	now := time.Now().In(models.CST)
	day2 := time.Date(now.Year(), now.Month(), 2, 12, 0, 0, 0, models.CST)
	// The agency joined the day before, whatever the hour the test runs (on a
	// month's 2nd after noon, "now" would otherwise come after day2).
	if err := w.raw.Exec("UPDATE agencies SET created_at = ? WHERE id = ?", day2.AddDate(0, 0, -1).UTC(), w.agencyA.ID).Error; err != nil {
		t.Fatal(err)
	}
	for _, acc := range []string{"jd_cr_p00001", "jd_cr_p00002", "jd_cr_p00003"} {
		w.qualifiedAt(t, w.mcnA, acc, day2.Add(-time.Hour))
	}
	p, err := w.s.AgencyProgress(ctx, w.mcnA, w.agencyA.ID, day2)
	if err != nil {
		t.Fatal(err)
	}
	if p.Delivered != 3 || p.Outlook.Basis != models.OutlookTooEarly || p.Outlook.Projection != 0 {
		t.Fatalf("delivered %d, outlook %+v", p.Delivered, p.Outlook)
	}
	// A creator qualified 40 days before: the agency has 30 days of history, whenever it was added.
	w.qualifiedAt(t, w.mcnA, "jd_cr_p00004", day2.AddDate(0, 0, -40))
	if p, err = w.s.AgencyProgress(ctx, w.mcnA, w.agencyA.ID, day2); err != nil {
		t.Fatal(err)
	}
	if p.Outlook.Basis != models.OutlookLast30Days || p.Outlook.Qualified != 3 || p.Outlook.Projection <= 3 {
		t.Fatalf("with history: %+v", p.Outlook)
	}
}
