package web

import (
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

func (s *Server) transferViews(c echo.Context) ([]views.TransferView, error) {
	a := actor(c)
	rows, err := s.store.TransfersFor(c.Request().Context(), a, 20)
	if err != nil {
		return nil, err
	}
	out := make([]views.TransferView, len(rows))
	for i, t := range rows {
		out[i] = views.TransferView{ID: t.ID, Creator: t.CreatorName, ToAgency: t.ToName, State: t.State, Effective: t.EffectiveMonth,
			Requested: models.FormatCST(t.CreatedAt), Incoming: t.Incoming,
			CanAnswer: a.Role == models.RoleCreator && t.State == models.TransferRequested}
		if a.Role == models.RoleMCNManager && !t.Incoming {
			out[i].ToAgency = "" // the holding agency does not learn who asked
		}
	}
	return out, nil
}

func (s *Server) transferRequest(c echo.Context) error {
	_, err := s.store.RequestTransfer(c.Request().Context(), actor(c), c.FormValue("account_id"))
	if fe, ok := models.AsFieldErrors(err); ok {
		return s.redirectWithFlash(c, "/dashboard", "error", trMsg(c, fe["account_id"]))
	}
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/dashboard", "success", tr(c, "flash_transfer_requested"))
}

func (s *Server) transferDecision(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	accept := c.FormValue("decision") == "accept"
	err = s.store.DecideTransfer(c.Request().Context(), actor(c), id, accept, s.now())
	if fe, ok := models.AsFieldErrors(err); ok {
		return s.redirectWithFlash(c, "/me", "error", strings.Join(fieldMessages(c, fe), " "))
	}
	if err != nil {
		return err
	}
	msg := tr(c, "flash_transfer_declined")
	if accept {
		msg = tr(c, "flash_transfer_accepted", "Date", models.MonthOf(s.now()).Next().String()+"-01")
	}
	return s.redirectWithFlash(c, "/me", "success", msg)
}
