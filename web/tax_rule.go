package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

// The individual income tax rule (issue 15, point 5): shown with worked
// examples, its history, and proposed like the bonus rule, for a second
// admin to approve on the pending changes page.

// taxExampleIncomesFen are the monthly incomes the page works through: one
// that takes the fixed deduction (¥3,000 under the default rule) and one
// above the threshold (¥30,000 under the default rule).
func taxExampleIncomesFen(r models.TaxRule) []int64 {
	var out []int64
	switch {
	case r.DeductionFen < 300_000 && 300_000 <= r.ThresholdFen:
		out = append(out, 300_000)
	case r.DeductionFen < r.ThresholdFen:
		out = append(out, r.ThresholdFen)
	}
	if above := int64(3_000_000); above > r.ThresholdFen {
		return append(out, above)
	}
	return append(out, 2*r.ThresholdFen+100_000)
}

// taxFormValues are the proposal form's fields for a rule form.
func taxFormValues(f models.TaxRuleForm) map[string]string {
	values := map[string]string{"deduction": f.Deduction, "threshold": f.Threshold, "taxable_rate": f.TaxableRate}
	for i, b := range f.Brackets {
		n := strconv.Itoa(i + 1)
		values["upto_"+n], values["rate_"+n], values["quick_"+n] = b.UpTo, b.Rate, b.Quick
	}
	return values
}

// taxFormOf reads the posted proposal form.
func taxFormOf(c echo.Context) (models.TaxRuleForm, map[string]string) {
	f := models.TaxRuleForm{Deduction: c.FormValue("deduction"), Threshold: c.FormValue("threshold"), TaxableRate: c.FormValue("taxable_rate")}
	for i := 1; i <= models.TaxMaxBrackets; i++ {
		n := strconv.Itoa(i)
		f.Brackets = append(f.Brackets, models.TaxBracketForm{UpTo: c.FormValue("upto_" + n), Rate: c.FormValue("rate_" + n), Quick: c.FormValue("quick_" + n)})
	}
	return f, taxFormValues(f)
}

// taxBracketViews writes a rule's brackets for the page.
func taxBracketViews(c echo.Context, bs []models.TaxBracket) []views.TaxBracketView {
	out := make([]views.TaxBracketView, len(bs))
	for i, b := range bs {
		rng := tr(c, "tax_range_up_to", "Bound", models.FormatYuan(b.UpToFen))
		if b.UpToFen == 0 {
			above := int64(0)
			if i > 0 {
				above = bs[i-1].UpToFen
			}
			rng = tr(c, "tax_range_above", "Bound", models.FormatYuan(above))
		}
		out[i] = views.TaxBracketView{Range: rng, Rate: models.FormatPercentBP(b.RateBP), Quick: models.FormatYuan(b.QuickDeductionFen)}
	}
	return out
}

// taxExample works one month's income through the rule, in the page's language.
func taxExample(c echo.Context, r models.TaxRule, incomeFen int64) string {
	w := r.Work(incomeFen)
	args := []any{"Income", models.FormatYuan(w.IncomeFen), "Taxable", models.FormatYuan(w.TaxableFen), "Rate", models.FormatPercentBP(w.Bracket.RateBP),
		"Quick", models.FormatYuan(w.Bracket.QuickDeductionFen), "Tax", models.FormatYuan(w.TaxFen), "Net", models.FormatYuan(w.NetFen)}
	if w.AboveLine {
		return tr(c, "tax_example_above", append(args, "Share", models.FormatPercentBP(r.TaxableBP))...)
	}
	return tr(c, "tax_example_below", append(args, "Deduction", models.FormatYuan(r.DeductionFen))...)
}

func (s *Server) taxRuleView(c echo.Context, values map[string]string, errs views.FieldErrors) (views.TaxRuleView, error) {
	ctx := c.Request().Context()
	cur, err := s.store.CurrentTaxRule(ctx)
	if err != nil {
		return views.TaxRuleView{}, err
	}
	r := cur.TaxRule
	if values == nil {
		values = taxFormValues(models.TaxFormOf(r))
	}
	v := views.TaxRuleView{Version: cur.Version, Since: models.FormatCST(cur.InForceFrom), Deduction: models.FormatYuan(r.DeductionFen),
		Threshold: models.FormatYuan(r.ThresholdFen), Taxable: models.FormatPercentBP(r.TaxableBP), Brackets: taxBracketViews(c, r.Brackets),
		Values: values, Rows: models.TaxMaxBrackets, Errors: errs}
	for _, income := range taxExampleIncomesFen(r) {
		v.Examples = append(v.Examples, taxExample(c, r, income))
	}
	history, err := s.store.TaxRuleHistory(ctx)
	if err != nil {
		return v, err
	}
	for _, h := range history {
		row := views.TaxRuleVersionView{Version: h.Version, Since: models.FormatCST(h.InForceFrom), Deduction: models.FormatYuan(h.TaxRule.DeductionFen),
			Threshold: models.FormatYuan(h.TaxRule.ThresholdFen), Taxable: models.FormatPercentBP(h.TaxRule.TaxableBP),
			Brackets: models.TaxBracketsText(h.TaxRule.Brackets), InForce: h.Version == cur.Version}
		if h.ChangeID != nil {
			row.ChangeID = *h.ChangeID
		}
		v.History = append(v.History, row)
	}
	v.Pending, err = s.pendingCount(c)
	return v, err
}

func (s *Server) taxRuleForm(c echo.Context) error {
	v, err := s.taxRuleView(c, nil, nil)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.TaxRulePage(s.meta(c, tr(c, "tax_rule_title"), "settings"), v))
}

// taxRulePropose proposes a new version of the tax rule; it applies when a
// second admin approves it.
func (s *Server) taxRulePropose(c echo.Context) error {
	form, values := taxFormOf(c)
	rule, fe := form.Parse()
	var err error = fe
	var ch *models.SettingsChange
	if len(fe) == 0 {
		ch, err = s.store.ProposeTaxRule(c.Request().Context(), actor(c), rule)
	}
	if errors.Is(err, models.ErrNoChange) {
		err = models.FieldErrors{"_": msgOfErr(err)}
	}
	if fe, ok := models.AsFieldErrors(err); ok {
		v, verr := s.taxRuleView(c, values, fieldErrors(c, fe))
		if verr != nil {
			return verr
		}
		return render(c, http.StatusUnprocessableEntity, views.TaxRulePage(s.meta(c, tr(c, "tax_rule_title"), "settings"), v))
	}
	if err != nil {
		return err
	}
	return s.proposed(c, ch)
}
