package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

// meWeeks is how many weeks the creator's page and statement show.
const meWeeks = 60

func (s *Server) me(c echo.Context) error {
	ctx := c.Request().Context()
	a := actor(c)
	if a.CreatorID == nil {
		return echo.ErrNotFound
	}
	detail, err := s.creatorDetailView(c, *a.CreatorID)
	if err != nil {
		return err
	}
	weeks, err := s.store.CreatorWeeks(ctx, a, *a.CreatorID, meWeeks)
	if err != nil {
		return err
	}
	now := s.now()
	totals, err := s.store.CreatorYearTotals(ctx, *a.CreatorID, now)
	if err != nil {
		return err
	}
	reasons, err := s.store.ReasonCodes(ctx, models.ReasonForBonus, false)
	if err != nil {
		return err
	}
	v := views.MeView{Detail: detail, ApprovedYTD: models.FormatYuan(totals.ApprovedFen), PaidYTD: models.FormatYuan(totals.PaidFen),
		Year: strconv.Itoa(now.In(models.CST).Year())}
	if v.Transfers, err = s.transferViews(c); err != nil {
		return err
	}
	for _, w := range weeks {
		row := views.MeWeekView{Week: w.Week.Week, Videos: views.Count(w.Week.Videos), Live: views.Count(w.Week.LiveSessions),
			Views: views.Count(w.Week.Views), GMV: models.FormatYuan(w.Week.GMVFen)}
		if wk, err := models.ParseWeek(w.Week.Week); err == nil {
			row.Dates = weekDates(c, wk)
		}
		if w.HasBonus {
			b := w.Bonus
			row.BonusID, row.State, row.Amount = b.ID, string(b.State), models.FormatYuan(b.AmountFen)
			row.How = explainShort(c, w.Explanation)
			row.Reason, row.Note, row.Appeal = reasonLabel(c.Request().Context(), reasons, b.Reason), b.Note, b.AppealState
			row.CanAppeal = b.CanAppeal(a)
		}
		v.Weeks = append(v.Weeks, row)
	}
	return render(c, http.StatusOK, views.MePage(s.meta(c, tr(c, "nav_my_status"), "me"), v))
}

// explainShort is one line on how a bonus was computed.
func explainShort(c echo.Context, b models.Breakdown) string {
	s := tr(c, "explain_short", "Version", b.RuleVersion, "GMVTier", b.GMVTier, "GMV", models.FormatYuan(b.GMVPartFen),
		"ViewTier", b.ViewTier, "Views", models.FormatYuan(b.ViewPartFen), "Videos", b.Videos, "VideoAmount", models.FormatYuan(b.VideoFen),
		"Live", b.Live, "LiveAmount", models.FormatYuan(b.LiveFen), "Total", models.FormatYuan(b.UncappedFen))
	if b.Capped {
		s += tr(c, "explain_capped", "Amount", models.FormatYuan(b.AmountFen))
	}
	return s + tr(c, "full_stop")
}

func (s *Server) meStatement(c echo.Context) error {
	a := actor(c)
	if a.CreatorID == nil {
		return echo.ErrNotFound
	}
	weeks, err := s.store.CreatorWeeks(c.Request().Context(), a, *a.CreatorID, meWeeks)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.Write([]byte{0xEF, 0xBB, 0xBF})
	w := csv.NewWriter(&buf)
	_ = w.Write(columnLabels(c, statementColumns))
	for _, wk := range weeks {
		rec := []string{wk.Week.Week, fmt.Sprint(wk.Week.Videos), fmt.Sprint(wk.Week.LiveSessions), fmt.Sprint(wk.Week.Views),
			fmt.Sprint(wk.Week.Orders), fmt.Sprint(wk.Week.GMVFen), "", "", "", "", "", ""}
		if wk.HasBonus {
			b := wk.Bonus
			rec[6], rec[7], rec[8] = string(b.State), fmt.Sprint(b.AmountFen), models.YuanDecimal(b.AmountFen)
			rec[9], rec[10], rec[11] = fmt.Sprint(b.RuleVersion), fmt.Sprint(wk.Explanation.Capped), b.Reason
		}
		_ = w.Write(rec)
	}
	w.Flush()
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="statement.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// statementColumns are the columns of a creator's statement file.
var statementColumns = []string{"week", "videos", "live_sessions", "views", "orders", "gmv_fen", "bonus_state", "amount_fen", "amount_yuan", "rule_version", "capped", "reason"}
