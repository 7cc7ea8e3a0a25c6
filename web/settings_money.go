package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

var ruleFields = []string{"gmv_tiers", "view_tiers", "per_video", "per_live", "weekly_cap", "four_eyes"}

func ruleValues(f models.RuleForm) map[string]string {
	return map[string]string{"gmv_tiers": f.GMVTiers, "view_tiers": f.ViewTiers, "per_video": f.PerVideo,
		"per_live": f.PerLive, "weekly_cap": f.WeeklyCap, "four_eyes": f.FourEyes}
}

func (s *Server) bonusRuleView(c echo.Context, values map[string]string, errs views.FieldErrors) (views.BonusRuleView, error) {
	ctx := c.Request().Context()
	rule, version, err := s.store.CurrentBonusRule(ctx)
	if err != nil {
		return views.BonusRuleView{}, err
	}
	if values == nil {
		values = ruleValues(models.FormOf(rule))
	}
	budget, err := s.store.ProgrammeBudgetNow(ctx)
	if err != nil {
		return views.BonusRuleView{}, err
	}
	v := views.BonusRuleView{Version: itoa(version), Values: values, Errors: errs,
		BudgetValues: map[string]string{"creators_budget": models.YuanDecimal(budget.CreatorsFen), "mcn_budget": models.YuanDecimal(budget.MCNFen)}}
	if v.Pending, err = s.pendingCount(c); err != nil {
		return v, err
	}
	for _, p := range []struct{ name, label string }{{models.PoolCreators, tr(c, "pool_creators_label")}, {models.PoolMCN, tr(c, "pool_mcn_label")}} {
		pool, err := s.store.GetPool(ctx, p.name)
		if err != nil {
			return v, err
		}
		v.Pools = append(v.Pools, views.PoolView{Name: p.name, Label: p.label, Total: models.FormatYuan(pool.TotalFen),
			Committed: models.FormatYuan(pool.CommittedFen), Left: models.FormatYuan(pool.LeftFen()), Budget: models.FormatYuan(budget.For(p.name))})
	}
	return v, nil
}

func (s *Server) bonusRuleForm(c echo.Context) error {
	v, err := s.bonusRuleView(c, nil, nil)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.BonusRulePage(s.meta(c, tr(c, "bonus_rule"), "settings"), v))
}

func impactView(r models.RuleImpact) *views.ImpactView {
	return &views.ImpactView{Week: r.Week, Creators: views.Count(int64(r.Creators)), Total: models.FormatYuan(r.TotalFen),
		Largest: models.FormatYuan(r.LargestFen), Capped: views.Count(int64(r.Capped)), FourEyes: views.Count(int64(r.FourEyes))}
}

// bonusRuleSave previews a rule's effect, or proposes it; a second admin
// approves it on the pending changes page before it applies.
func (s *Server) bonusRuleSave(c echo.Context) error {
	ctx := c.Request().Context()
	values := map[string]string{}
	for _, f := range ruleFields {
		values[f] = c.FormValue(f)
	}
	form := models.RuleForm{GMVTiers: values["gmv_tiers"], ViewTiers: values["view_tiers"], PerVideo: values["per_video"],
		PerLive: values["per_live"], WeeklyCap: values["weekly_cap"], FourEyes: values["four_eyes"]}
	rule, fe := form.Parse()
	again := func(status int, errs views.FieldErrors, preview bool) error {
		v, err := s.bonusRuleView(c, values, errs)
		if err != nil {
			return err
		}
		if preview {
			if v.WhatIf, err = s.whatIf(c, rule); err != nil {
				return err
			}
		}
		return render(c, status, views.BonusRulePage(s.meta(c, tr(c, "bonus_rule"), "settings"), v))
	}
	if len(fe) > 0 {
		return again(http.StatusUnprocessableEntity, fieldErrors(c, fe), false)
	}
	if c.FormValue("action") != "propose" {
		return again(http.StatusOK, nil, true)
	}
	ch, err := s.store.ProposeBonusRule(ctx, actor(c), rule)
	if errors.Is(err, models.ErrNoChange) {
		err = models.FieldErrors{"_": msgOfErr(err)}
	}
	if fe, ok := models.AsFieldErrors(err); ok {
		return again(http.StatusUnprocessableEntity, fieldErrors(c, fe), false)
	}
	if err != nil {
		return err
	}
	return s.proposed(c, ch)
}

// poolUpdate proposes a new pool total.
func (s *Server) poolUpdate(c echo.Context) error {
	name := c.Param("name")
	if name != models.PoolCreators && name != models.PoolMCN {
		return echo.ErrNotFound
	}
	total, err := models.ParseYuan(c.FormValue("total"))
	if err != nil {
		return s.redirectWithFlash(c, "/settings/bonus-rule", "error", tr(c, "pool_total_error", "Problem", trMsg(c, msgOfErr(err))))
	}
	label := tr(c, "pool_creators_label")
	if name == models.PoolMCN {
		label = tr(c, "pool_mcn_label")
	}
	if asked, err := s.confirmPoolLower(c, name, label, total); asked || err != nil {
		return err
	}
	ch, err := s.store.ProposePoolTotal(c.Request().Context(), actor(c), name, total)
	if errors.Is(err, models.ErrNoChange) {
		return s.redirectWithFlash(c, "/settings/bonus-rule", "error", trMsg(c, msgOfErr(err)))
	}
	if fe, ok := models.AsFieldErrors(err); ok {
		return s.redirectWithFlash(c, "/settings/bonus-rule", "error", trMsg(c, fe["pool_total"]))
	}
	if err != nil {
		return err
	}
	return s.proposed(c, ch)
}

func (s *Server) apiTokensView(c echo.Context) (views.APITokensView, error) {
	tokens, err := s.store.ListAPITokens(c.Request().Context(), actor(c))
	if err != nil {
		return views.APITokensView{}, err
	}
	var v views.APITokensView
	for _, t := range tokens {
		row := views.APITokenRow{ID: t.ID, Name: t.Name, Hint: t.Hint, Created: models.FormatCST(t.CreatedAt)}
		if t.LastUsedAt != nil {
			row.LastUsed = models.FormatCST(*t.LastUsedAt)
		}
		if t.RevokedAt != nil {
			row.Revoked = models.FormatCST(*t.RevokedAt)
		}
		v.Rows = append(v.Rows, row)
	}
	return v, nil
}

func (s *Server) apiTokens(c echo.Context) error {
	v, err := s.apiTokensView(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.APITokensPage(s.meta(c, tr(c, "api_tokens"), "settings"), v))
}

func (s *Server) apiTokenCreate(c echo.Context) error {
	secret, _, err := s.store.CreateAPIToken(c.Request().Context(), actor(c), c.FormValue("name"))
	fe, invalid := models.AsFieldErrors(err)
	if err != nil && !invalid {
		return err
	}
	v, verr := s.apiTokensView(c)
	if verr != nil {
		return verr
	}
	if invalid {
		v.Name, v.Errors = c.FormValue("name"), fieldErrors(c, fe)
		return render(c, http.StatusUnprocessableEntity, views.APITokensPage(s.meta(c, tr(c, "api_tokens"), "settings"), v))
	}
	// The secret exists only in this response: it is stored hashed.
	v.NewToken = secret
	return render(c, http.StatusOK, views.APITokensPage(s.meta(c, tr(c, "api_tokens"), "settings"), v))
}

func (s *Server) apiTokenRevoke(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.RevokeAPIToken(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/settings/api-tokens", "success", tr(c, "flash_token_revoked"))
}
