package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

func (s *Server) auditList(c echo.Context) error {
	v := views.AuditView{Actor: c.QueryParam("actor"), Action: c.QueryParam("action"), Object: c.QueryParam("object"),
		From: c.QueryParam("from"), To: c.QueryParam("to")}
	f := models.AuditFilter{Actor: strings.TrimSpace(v.Actor), Action: strings.TrimSpace(v.Action)}
	errs := views.FieldErrors{}
	if obj := strings.TrimSpace(v.Object); obj != "" {
		typ, id, hasID := strings.Cut(obj, ":")
		f.ObjectType = typ
		if hasID {
			n, err := strconv.ParseUint(id, 10, 32)
			if err != nil {
				errs["object"] = tr(c, "err_audit_object_format")
			}
			f.ObjectID = uint(n)
		}
	}
	if v.From != "" {
		t, err := time.ParseInLocation("2006-01-02", v.From, models.CST)
		if err != nil {
			errs["from"] = tr(c, "err_date_format", "Example", "2026-11-24")
		}
		f.From = t
	}
	if v.To != "" {
		t, err := time.ParseInLocation("2006-01-02", v.To, models.CST)
		if err != nil {
			errs["to"] = tr(c, "err_date_format", "Example", "2026-11-24")
		}
		f.To = t.AddDate(0, 0, 1)
	}
	status := http.StatusOK
	if len(errs) > 0 {
		v.Errors = errs
		status = http.StatusUnprocessableEntity
		return render(c, status, views.AuditPage(s.meta(c, tr(c, "nav_audit"), "audit"), v))
	}
	page := pageParam(c)
	entries, total, err := s.store.ListAudit(c.Request().Context(), actor(c), f, page)
	if err != nil {
		return err
	}
	v.Pager = seekPager(c, page, total, entries, models.AuditCursor)
	repeats, err := s.store.AuditRepeats(c.Request().Context(), entries)
	if err != nil {
		return err
	}
	format, err := s.auditFormatter(c)
	if err != nil {
		return err
	}
	for _, e := range entries {
		row := views.AuditRow{At: models.FormatCST(e.At), Actor: actorName(format.ctx, e.ActorEmail), Action: e.Action, ActionLabel: format.Action(e.Action), Change: format.Detail(e), IP: e.IP,
			Object: e.ObjectType, ObjectHref: auditObjectHref(e), Repeats: repeats[e.Seq]}
		if e.ObjectID != 0 {
			row.Object += ":" + strconv.FormatUint(uint64(e.ObjectID), 10)
		}
		v.Rows = append(v.Rows, row)
	}
	return render(c, status, views.AuditPage(s.meta(c, tr(c, "nav_audit"), "audit"), v))
}
