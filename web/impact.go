package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

// The programme-impact page (issue 19): what the money bought, week by week,
// for staff over the whole programme and for a manager over their agency.
// Every figure comes from the models' impact aggregates (models/impact*.go);
// the page itself reads only the programme's start week, the subject areas
// and, for a typed agency name, one short search of agencies by name.

// impactQuery is a request's filter as read from the query, with what the
// handler itself found wrong (an agency name matching none or several).
type impactQuery struct {
	Filter  models.ImpactFilter
	Agency  string // the agency box as typed (staff)
	Errors  models.FieldErrors
	Matches []models.AgencyRow // several agencies matched a typed name
}

// agencyMatchesShown is how many agencies a typed name lists to choose from.
const agencyMatchesShown = 10

// readImpactQuery reads from, to, subject and (staff) agency. An agency is an
// ID or the start of a name; a name must match one agency.
func (s *Server) readImpactQuery(c echo.Context) (impactQuery, error) {
	q := impactQuery{Errors: models.FieldErrors{}}
	q.Filter.From = strings.TrimSpace(c.QueryParam("from"))
	q.Filter.To = strings.TrimSpace(c.QueryParam("to"))
	if raw := strings.TrimSpace(c.QueryParam("subject")); raw != "" {
		if id := optionalID(raw); id != nil {
			q.Filter.SubjectID = *id
		} else {
			q.Errors["subject"] = models.M("impact_err_subject")
		}
	}
	a := actor(c)
	q.Agency = strings.TrimSpace(c.QueryParam("agency"))
	if q.Agency == "" {
		return q, nil
	}
	id, name := agencyParam(q.Agency)
	if !a.IsStaff() {
		// A manager's page is their agency's; an ID of another agency is
		// refused by the models (404), anything else is not a filter of theirs.
		q.Filter.AgencyID = id
		return q, nil
	}
	if id != 0 {
		q.Filter.AgencyID = id
		return q, nil
	}
	rows, total, err := s.store.ListAgencies(c.Request().Context(), a, name, models.NewPage(1, agencyMatchesShown))
	if err != nil {
		return q, err
	}
	for _, r := range rows { // an exact name wins over names that merely contain it
		if strings.EqualFold(r.Name, name) {
			q.Filter.AgencyID = r.ID
			return q, nil
		}
	}
	switch {
	case total == 0:
		q.Errors["agency"] = models.M("impact_err_agency_none", "Name", name)
	case total == 1:
		q.Filter.AgencyID = rows[0].ID
	default:
		q.Errors["agency"] = models.M("impact_err_agency_many", "Name", name, "Count", total)
		q.Matches = rows
	}
	return q, nil
}

// query is the filter as URL parameters, for links and downloads.
func (q impactQuery) query(f models.ImpactFilter, staff bool) url.Values {
	v := url.Values{}
	if f.From != "" {
		v.Set("from", f.From)
	}
	if f.To != "" {
		v.Set("to", f.To)
	}
	if f.SubjectID != 0 {
		v.Set("subject", itoa(f.SubjectID))
	}
	if staff && f.AgencyID != 0 {
		v.Set("agency", itoa(f.AgencyID))
	}
	return v
}

// withQuery is path with the query, if any.
func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// impactFiltersView builds the form: the programme's weeks as two selects,
// the subject areas and, for staff on /impact, the agency box.
func (s *Server) impactFiltersView(c echo.Context, q impactQuery, applied models.ImpactFilter, withAgency bool) (views.ImpactFiltersView, error) {
	ctx := c.Request().Context()
	start, err := s.store.ProgrammeStartWeek(ctx)
	if err != nil {
		return views.ImpactFiltersView{}, err
	}
	last := models.WeekOf(s.now()).Prev()
	if last.Start().Before(start.Start()) {
		last = start
	}
	from, to := applied.From, applied.To
	if from == "" { // a refused filter: keep what was asked for
		from, to = q.Filter.From, q.Filter.To
	}
	v := views.ImpactFiltersView{Action: c.Request().URL.Path,
		From: weekOptions(c, start, last, from, start.String()), To: weekOptions(c, start, last, to, last.String())}
	areas, err := s.store.SubjectAreas(ctx)
	if err != nil {
		return v, err
	}
	v.Subjects = subjectOptions(ctx, areas, q.Filter.SubjectID, tr(c, "all_subject_areas"), false)
	if withAgency {
		v.Agency = &views.AgencyFilter{Typed: q.Agency}
	}
	if len(q.Errors) > 0 {
		v.Errors = fieldErrors(c, q.Errors)
	}
	for _, r := range q.Matches {
		m := q.query(q.Filter, true)
		m.Set("agency", itoa(r.ID))
		v.Matches = append(v.Matches, views.AgencyMatch{Name: r.Name, Href: withQuery(v.Action, m)})
	}
	return v, nil
}

// weekOptions lists the programme's weeks, newest first, with their dates;
// a chosen week outside them (typed into the address) is kept as the first option.
func weekOptions(c echo.Context, start, last models.WeekLabel, chosen, fallback string) []views.Option {
	if chosen == "" {
		chosen = fallback
	}
	var out []views.Option
	found := false
	for w := last; !w.Start().Before(start.Start()); w = w.Prev() {
		label := w.String() + " · " + weekDates(c, w)
		out = append(out, views.Option{Value: w.String(), Label: label, Selected: w.String() == chosen})
		found = found || w.String() == chosen
	}
	if !found && chosen != "" {
		out = append([]views.Option{{Value: chosen, Label: chosen, Selected: true}}, out...)
	}
	return out
}

// impact shows the impact page.
func (s *Server) impact(c echo.Context) error {
	ctx := c.Request().Context()
	a := actor(c)
	q, err := s.readImpactQuery(c)
	if err != nil {
		return err
	}
	title := tr(c, "impact_title")
	v := views.ProgrammeImpactView{Manager: !a.IsStaff()}
	var rep *models.ImpactReport
	if len(q.Errors) == 0 {
		rep, err = s.store.Impact(ctx, a, q.Filter)
		if fe, ok := models.AsFieldErrors(err); ok {
			q.Errors, err = fe, nil
		}
		if err != nil {
			return err
		}
	}
	var applied models.ImpactFilter
	if rep != nil && len(q.Errors) == 0 {
		applied = rep.Filter
	}
	if v.Filters, err = s.impactFiltersView(c, q, applied, a.IsStaff()); err != nil {
		return err
	}
	if len(q.Errors) > 0 {
		return render(c, http.StatusUnprocessableEntity, views.ImpactPage(s.meta(c, title, "impact"), v))
	}
	link := q.query(rep.Filter, a.IsStaff())
	v.CSV, v.XLSX = withQuery("/impact.csv", link), withQuery("/impact.xlsx", link)
	if a.IsStaff() {
		league := url.Values{}
		for _, k := range []string{"from", "to", "subject"} {
			if link.Get(k) != "" {
				league.Set(k, link.Get(k))
			}
		}
		v.League = withQuery("/impact/agencies", league)
	}
	subjects, err := s.subjectNames(c)
	if err != nil {
		return err
	}
	agencyName := ""
	if rep.Filter.AgencyID != 0 {
		line, rank, err := s.store.AgencyImpact(ctx, a, rep.Filter)
		if err != nil {
			return err
		}
		if agencyName, err = s.agencyNameOf(c, rep.Filter.AgencyID); err != nil {
			return err
		}
		al := agencyLineView(c, agencyName, *line, rank)
		v.Agency = &al
	}
	v.Scope = impactScope(c, rep.Filter, subjects[rep.Filter.SubjectID], agencyName)
	s.fillImpactFigures(c, &v, rep, subjects, link)
	up, err := s.store.Uplift(ctx, a, rep.Filter)
	if err != nil {
		return err
	}
	v.Uplift = upliftView(c, up, subjects)
	return render(c, http.StatusOK, views.ImpactPage(s.meta(c, title, "impact"), v))
}

// agencyNameOf is an agency's name (the models have checked the actor may see it).
func (s *Server) agencyNameOf(c echo.Context, id uint) (string, error) {
	ag, err := s.store.GetAgency(c.Request().Context(), actor(c), id)
	if err != nil {
		return "", err
	}
	return ag.Name, nil
}

// impactScope says in a sentence what the figures cover.
func impactScope(c echo.Context, f models.ImpactFilter, subject, agency string) string {
	who := tr(c, "impact_scope_all")
	switch {
	case agency != "" && subject != "":
		who = tr(c, "impact_scope_agency_subject", "Agency", agency, "Subject", subject)
	case agency != "":
		who = tr(c, "impact_scope_agency", "Agency", agency)
	case subject != "":
		who = tr(c, "impact_scope_subject", "Subject", subject)
	}
	return tr(c, "impact_scope", "Who", who, "From", f.From, "To", f.To)
}

// fillImpactFigures adds the cards, charts and tables of a report.
func (s *Server) fillImpactFigures(c echo.Context, v *views.ProgrammeImpactView, rep *models.ImpactReport, subjects map[uint]string, link url.Values) {
	t := rep.Total
	if t == (models.ImpactFigures{}) {
		v.Empty = tr(c, "impact_empty")
		return
	}
	v.HasFigures = true
	perVideo, perThousand, share := "–", "–", "–"
	if n, ok := t.BonusPerVideoFen(); ok {
		perVideo = models.FormatYuan(n)
	}
	if n, ok := t.BonusPerThousandFen(); ok {
		perThousand = models.FormatYuan(n)
	}
	if n, ok := t.PostedShare(); ok {
		share = permilleText(n)
	}
	v.Cards = []views.ImpactCard{
		{ID: "videos", Value: views.Count(t.Videos), Label: tr(c, "impact_col_videos")},
		{ID: "live", Value: views.Count(t.LiveSessions), Label: tr(c, "impact_col_live")},
		{ID: "net-gmv", Value: models.FormatYuan(t.NetGMVFen()), Label: tr(c, "impact_col_net_gmv")},
		{ID: "bonus", Value: models.FormatYuan(t.BonusFen), Label: tr(c, "impact_col_bonus")},
		{ID: "per-video", Value: perVideo, Label: tr(c, "impact_col_bonus_per_video")},
		{ID: "per-thousand", Value: perThousand, Label: tr(c, "impact_col_bonus_per_thousand")},
		{ID: "posted-share", Value: share, Label: tr(c, "impact_col_posted_share")},
	}
	weeks := reportedWeeks(rep.Weeks)
	if len(weeks) < len(rep.Weeks) {
		v.Trimmed = tr(c, "impact_trimmed", "From", rep.Filter.From, "Week", weeks[0].Week)
	}
	sparse := len(weeks) > 12
	content := views.ColumnChart{ID: "impact-content", Title: tr(c, "impact_chart_content"), Unit: tr(c, "impact_col_videos"),
		LineLabel: tr(c, "impact_col_live"), Sparse: sparse}
	gmv := views.ColumnChart{ID: "impact-gmv", Title: tr(c, "impact_chart_gmv"), Unit: tr(c, "impact_col_net_gmv"), Sparse: sparse}
	bonus := views.ColumnChart{ID: "impact-bonus", Title: tr(c, "impact_chart_bonus"), Unit: tr(c, "impact_col_bonus"), Sparse: sparse}
	perK := views.ColumnChart{ID: "impact-per-thousand", Title: tr(c, "impact_chart_per_thousand"), Unit: tr(c, "impact_col_bonus_per_thousand"), Sparse: sparse}
	labels := make([]string, len(weeks))
	figs := make([]models.ImpactFigures, len(weeks))
	for i, w := range weeks {
		short := w.Week
		if len(short) > 5 {
			short = short[5:]
		}
		labels[i], figs[i] = w.Week, w.ImpactFigures
		content.Points = append(content.Points, views.Point{Label: short, Value: w.Videos})
		content.Line = append(content.Line, w.LiveSessions)
		net := max(w.NetGMVFen(), 0)
		gmv.Points = append(gmv.Points, views.Point{Label: short, Value: net, Display: models.FormatYuan(w.NetGMVFen()), Short: views.ShortYuan(net)})
		bonus.Points = append(bonus.Points, views.Point{Label: short, Value: w.BonusFen, Display: models.FormatYuan(w.BonusFen), Short: views.ShortYuan(w.BonusFen)})
		k, ok := w.BonusPerThousandFen()
		p := views.Point{Label: short, Value: k, Display: models.FormatYuan(k), Short: views.ShortYuan(k)}
		if !ok {
			p.Display, p.Short = "–", ""
		}
		perK.Points = append(perK.Points, p)
	}
	v.Charts = []views.ColumnChart{content, gmv, bonus, perK}
	v.Weeks = viewTable(c, figuresTable("week", true, labels, figs, &rep.Total, tr(c, "impact_total")))
	if rep.Filter.SubjectID == 0 && len(rep.Subjects) > 0 {
		labels, figs := make([]string, len(rep.Subjects)), make([]models.ImpactFigures, len(rep.Subjects))
		for i, sub := range rep.Subjects {
			labels[i], figs[i] = subjectLabel(c, sub.SubjectID, sub.Code, sub.Name, subjects), sub.ImpactFigures
		}
		st := viewTable(c, figuresTable("subject", true, labels, figs, nil, ""))
		for i, sub := range rep.Subjects {
			l := url.Values{}
			for k, vs := range link {
				l[k] = vs
			}
			l.Set("subject", itoa(sub.SubjectID))
			st.Rows[i].Href = withQuery("/impact", l)
		}
		v.Subjects = &st
	}
}

// reportedWeeks leaves out the range's first weeks while nothing was
// reported in them: a programme whose figures start late would otherwise open
// on a year of zeros. Weeks of zeros after the first reported one stay.
func reportedWeeks(weeks []models.ImpactWeek) []models.ImpactWeek {
	for i, w := range weeks {
		if w.ImpactFigures != (models.ImpactFigures{}) {
			return weeks[i:]
		}
	}
	return weeks
}

// subjectLabel is a subject area's name in the reader's language.
func subjectLabel(c echo.Context, id uint, code, name string, subjects map[uint]string) string {
	if n, ok := subjects[id]; ok {
		return n
	}
	if code != "" && name == models.DefaultSubjectName(code) {
		return tr(c, "subject_"+code)
	}
	return name
}

// agencyLineView is an agency's league line as cards.
func agencyLineView(c echo.Context, name string, l models.AgencyLeagueRow, rank models.AgencyGrowthRank) views.AgencyLineView {
	v := views.AgencyLineView{Name: name, Delivered: views.Count(l.CreatorsDelivered), MCNBonus: models.FormatYuan(l.MCNBonusFen),
		QuotaMet: strconv.Itoa(l.QuotaMet) + " / " + strconv.Itoa(l.QuotaMonths), Growth: growthText(l.GrowthPermille, l.HasGrowth)}
	switch {
	case rank.Rank > 0:
		v.GrowthRank = tr(c, "impact_growth_rank", "Rank", rank.Rank, "Of", views.Count(int64(rank.Of)))
	case rank.Of > 0:
		v.GrowthRank = tr(c, "impact_growth_unranked", "Of", views.Count(int64(rank.Of)))
	}
	return v
}

// growthText is a growth in per mille as "+12.5%", or "–" when there is none.
func growthText(permille int64, ok bool) string {
	if !ok {
		return "–"
	}
	sign := "+"
	if permille < 0 {
		sign, permille = "−", -permille
	}
	return sign + permilleText(permille)
}

// upliftView lays out the before/after comparison.
func upliftView(c echo.Context, u *models.UpliftReport, subjects map[uint]string) views.UpliftView {
	v := views.UpliftView{Creators: views.Count(u.Overall.Creators)}
	if u.Overall.Creators == 0 {
		v.Empty = tr(c, "impact_uplift_empty", "Cutoff", u.Cutoff, "TooNew", views.Count(u.TooNew))
		return v
	}
	v.Basis = tr(c, "impact_uplift_basis", "Creators", views.Count(u.Overall.Creators), "Cutoff", u.Cutoff,
		"TooNew", views.Count(u.TooNew), "Weeks", models.UpliftWindow)
	o := u.Overall
	v.Overall = []views.UpliftMetricView{
		{Label: tr(c, "impact_uplift_videos"), Before: avgText(o.VideosBefore()), After: avgText(o.VideosAfter()), Change: changeText(o.VideosBefore(), o.VideosAfter())},
		{Label: tr(c, "impact_uplift_live"), Before: avgText(o.LiveBefore()), After: avgText(o.LiveAfter()), Change: changeText(o.LiveBefore(), o.LiveAfter())},
		{Label: tr(c, "impact_uplift_gmv"), Before: avgYuan(o.GMVBefore()), After: avgYuan(o.GMVAfter()), Change: changeText(o.GMVBefore(), o.GMVAfter())},
	}
	row := func(name string, f models.UpliftFigures) views.UpliftRowView {
		return views.UpliftRowView{Name: name, Creators: views.Count(f.Creators),
			Videos: avgText(f.VideosBefore()) + " → " + avgText(f.VideosAfter()),
			Live:   avgText(f.LiveBefore()) + " → " + avgText(f.LiveAfter()),
			GMV:    avgYuan(f.GMVBefore()) + " → " + avgYuan(f.GMVAfter())}
	}
	for _, r := range u.BySubject {
		v.Subjects = append(v.Subjects, row(subjectLabel(c, r.ID, r.Code, r.Name, subjects), r.UpliftFigures))
	}
	for _, r := range u.ByAgency {
		v.Agencies = append(v.Agencies, row(r.Name, r.UpliftFigures))
	}
	return v
}

// avgText is an average count per creator-week, one decimal.
func avgText(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// avgYuan is an average amount of fen as yuan, rounded to the fen.
func avgYuan(fen float64) string { return models.FormatYuan(int64(fen + 0.5)) }

// changeText is the change from before to after in percent, or "–" from nothing.
func changeText(before, after float64) string {
	if before <= 0 {
		return "–"
	}
	pct := (after - before) / before * 100
	if pct >= 0 {
		return fmt.Sprintf("+%.1f%%", pct)
	}
	return fmt.Sprintf("−%.1f%%", -pct)
}

// impactFileName names a download after its range (and agency).
func impactFileName(base string, f models.ImpactFilter, ext string) string {
	name := base + "-" + f.From + "-" + f.To
	if f.SubjectID != 0 {
		name += "-subject-" + itoa(f.SubjectID)
	}
	if f.AgencyID != 0 {
		name += "-agency-" + itoa(f.AgencyID)
	}
	return name + "." + ext
}
