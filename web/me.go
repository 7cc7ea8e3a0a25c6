package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

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
	paid, err := s.store.CreatorBonusPayouts(ctx, a, *a.CreatorID)
	if err != nil {
		return err
	}
	holdDays, err := s.store.HoldingDays(ctx)
	if err != nil {
		return err
	}
	adjusted, err := s.meAdjustments(c, *a.CreatorID)
	if err != nil {
		return err
	}
	v := views.MeView{Detail: detail, ApprovedYTD: models.FormatYuan(totals.ApprovedFen), PaidYTD: models.FormatYuan(totals.PaidFen),
		Year: strconv.Itoa(now.In(models.CST).Year())}
	if detail.Rank != "" {
		st, err := s.store.CreatorStanding(ctx, *a.CreatorID, now)
		if err != nil {
			return err
		}
		v.RankYear = strconv.Itoa(st.Year) // the rank's own year, also in the first days of January
		v.RankHow = rankExplained(c, st)
	}
	if v.Transfers, err = s.transferViews(c); err != nil {
		return err
	}
	if v.Against, err = s.againstSubjectView(c, *a.CreatorID); err != nil {
		return err
	}
	v.PayeeState = "none"
	switch p, err := s.store.GetPayee(ctx, a, models.PayeeCreator, *a.CreatorID); {
	case err == nil && p.Verified:
		v.PayeeState = "verified"
	case err == nil:
		v.PayeeState = "unverified"
	case !errors.Is(err, models.ErrNotFound):
		return err
	}
	for _, w := range weeks {
		row := views.MeWeekView{Week: w.Week.Week, Videos: views.Count(w.Week.Videos), Live: views.Count(w.Week.LiveSessions),
			Views: views.Count(w.Week.Views), GMV: models.FormatYuan(w.Week.GMVFen), NotComputed: w.NotComputed}
		if wk, err := models.ParseWeek(w.Week.Week); err == nil {
			row.Dates = weekDates(c, wk)
		}
		row.GMV, row.Refunds = gmvWithRefunds(c, w.Week.Figures())
		row.HistoryHref, row.Untrusted = weekHistoryHref(a, *a.CreatorID, w.Week.Week), w.Week.Untrusted
		if w.HasBonus {
			b := w.Bonus
			row.BonusID, row.State, row.Amount = b.ID, string(b.State), models.FormatYuan(b.AmountFen)
			row.How = explainShort(c, w.Explanation)
			row.Pacing = mePacing(c, w.Explanation.Pacing)
			row.Reason, row.Note, row.Appeal = reasonLabel(c.Request().Context(), reasons, b.Reason), b.Note, b.AppealState
			row.CanAppeal = b.CanAppeal(a)
			if p, ok := paid[b.ID]; ok {
				row.Gross, row.Tax, row.Net = models.FormatYuan(p.GrossFen), models.FormatYuan(p.TaxFen), models.FormatYuan(p.NetFen)
			} else if b.State == models.BonusApproved {
				row.PayableFrom = s.payableNote(c, b.Week, holdDays, now)
			}
		}
		row.Adjustments = adjusted[w.Week.Week]
		v.Weeks = append(v.Weeks, row)
	}
	return render(c, http.StatusOK, views.MePage(s.meta(c, tr(c, "nav_my_status"), "me"), v))
}

// rankText is a creator's rank as every page shows it ("第 7 名（共 105 名）").
func rankText(c echo.Context, st models.Standing) string {
	return tr(c, "rank_of", "Rank", st.Rank, "Of", st.Of)
}

// rankExplained says in one line what the rank counts and among whom.
func rankExplained(c echo.Context, st models.Standing) string {
	return tr(c, "me_rank_explained", "Year", st.Year, "Week", st.Through.String(), "Of", st.Of)
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

// mePacing says in the creator's words what the week's budget did to their
// bonus (issue 17): their own rule amount, factor and final amount only —
// the week's budget and the other creators' totals are the programme's;
// "" when the week has no budget.
func mePacing(c echo.Context, p *models.Pacing) string {
	if p == nil {
		return ""
	}
	rule, final := models.FormatYuan(p.RuleFen), models.FormatYuan(p.FinalFen)
	switch {
	case p.Unfunded:
		return tr(c, "me_pacing_unfunded", "Rule", rule)
	case p.FinalFen >= p.RuleFen:
		return tr(c, "me_pacing_full", "Final", final)
	case p.Policy == models.PolicyByRank:
		return tr(c, "me_pacing_by_rank", "Rule", rule, "Final", final)
	}
	return tr(c, "me_pacing_pro_rata", "Factor", models.FactorText(p.FactorPPM), "Rule", rule, "Final", final)
}

// Statement states for weeks without a bonus (the codes in the file's code column).
const (
	statementNoBonus     = "none"
	statementNotComputed = "not_computed"
)

// meStatement is the creator's statement: words in the reader's language, the
// machine codes in columns of their own, each week's Monday–Sunday (CST), and a
// file name with the account and the day. The BOM lets Excel on Chinese Windows read it.
func (s *Server) meStatement(c echo.Context) error {
	ctx := c.Request().Context()
	a := actor(c)
	if a.CreatorID == nil {
		return echo.ErrNotFound
	}
	creator, err := s.store.GetCreator(ctx, a, *a.CreatorID)
	if err != nil {
		return err
	}
	weeks, err := s.store.CreatorWeeks(ctx, a, *a.CreatorID, meWeeks)
	if err != nil {
		return err
	}
	reasons, err := s.store.ReasonCodes(ctx, models.ReasonForBonus, false)
	if err != nil {
		return err
	}
	paid, err := s.store.CreatorBonusPayouts(ctx, a, *a.CreatorID)
	if err != nil {
		return err
	}
	adjusted, err := s.store.CreatorAdjustments(ctx, a, *a.CreatorID)
	if err != nil {
		return err
	}
	byWeekAdj := map[string][]models.AdjustmentRow{}
	for _, j := range adjusted {
		byWeekAdj[j.Week] = append(byWeekAdj[j.Week], j)
	}
	var buf bytes.Buffer
	buf.Write([]byte{0xEF, 0xBB, 0xBF})
	w := csv.NewWriter(&buf)
	_ = w.Write(columnLabels(c, statementColumns))
	for _, wk := range weeks {
		from, to := "", ""
		if label, err := models.ParseWeek(wk.Week.Week); err == nil {
			from, to = models.DayOf(label.Start()), models.DayOf(label.End().AddDate(0, 0, -1))
		}
		state, stateCode := tr(c, "no_bonus"), statementNoBonus
		if wk.NotComputed {
			state, stateCode = tr(c, "me_not_computed"), statementNotComputed
		}
		rec := []string{wk.Week.Week, from, to, fmt.Sprint(wk.Week.Videos), fmt.Sprint(wk.Week.LiveSessions), fmt.Sprint(wk.Week.Views),
			fmt.Sprint(wk.Week.Orders), fmt.Sprint(wk.Week.GMVFen), state, stateCode, "", "", "", "", "", "", "", "", "", ""}
		if wk.HasBonus {
			b := wk.Bonus
			rec[8], rec[9] = views.BonusStateLabel(ctx, string(b.State)), string(b.State)
			rec[10], rec[11], rec[12] = fmt.Sprint(b.AmountFen), models.YuanDecimal(b.AmountFen), fmt.Sprint(b.RuleVersion)
			rec[13] = tr(c, "answer_no")
			if wk.Explanation.Capped {
				rec[13] = tr(c, "answer_yes")
			}
			if b.Reason != "" {
				rec[14], rec[15] = reasonLabel(ctx, reasons, b.Reason), b.Reason
			}
			rec[16] = b.Note
			// Gross, tax withheld and net once the bonus is on a payout line.
			if p, ok := paid[b.ID]; ok {
				rec[17], rec[18], rec[19] = fmt.Sprint(p.GrossFen), fmt.Sprint(p.TaxFen), fmt.Sprint(p.NetFen)
			}
		}
		// Refunds and net GMV (issue 16) right after the GMV.
		rec = slices.Insert(rec, 8, fmt.Sprint(wk.Week.RefundedOrders), fmt.Sprint(wk.Week.RefundedGMVFen), fmt.Sprint(wk.Week.Figures().NetGMVFen()))
		_ = w.Write(rec)
		for _, j := range byWeekAdj[wk.Week.Week] {
			_ = w.Write(statementAdjustment(c, rec[:3], j))
		}
	}
	w.Flush()
	name := statementFileName(creator.AccountID, models.DayOf(s.now()))
	c.Response().Header().Set(echo.HeaderContentDisposition,
		fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, name, url.PathEscape(name)))
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// statementFileName is statement-<account>-<day>.csv with only letters, digits,
// dots, dashes and underscores from the account ID (a header-safe name).
func statementFileName(account, day string) string {
	safe := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			return r
		}
		return '_'
	}, strings.TrimSpace(account))
	if strings.Trim(safe, "_.") == "" {
		safe = "account"
	}
	return "statement-" + safe + "-" + day + ".csv"
}

// statementColumns are the columns of a creator's statement file: words in the
// reader's language, each followed by its code column where there is one.
var statementColumns = []string{"week", "week_monday", "week_sunday", "videos", "live_sessions", "views", "orders", "gmv_fen",
	"refunded_orders", "refunded_gmv_fen", "net_gmv_fen", "bonus_state", "bonus_state_code", "amount_fen", "amount_yuan", "rule_version", "capped", "reason", "reason_code", "note",
	"gross_fen", "tax_fen", "net_fen"}
