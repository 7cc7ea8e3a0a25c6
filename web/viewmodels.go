package web

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
	"github.com/jd/creator-portal/views/i18n"
)

// This file maps model rows to the small view structs the templates take.

func (s *Server) subjectNames(c echo.Context) (map[uint]string, error) {
	areas, err := s.store.SubjectAreas(c.Request().Context())
	return subjectNameMap(c.Request().Context(), areas), err
}

func subjectNameMap(ctx context.Context, areas []models.SubjectArea) map[uint]string {
	m := make(map[uint]string, len(areas))
	for _, a := range areas {
		m[a.ID] = subjectName(ctx, a)
	}
	return m
}

// subjectName is an area's name in the page's language: the catalogue knows
// the programme's 20 areas by code, as long as an admin has not renamed one
// (then the admin's name shows in every language).
func subjectName(ctx context.Context, a models.SubjectArea) string {
	if a.Name == models.DefaultSubjectName(a.Code) {
		return i18n.T(ctx, "subject_"+a.Code)
	}
	return a.Name
}

// creatorRowsFeatured maps creators and marks those featured today, with one query for the page.
func (s *Server) creatorRowsFeatured(c echo.Context, cs []models.Creator, subjects map[uint]string) ([]views.CreatorRow, error) {
	rows := creatorRows(cs, subjects)
	ids := make([]uint, len(cs))
	for i, cr := range cs {
		ids[i] = cr.ID
	}
	featured, err := s.store.FeaturedAmong(c.Request().Context(), ids, s.now())
	for i := range rows {
		rows[i].Featured = featured[rows[i].ID]
	}
	return rows, err
}

func creatorRows(cs []models.Creator, subjects map[uint]string) []views.CreatorRow {
	out := make([]views.CreatorRow, len(cs))
	for i, c := range cs {
		out[i] = views.CreatorRow{
			ID: c.ID, Name: c.DisplayName, AccountID: c.AccountID,
			Subject: subjects[c.PrimarySubjectID], State: string(c.State), Followers: c.Followers,
			Enrolled:    c.EnrolledAt.In(models.CST).Format("2006-01-02"),
			Resubmitted: c.IsResubmission(),
		}
		if c.Agency != nil {
			out[i].Agency = c.Agency.Name
		}
	}
	return out
}

func stateOptions(ctx context.Context, selected string) []views.Option {
	out := []views.Option{{Value: "", Label: i18n.T(ctx, "all_states")}}
	for _, st := range models.CreatorStates {
		out = append(out, views.Option{Value: string(st), Label: views.StateLabel(ctx, string(st)), Selected: string(st) == selected})
	}
	return out
}

// subjectOptions lists subject areas; blank adds a first empty choice; activeOnly hides retired areas (for enrolment).
func subjectOptions(ctx context.Context, areas []models.SubjectArea, selected uint, blank string, activeOnly bool) []views.Option {
	var out []views.Option
	if blank != "" {
		out = append(out, views.Option{Value: "", Label: blank})
	}
	for _, a := range areas {
		if activeOnly && !a.Active {
			continue
		}
		label := subjectName(ctx, a)
		if !a.Active {
			label += i18n.T(ctx, "inactive_suffix")
		}
		out = append(out, views.Option{Value: itoa(a.ID), Label: label, Selected: a.ID == selected})
	}
	return out
}

// agencySelectMax is the most agencies a filter lists as a select.
const agencySelectMax = 50

// agencyFilter builds a staff list's agency filter from the raw parameter.
func (s *Server) agencyFilter(c echo.Context, raw string) (*views.AgencyFilter, error) {
	n, err := s.store.CountAgencies(c.Request().Context())
	if err != nil || n > agencySelectMax {
		return &views.AgencyFilter{Typed: raw}, err
	}
	ags, err := s.store.AgencyOptions(c.Request().Context())
	var selected uint
	if id := optionalID(raw); id != nil {
		selected = *id
	}
	return &views.AgencyFilter{Options: agencyOptions(ags, selected, tr(c, "all_agencies"))}, err
}

// agencyParam reads an agency filter: an ID, or else the start of a name.
func agencyParam(raw string) (id uint, name string) {
	if p := optionalID(raw); p != nil {
		return *p, ""
	}
	return 0, strings.TrimSpace(raw)
}

func agencyOptions(ags []models.Agency, selected uint, blank string) []views.Option {
	out := []views.Option{{Value: "", Label: blank}}
	for _, a := range ags {
		out = append(out, views.Option{Value: itoa(a.ID), Label: a.Name, Selected: a.ID == selected})
	}
	return out
}

// contentTypeLabel is the message ID naming a content type.
func contentTypeLabel(ct models.ContentType) string {
	switch ct {
	case models.ContentVideo:
		return "content_video"
	case models.ContentLive:
		return "content_live"
	case models.ContentBoth:
		return "content_both"
	}
	return string(ct)
}

func actionLabel(ctx context.Context, a models.CreatorAction) string {
	switch a {
	case models.ActionQualify, models.ActionReject, models.ActionSuspend, models.ActionReinstate:
		return i18n.T(ctx, "action_"+string(a))
	}
	return string(a)
}

// reasonLabel is a reason's label in the page's language (see
// i18n.Localizer.ReasonLabel): an admin's own wording shows as written, a code
// missing from reasons by its default label, or as the code.
func reasonLabel(ctx context.Context, reasons []models.ReasonCode, code string) string {
	for _, r := range reasons {
		if r.Code == code {
			return i18n.From(ctx).ReasonLabel(r.Code, r.Label)
		}
	}
	return i18n.From(ctx).ReasonLabel(code, models.DefaultReasonLabel(code))
}

// subjectNameByEnglish translates a subject area known only by its English
// default name (as the published top 100 keeps it).
func subjectNameByEnglish(ctx context.Context, name string) string {
	for _, a := range models.DefaultSubjectAreas {
		if a.Name == name {
			return i18n.T(ctx, "subject_"+a.Code)
		}
	}
	return name
}

// historyRows is a record's history as people read it (see auditFormat).
func (s *Server) historyRows(c echo.Context, es []models.AuditEntry) ([]views.HistoryRow, error) {
	if len(es) == 0 {
		return nil, nil
	}
	f, err := s.auditFormatter(c)
	if err != nil {
		return nil, err
	}
	out := make([]views.HistoryRow, len(es))
	for i, e := range es {
		out[i] = views.HistoryRow{At: models.FormatCST(e.At), Actor: actorName(f.ctx, e.ActorEmail), Action: e.Action, ActionLabel: f.Action(e.Action), Detail: f.Detail(e)}
	}
	return out, nil
}

// actorName is who made a change: an email, or the portal itself.
func actorName(ctx context.Context, email string) string {
	if email == models.SystemActor().Email {
		return i18n.T(ctx, "actor_system")
	}
	return email
}

func auditObjectHref(e models.AuditEntry) string {
	switch e.ObjectType {
	case "creator":
		return "/creators/" + strconv.FormatUint(uint64(e.ObjectID), 10)
	case "agency":
		return "/agencies/" + strconv.FormatUint(uint64(e.ObjectID), 10)
	}
	return ""
}

// decodeAuditJSON keeps numbers as written: follower counts and fen amounts must not turn into 1.9e+06.
func decodeAuditJSON(s string) map[string]any {
	var m map[string]any
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	_ = d.Decode(&m)
	return m
}
