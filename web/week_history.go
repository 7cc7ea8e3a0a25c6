package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

// creatorWeekHistory is GET /creators/:id/weeks/:week/history: staff, and the
// creator's agency managers (the model checks the tenant: others get 404).
func (s *Server) creatorWeekHistory(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return s.weekHistory(c, id, "/creators/"+itoa(id), "")
}

// meWeekHistory is GET /me/weeks/:week/history: the creator's own week.
func (s *Server) meWeekHistory(c echo.Context) error {
	a := actor(c)
	if a.CreatorID == nil {
		return echo.ErrNotFound
	}
	return s.weekHistory(c, *a.CreatorID, "/me", tr(c, "nav_my_status"))
}

func (s *Server) weekHistory(c echo.Context, creatorID uint, back, backLabel string) error {
	a := actor(c)
	page := pageParam(c)
	page.Size = models.WeekHistoryPageSize
	h, err := s.store.WeekHistory(c.Request().Context(), a, creatorID, c.Param("week"), page)
	if err != nil {
		return err
	}
	if backLabel == "" {
		backLabel = h.Name
	}
	v := views.WeekHistoryView{Heading: tr(c, "history_heading", "Name", h.Name, "Week", h.Week.String()), Dates: weekDates(c, h.Week),
		BackHref: back, BackLabel: backLabel, Untrusted: h.Untrusted, Pager: pager(c, page, h.Total)}
	if h.Current != nil {
		v.Current = figureRows(c, nil, *h.Current)
	}
	// Creators see where a change came from, not which staff member made it (as on their bonus page).
	showWho := a.Role != models.RoleCreator
	for i, r := range h.Revisions {
		before, had, after := r.Figures()
		rv := views.RevisionView{N: int(h.Total) - (page.Number-1)*page.Size - i, When: models.FormatCST(r.CreatedAt),
			Source: sourceLabel(c, r.Source), First: !had}
		if showWho && r.ActorEmail != r.Source {
			rv.Who = r.ActorEmail
		}
		if had {
			rv.Rows = figureRows(c, &before, after)
		} else {
			rv.Rows = figureRows(c, nil, after)
		}
		v.Revisions = append(v.Revisions, rv)
	}
	title := tr(c, "history_title") + " · " + h.Week.String()
	return render(c, http.StatusOK, views.WeekHistoryPage(s.meta(c, title, historyNav(a)), v))
}

// historyNav is the menu entry a week's history belongs under.
func historyNav(a *models.Actor) string {
	if a.Role == models.RoleCreator {
		return "me"
	}
	return "creators"
}

// weekHistoryHref is where the actor reads a creator's week history.
func weekHistoryHref(a *models.Actor, creatorID uint, week string) string {
	if a.Role == models.RoleCreator {
		return "/me/weeks/" + url.PathEscape(week) + "/history"
	}
	return "/creators/" + itoa(creatorID) + "/weeks/" + url.PathEscape(week) + "/history"
}

// sourceLabel says where a revision came from in the reader's language.
func sourceLabel(c echo.Context, source string) string {
	kind, name, _ := strings.Cut(source, ":")
	switch kind {
	case "api":
		return tr(c, "source_api", "Name", name)
	case "file":
		return tr(c, "source_file", "Name", name)
	case "cli":
		return tr(c, "source_cli", "Name", name)
	case "demo":
		return tr(c, "source_demo")
	}
	return source
}

// figureValue shows one figure: money as yuan, counts with separators.
func figureValue(f models.FigureField, fig models.Figures) string {
	if f.Money {
		return models.FormatYuan(fig.Value(f.Key))
	}
	return views.Count(fig.Value(f.Key))
}

// figureRows lists a week's figures (after), beside before when given, marking those that differ.
func figureRows(c echo.Context, before *models.Figures, after models.Figures) []views.FigureRowView {
	out := make([]views.FigureRowView, 0, len(models.FigureFields))
	for _, f := range models.FigureFields {
		r := views.FigureRowView{Key: f.Key, Label: tr(c, "fig_"+f.Key), After: figureValue(f, after)}
		if before != nil {
			r.Before = figureValue(f, *before)
			r.Changed = before.Value(f.Key) != after.Value(f.Key)
		}
		out = append(out, r)
	}
	return out
}

// gmvWithRefunds is a week's GMV as pages show it: just the GMV, or with the
// refunds and the net when there are refunds.
func gmvWithRefunds(c echo.Context, f models.Figures) (gmv, refunds string) {
	gmv = models.FormatYuan(f.GMVFen)
	if f.RefundedGMVFen > 0 {
		refunds = tr(c, "week_gmv_refunds", "Refunds", models.FormatYuan(f.RefundedGMVFen), "Net", models.FormatYuan(f.NetGMVFen()))
	}
	return gmv, refunds
}

// creatorPageWeeks is how many recent weeks the creator page links to.
const creatorPageWeeks = 8

// recentWeeks lists a creator's latest weeks with links to their history
// (the creator page; the caller has checked the actor may see the creator).
func (s *Server) recentWeeks(c echo.Context, creatorID uint) ([]views.WeekLinkView, error) {
	weeks, err := s.store.PerformanceOf(c.Request().Context(), creatorID, creatorPageWeeks)
	if err != nil {
		return nil, err
	}
	a := actor(c)
	out := make([]views.WeekLinkView, len(weeks))
	for i, w := range weeks {
		gmv, refunds := gmvWithRefunds(c, w.Figures())
		if refunds != "" {
			gmv += " (" + refunds + ")"
		}
		out[i] = views.WeekLinkView{Week: w.Week, GMV: gmv, Untrusted: w.Untrusted, Href: weekHistoryHref(a, creatorID, w.Week)}
	}
	return out, nil
}
