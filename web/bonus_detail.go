package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
	"github.com/jd/creator-portal/views/i18n"
)

func (s *Server) bonusDetail(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	v, err := s.bonusDetailView(c, id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.BonusDetailPage(s.meta(c, v.Creator+" "+v.Week, "bonuses"), v))
}

func (s *Server) bonusDetailView(c echo.Context, id uint) (views.BonusDetailView, error) {
	ctx := c.Request().Context()
	a := actor(c)
	b, err := s.store.GetBonus(ctx, a, id)
	if err != nil {
		return views.BonusDetailView{}, err
	}
	v := views.BonusDetailView{ID: b.ID, Creator: b.DisplayName, AccountID: b.AccountID, Agency: b.AgencyName, Week: b.Week,
		State: string(b.State), Amount: models.FormatYuan(b.AmountFen), Note: b.Note,
		Appeal: b.AppealState, AppealMessage: b.AppealMessage, AppealNote: b.AppealNote, Breakdown: breakdownView(c, b.Explain())}
	if a.Role != models.RoleCreator {
		v.CreatorHref = "/creators/" + itoa(b.CreatorID)
	}
	if wk, err := models.ParseWeek(b.Week); err == nil {
		v.WeekDates = weekDates(c, wk)
	}
	bd := b.Explain()
	v.Performance = [][2]string{{tr(c, "col_videos"), views.Count(bd.Videos)}, {tr(c, "live_sessions"), views.Count(bd.Live)},
		{tr(c, "col_views"), views.Count(bd.Views)}, {tr(c, "col_gmv"), models.FormatYuan(bd.GMVFen)}}
	if bd.Figures != nil && bd.Figures.RefundedGMVFen > 0 { // GMV, refunds and the net GMV the rule measured
		v.Performance = append(v.Performance[:3], [2]string{tr(c, "fig_gmv_fen"), models.FormatYuan(bd.Figures.GMVFen)},
			[2]string{tr(c, "fig_refunded_gmv_fen"), models.FormatYuan(bd.Figures.RefundedGMVFen)},
			[2]string{tr(c, "fig_net_gmv_fen"), models.FormatYuan(bd.Figures.NetGMVFen())})
	}
	if v.Figures, err = s.bonusFigures(c, b.CreatorID, b.Week, bd.Figures); err != nil {
		return v, err
	}
	if b.Reason != "" {
		reasons, err := s.store.ReasonCodes(ctx, models.ReasonForBonus, false)
		if err != nil {
			return v, err
		}
		v.Reason = reasonLabel(c.Request().Context(), reasons, b.Reason)
	}
	if a.IsStaff() {
		if err := s.addRiskFlags(c, &v); err != nil {
			return v, err
		}
		v.CanApprove = b.State == models.BonusProposed || b.State == models.BonusAwaitingSecond
		v.CanReject = v.CanApprove
		judge := b.CheckAppealDecider(a)
		v.CanJudge, v.OwnRejection = judge == nil, errors.Is(judge, models.ErrOwnRejection)
		reasons, err := s.store.ReasonCodes(ctx, models.ReasonForBonus, true)
		if err != nil {
			return v, err
		}
		v.Reasons = reasonOptions(c.Request().Context(), reasons)
		if b.FirstApproverID != nil {
			if u, err := s.store.UserByID(ctx, *b.FirstApproverID); err == nil {
				v.FirstApprover = u.Email
			}
		}
	}
	v.CanAppeal = b.CanAppeal(a)
	if a.Role != models.RoleCreator {
		history, err := s.store.AuditFor(ctx, "bonus", b.ID)
		if err != nil {
			return v, err
		}
		if v.History, err = s.historyRows(c, history); err != nil {
			return v, err
		}
	}
	return v, nil
}

// bonusFigures sets the figures a bonus was computed from beside the week's
// figures now (issue 16); bonuses computed before kept none: "not recorded".
func (s *Server) bonusFigures(c echo.Context, creatorID uint, week string, computed *models.Figures) (views.BonusFiguresView, error) {
	a := actor(c)
	h, err := s.store.WeekHistory(c.Request().Context(), a, creatorID, week, models.NewPage(1, 1))
	if err != nil {
		return views.BonusFiguresView{}, err
	}
	v := views.BonusFiguresView{HistoryHref: weekHistoryHref(a, creatorID, week)}
	switch {
	case computed == nil:
		v.NotRecorded = true
		if h.Current != nil {
			v.Rows = figureRows(c, nil, *h.Current)
		}
	case h.Current != nil && *h.Current != *computed:
		v.Differ, v.Rows = true, figureRows(c, computed, *h.Current)
	default:
		v.Rows = figureRows(c, nil, *computed)
	}
	return v, nil
}

func breakdownView(c echo.Context, b models.Breakdown) views.BreakdownView {
	tier := func(n int) string {
		if n == 0 {
			return tr(c, "no_tier")
		}
		return tr(c, "tier_n", "N", n)
	}
	v := views.BreakdownView{
		RuleVersion: fmt.Sprint(b.RuleVersion),
		Lines: [][2]string{
			{tr(c, "line_gmv", "GMV", models.FormatYuan(b.GMVFen), "Tier", tier(b.GMVTier)), models.FormatYuan(b.GMVPartFen)},
			{tr(c, "line_views", "Views", views.Count(b.Views), "Tier", tier(b.ViewTier)), models.FormatYuan(b.ViewPartFen)},
			{tr(c, "line_videos", "N", views.Count(b.Videos)), models.FormatYuan(b.VideoFen)},
			{tr(c, "line_live", "N", views.Count(b.Live)), models.FormatYuan(b.LiveFen)},
		},
		Uncapped: models.FormatYuan(b.UncappedFen), Capped: b.Capped, Amount: models.FormatYuan(b.AmountFen),
		Pacing: pacingView(c, b.Pacing, actor(c).IsStaff()),
	}
	if b.Pacing != nil {
		v.Amount = models.FormatYuan(b.Pacing.FinalFen)
	}
	return v
}

// pacingView says what the week's budget did to a bonus: the rule's amount,
// the factor and (staff only: the week's budget and totals are the
// programme's, not an agency's) why (issue 17).
func pacingView(c echo.Context, p *models.Pacing, staff bool) *views.PacingView {
	if p == nil {
		return nil
	}
	v := &views.PacingView{Rule: models.FormatYuan(p.RuleFen), Factor: models.FactorText(p.FactorPPM)}
	if !staff {
		// Why, in words, without the programme's figures: an agency sees a
		// factor it can read, not the week's budget.
		switch {
		case p.Unfunded:
			v.Notes = append(v.Notes, tr(c, "pacing_unfunded"))
		case p.FinalFen >= p.RuleFen:
			v.Notes = append(v.Notes, tr(c, "pacing_note_agency_full"))
		case p.Policy == models.PolicyByRank:
			v.Notes = append(v.Notes, tr(c, "pacing_note_agency_by_rank"))
		default:
			v.Notes = append(v.Notes, tr(c, "pacing_note_agency_pro_rata", "Factor", models.FactorText(p.FactorPPM)))
		}
		return v
	}
	total, budget := models.FormatYuan(p.PeriodRuleFen), models.FormatYuan(p.BudgetFen)
	switch {
	case p.PeriodRuleFen <= p.AvailableFen:
		v.Notes = append(v.Notes, tr(c, "pacing_note_within", "Total", total, "Budget", budget))
	case p.Policy == models.PolicyByRank:
		v.Notes = append(v.Notes, tr(c, "pacing_note_by_rank", "Total", total, "Budget", budget))
	case p.Policy == models.PolicyWarn:
		v.Notes = append(v.Notes, tr(c, "pacing_note_warn", "Total", total, "Budget", budget, "Over", models.FormatYuan(p.PeriodRuleFen-p.AvailableFen)))
	default:
		v.Notes = append(v.Notes, tr(c, "pacing_note_pro_rata", "Total", total, "Budget", budget, "Factor", models.FactorText(p.FactorPPM)))
	}
	if p.AvailableFen < p.BudgetFen {
		v.Notes = append(v.Notes, tr(c, "pacing_held", "Held", models.FormatYuan(p.BudgetFen-p.AvailableFen), "Left", models.FormatYuan(p.AvailableFen)))
	}
	if p.Unfunded {
		v.Notes = append(v.Notes, tr(c, "pacing_unfunded"))
	}
	return v
}

// weekDates is a week's Monday–Sunday dates in the page's language.
func weekDates(c echo.Context, w models.WeekLabel) string {
	return i18n.From(c.Request().Context()).Week(w.Start(), w.End().AddDate(0, 0, -1))
}

func (s *Server) bonusAppeal(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	err = s.store.AppealBonus(c.Request().Context(), actor(c), id, c.FormValue("message"))
	switch fe, ok := models.AsFieldErrors(err); {
	case ok:
		return s.redirectWithFlash(c, "/me", "error", trMsg(c, fe["message"]))
	case errors.Is(err, models.ErrAppealNotAllowed):
		return s.redirectWithFlash(c, "/me", "error", tr(c, "err_appeal_only_rejected_once"))
	case err != nil:
		return err
	}
	return s.redirectWithFlash(c, "/me", "success", tr(c, "flash_appeal_sent"))
}

func (s *Server) bonusAppealDecision(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	overturn := c.FormValue("decision") == "overturn"
	err = s.store.DecideAppeal(c.Request().Context(), actor(c), id, overturn, c.FormValue("note"))
	if errors.Is(err, models.ErrOwnRejection) {
		return s.redirectWithFlash(c, "/bonuses/"+itoa(id), "error", tr(c, "appeal_own_rejection"))
	}
	if fe, ok := models.AsFieldErrors(err); ok {
		return s.redirectWithFlash(c, "/bonuses/"+itoa(id), "error", strings.Join(fieldMessages(c, fe), " "))
	}
	if err != nil {
		return err
	}
	msg := tr(c, "flash_appeal_upheld")
	if overturn {
		msg = tr(c, "flash_appeal_overturned")
	}
	return s.redirectWithFlash(c, "/bonuses/"+itoa(id), "success", msg)
}
