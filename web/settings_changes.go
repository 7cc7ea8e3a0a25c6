package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

// Settings that move money are proposed by one admin and applied when a
// second admin approves (models.ApproveChange); these handlers show the
// proposals and take the decisions.

const changesPath = "/settings/changes"

// changeKindLabel names a kind of change in the page's language.
func changeKindLabel(c echo.Context, k models.ChangeKind) string {
	return tr(c, "change_kind_"+strings.ReplaceAll(string(k), ":", "_"))
}

// changeView maps a proposal for the page; withWhatIf adds a bonus rule's
// effect on the last computed week, for the checker.
func (s *Server) changeView(c echo.Context, ch models.SettingsChange, withWhatIf bool) (views.ChangeView, error) {
	v := views.ChangeView{ID: ch.ID, Kind: changeKindLabel(c, ch.Kind), State: tr(c, "change_state_"+string(ch.State)),
		ProposedBy: ch.ProposedByEmail, ProposedAt: models.FormatCST(ch.CreatedAt), DecidedBy: ch.DecidedByEmail, Reason: ch.Reason,
		Mine: ch.ProposedByID == actor(c).UserID}
	if ch.DecidedAt != nil {
		v.DecidedAt = models.FormatCST(*ch.DecidedAt)
	}
	lines, err := ch.Lines()
	if err != nil {
		return v, err
	}
	for _, l := range lines {
		if l.Field == "pacing_policy" { // a policy's code: its word in the reader's language
			l.Current, l.Proposed = policyWord(c, l.Current), policyWord(c, l.Proposed)
		}
		v.Lines = append(v.Lines, views.ChangeLineView{Label: tr(c, "change_field_"+l.Field), Current: l.Current, Proposed: l.Proposed, Changed: l.Changed})
	}
	if withWhatIf && ch.Kind == models.ChangeBonusRule {
		rule, err := ch.ProposedBonusRule()
		if err != nil {
			return v, err
		}
		if v.WhatIf, err = s.whatIf(c, rule); err != nil {
			return v, err
		}
	}
	return v, nil
}

// whatIf compares the rule in force with rule on the last computed week.
func (s *Server) whatIf(c echo.Context, rule models.BonusRule) (*views.WhatIfView, error) {
	w, err := s.store.WhatIf(c.Request().Context(), rule)
	if err != nil {
		return nil, err
	}
	if w.Current.Week == "" {
		return &views.WhatIfView{None: true}, nil
	}
	movers := func(list []models.RuleMover) []views.MoverView {
		out := make([]views.MoverView, len(list))
		for i, m := range list {
			diff := models.FormatYuan(m.DiffFen())
			if m.DiffFen() > 0 {
				diff = "+" + diff
			}
			out[i] = views.MoverView{Name: m.Name, Href: "/creators/" + itoa(m.CreatorID), Old: models.FormatYuan(m.OldFen), New: models.FormatYuan(m.NewFen), Diff: diff}
		}
		return out
	}
	change := models.FormatYuan(w.ChangeFen)
	if w.ChangeFen > 0 {
		change = "+" + change
	}
	return &views.WhatIfView{Current: impactView(w.Current), Proposed: impactView(w.Proposed), Up: movers(w.Up), Down: movers(w.Down),
		PoolLeft: models.FormatYuan(w.PoolLeftFen), Change: change, PoolLeftAfter: models.FormatYuan(w.LeftAfterFen), Overspends: w.Overspends,
		Budget: whatIfBudgetView(c, w.Budget)}, nil
}

// whatIfBudgetView says the last computed week's budget and, for each rule,
// the factor pro rata would need and the week the pool would run out (issue 17).
func whatIfBudgetView(c echo.Context, b *models.WhatIfBudget) *views.WhatIfBudgetView {
	if b == nil {
		return nil
	}
	v := &views.WhatIfBudgetView{Note: tr(c, "what_if_runout_note", "Week", b.Week, "Left", models.FormatYuan(b.PoolLeft))}
	switch {
	case b.Fixed:
		v.Budget = tr(c, "what_if_budget_fixed", "Week", b.Week, "Budget", models.FormatYuan(b.BudgetFen))
	case b.Budgeted:
		v.Budget = tr(c, "what_if_budget_would", "Week", b.Week, "Budget", models.FormatYuan(b.BudgetFen))
	case b.PlanSet:
		v.Budget = tr(c, "what_if_budget_outside", "Week", b.Week)
	default:
		v.Budget = tr(c, "what_if_budget_unset", "Week", b.Week)
	}
	row := func(rule string, p models.PaceOutlook) views.PaceRowView {
		r := views.PaceRowView{Rule: tr(c, rule), Total: models.FormatYuan(p.TotalFen), Factor: "—", RunOut: p.RunOut}
		if b.Budgeted {
			r.Factor = tr(c, "what_if_factor_none")
			if p.NeedsFactor() {
				r.Factor = "×" + models.FactorText(p.FactorPPM)
			}
		}
		switch {
		case p.TotalFen <= 0:
			r.RunOut = tr(c, "what_if_runout_never")
		case p.RunOutAfterEnd:
			r.RunOut = tr(c, "what_if_runout_after_end", "End", b.PlanEnd)
		case p.RunOut == "":
			r.RunOut = tr(c, "what_if_runout_never")
		}
		return r
	}
	v.Rows = []views.PaceRowView{row("current_rule", b.Current), row("proposed_rule", b.Proposed)}
	return v
}

func (s *Server) changesView(c echo.Context) (views.ChangesView, error) {
	ctx := c.Request().Context()
	var v views.ChangesView
	pending, err := s.store.PendingChanges(ctx, actor(c))
	if err != nil {
		return v, err
	}
	for _, ch := range pending {
		cv, err := s.changeView(c, ch, true)
		if err != nil {
			return v, err
		}
		v.Pending = append(v.Pending, cv)
	}
	recent, err := s.store.RecentChanges(ctx, actor(c), 20)
	if err != nil {
		return v, err
	}
	for _, ch := range recent {
		cv, err := s.changeView(c, ch, false)
		if err != nil {
			return v, err
		}
		v.Recent = append(v.Recent, cv)
	}
	return v, nil
}

// pendingCount is how many changes wait for a second admin (for the settings pages' notice).
func (s *Server) pendingCount(c echo.Context) (int, error) {
	pending, err := s.store.PendingChanges(c.Request().Context(), actor(c))
	return len(pending), err
}

func (s *Server) changesList(c echo.Context) error {
	v, err := s.changesView(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.SettingsChangesPage(s.meta(c, tr(c, "changes_title"), "settings"), v))
}

// proposed ends a successful proposal: the proposer sees it waiting for a second admin.
func (s *Server) proposed(c echo.Context, ch *models.SettingsChange) error {
	return s.redirectWithFlash(c, changesPath+"#change-"+itoa(ch.ID), "success", tr(c, "flash_change_proposed", "ID", ch.ID, "Kind", changeKindLabel(c, ch.Kind)))
}

// decisionError turns a refused decision into a message on the changes page.
func (s *Server) decisionError(c echo.Context, err error) error {
	var msg string
	switch {
	case errors.Is(err, models.ErrNotFound):
		return echo.ErrNotFound
	case errors.Is(err, models.ErrOwnChange):
		msg = tr(c, "change_own")
	case errors.Is(err, models.ErrNotProposer):
		msg = tr(c, "change_not_proposer")
	case errors.Is(err, models.ErrChangeDecided):
		msg = tr(c, "change_not_pending")
	case errors.Is(err, models.ErrChangeStale):
		msg = tr(c, "change_stale")
	default:
		fe, ok := models.AsFieldErrors(err)
		if !ok {
			return err
		}
		msg = tr(c, "change_refused", "Problem", strings.Join(fieldMessages(c, fe), " "))
	}
	return s.redirectWithFlash(c, changesPath, "error", msg)
}

func (s *Server) changeApprove(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ch, err := s.store.ApproveChange(c.Request().Context(), actor(c), id)
	if err != nil {
		return s.decisionError(c, err)
	}
	return s.redirectWithFlash(c, changesPath, "success", tr(c, "flash_change_approved", "ID", ch.ID, "Kind", changeKindLabel(c, ch.Kind)))
}

func (s *Server) changeReject(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	reason := c.FormValue("reason")
	ch, err := s.store.RejectChange(c.Request().Context(), actor(c), id, reason)
	if fe, ok := models.AsFieldErrors(err); ok {
		v, verr := s.changesView(c)
		if verr != nil {
			return verr
		}
		v.Errors, v.ErrorID, v.Reason = fieldErrors(c, fe), id, reason
		return render(c, http.StatusUnprocessableEntity, views.SettingsChangesPage(s.meta(c, tr(c, "changes_title"), "settings"), v))
	}
	if err != nil {
		return s.decisionError(c, err)
	}
	return s.redirectWithFlash(c, changesPath, "success", tr(c, "flash_change_rejected", "ID", ch.ID))
}

func (s *Server) changeWithdraw(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	ch, err := s.store.WithdrawChange(c.Request().Context(), actor(c), id)
	if err != nil {
		return s.decisionError(c, err)
	}
	return s.redirectWithFlash(c, changesPath, "success", tr(c, "flash_change_withdrawn", "ID", ch.ID))
}

// programmeBudgetPropose proposes new programme budgets (in yuan on the form).
func (s *Server) programmeBudgetPropose(c echo.Context) error {
	values := map[string]string{"creators_budget": c.FormValue("creators_budget"), "mcn_budget": c.FormValue("mcn_budget")}
	fe := models.FieldErrors{}
	money := func(field string) int64 {
		v, err := models.ParseYuan(values[field])
		if err != nil {
			fe[field] = msgOfErr(err)
		}
		return v
	}
	b := models.ProgrammeBudget{CreatorsFen: money("creators_budget"), MCNFen: money("mcn_budget")}
	var err error = fe
	var ch *models.SettingsChange
	if len(fe) == 0 {
		ch, err = s.store.ProposeProgrammeBudget(c.Request().Context(), actor(c), b)
	}
	if errors.Is(err, models.ErrNoChange) {
		err = models.FieldErrors{"_": msgOfErr(err)}
	}
	if fe, ok := models.AsFieldErrors(err); ok {
		v, verr := s.bonusRuleView(c, nil, fieldErrors(c, fe))
		if verr != nil {
			return verr
		}
		v.BudgetValues = values
		return render(c, http.StatusUnprocessableEntity, views.BonusRulePage(s.meta(c, tr(c, "bonus_rule"), "settings"), v))
	}
	if err != nil {
		return err
	}
	return s.proposed(c, ch)
}
