package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

// The risk thresholds (issue 16): one admin proposes, a second approves on
// the changes page.

func (s *Server) riskThresholdsView(c echo.Context, values map[string]string, errs views.FieldErrors) (views.RiskThresholdsView, error) {
	cur, err := s.store.RiskThresholdsNow(c.Request().Context())
	if err != nil {
		return views.RiskThresholdsView{}, err
	}
	if values == nil {
		values = cur.Values()
	}
	v := views.RiskThresholdsView{Fields: models.RiskThresholdFields(), Current: cur.Values(), Values: values, Errors: errs}
	v.Pending, err = s.pendingCount(c)
	return v, err
}

func (s *Server) riskThresholdsForm(c echo.Context) error {
	v, err := s.riskThresholdsView(c, nil, nil)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.RiskThresholdsPage(s.meta(c, tr(c, "risk_thresholds_title"), "settings"), v))
}

// riskThresholdsPropose proposes new thresholds; they apply when a second admin approves them.
func (s *Server) riskThresholdsPropose(c echo.Context) error {
	values := map[string]string{}
	for _, f := range models.RiskThresholdFields() {
		values[f] = strings.TrimSpace(c.FormValue(f))
	}
	t, fe := models.ParseRiskThresholds(values)
	var err error = fe
	var ch *models.SettingsChange
	if len(fe) == 0 {
		ch, err = s.store.ProposeRiskThresholds(c.Request().Context(), actor(c), t)
	}
	if errors.Is(err, models.ErrNoChange) {
		err = models.FieldErrors{"_": msgOfErr(err)}
	}
	if fe, ok := models.AsFieldErrors(err); ok {
		v, verr := s.riskThresholdsView(c, values, fieldErrors(c, fe))
		if verr != nil {
			return verr
		}
		return render(c, http.StatusUnprocessableEntity, views.RiskThresholdsPage(s.meta(c, tr(c, "risk_thresholds_title"), "settings"), v))
	}
	if err != nil {
		return err
	}
	return s.proposed(c, ch)
}
