package web

import (
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

// quotaView maps an agency's quota progress for the dashboard and the agency page.
// whyNotCounting says in the page's language why a creator does not count this month.
func whyNotCounting(c echo.Context, n models.NotCounting) string {
	switch n.Why {
	case "rejected", "transferred":
		return tr(c, "why_"+n.Why)
	case "qualified_earlier":
		return tr(c, "why_qualified_earlier", "Month", n.Month.String())
	}
	return views.StateLabel(c.Request().Context(), n.Why)
}

func (s *Server) quotaView(c echo.Context, agencyID uint) (views.QuotaView, error) {
	ctx := c.Request().Context()
	p, err := s.store.AgencyProgress(ctx, actor(c), agencyID, s.now())
	if err != nil {
		return views.QuotaView{}, err
	}
	subjects, err := s.subjectNames(c)
	if err != nil {
		return views.QuotaView{}, err
	}
	o := p.Outlook
	v := views.QuotaView{Month: p.Month, DaysLeft: p.DaysLeft,
		Outlook:  views.OutlookView{Basis: o.Basis, Projection: o.Projection, Qualified: o.Qualified, Days: o.Days, FromDay: models.OutlookFromDay},
		Progress: views.Progress{Label: tr(c, "creators_delivered"), Value: int64(p.Delivered), Goal: int64(p.Quota)},
		Counted:  creatorRows(p.Counted, subjects),
		Chart:    views.ColumnChart{ID: "quota", Title: tr(c, "delivered_per_month"), Unit: tr(c, "nav_creators")}}
	for _, n := range p.NotCounting {
		v.NotCounting = append(v.NotCounting, views.NotCountingRow{Creator: creatorRows([]models.Creator{n.Creator}, subjects)[0], Why: whyNotCounting(c, n)})
	}
	// Oldest first in the chart, newest first in the table.
	for i := len(p.History) - 1; i >= 0; i-- {
		h := p.History[i]
		v.Chart.Points = append(v.Chart.Points, views.Point{Label: h.Month[2:], Value: int64(h.Delivered), Good: h.Met})
	}
	v.Chart.Target = int64(p.Quota)
	for _, h := range p.History {
		row := views.MonthRowView{Month: h.Month, Quota: h.Quota, Delivered: h.Delivered, Met: h.Met, InProgress: h.InProgress}
		if h.Bonus != nil {
			row.BonusState, row.Bonus = string(h.Bonus.State), models.FormatYuan(h.Bonus.AmountFen)
		}
		v.History = append(v.History, row)
	}
	return v, nil
}

func (s *Server) agencyQuotaSet(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	quota, err := strconv.Atoi(c.FormValue("quota"))
	if err != nil {
		return s.redirectWithFlash(c, "/agencies/"+itoa(id), "error", tr(c, "flash_quota_whole_number"))
	}
	err = s.store.SetAgencyQuota(c.Request().Context(), actor(c), id, c.FormValue("from_month"), quota, s.now())
	if fe, ok := models.AsFieldErrors(err); ok {
		return s.redirectWithFlash(c, "/agencies/"+itoa(id), "error", strings.Join(fieldMessages(c, fe), " "))
	}
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/agencies/"+itoa(id), "success", tr(c, "flash_quota_set", "Quota", quota, "Month", c.FormValue("from_month")))
}
