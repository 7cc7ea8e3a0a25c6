package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

// The agency league (issue 19): every agency over a range of weeks, sorted
// by one of models.LeagueSorts and paged, for staff.

// leagueSortLabels are the league's sortable columns in the order the table
// shows them, each with its catalogue label.
var leagueSortLabels = []struct{ key, label string }{
	{"name", "col_agency"}, {"net_gmv", "impact_col_net_gmv"}, {"creators", "league_col_delivered"},
	{"videos", "impact_col_videos"}, {"live", "impact_col_live"}, {"bonus", "impact_col_bonus"},
	{"mcn_bonus", "impact_mcn_bonus"}, {"attainment", "league_col_quota"}, {"growth", "impact_growth"},
}

// leagueSort reads sort and dir: an unknown key is the default, numbers sort
// largest first unless asked otherwise, names A to Z.
func leagueSort(c echo.Context) (string, bool) {
	key := c.QueryParam("sort")
	if !slices.Contains(models.LeagueSorts, key) {
		key = models.LeagueSorts[0]
	}
	switch c.QueryParam("dir") {
	case "asc":
		return key, false
	case "desc":
		return key, true
	}
	return key, key != "name"
}

// leagueDownloadPage is how many agencies a download reads at a time.
const leagueDownloadPage = 200

func (s *Server) impactLeague(c echo.Context) error {
	a := actor(c)
	q, err := s.readImpactQuery(c)
	if err != nil {
		return err
	}
	q.Filter.AgencyID, q.Agency = 0, "" // the league is every agency
	key, desc := leagueSort(c)
	page := pageParam(c)
	var rows []models.AgencyLeagueRow
	var total int64
	if len(q.Errors) == 0 {
		rows, total, err = s.store.AgencyLeague(c.Request().Context(), a, q.Filter, key, desc, page)
		if fe, ok := models.AsFieldErrors(err); ok {
			q.Errors, err = fe, nil
		}
		if err != nil {
			return err
		}
	}
	title := tr(c, "league_title")
	v := views.LeagueView{}
	applied := models.ImpactFilter{}
	if len(q.Errors) == 0 {
		// The range as the models fill it, for the form and the file names.
		if applied, err = s.appliedRange(c, q.Filter); err != nil {
			return err
		}
	}
	if v.Filters, err = s.impactFiltersView(c, q, applied, false); err != nil {
		return err
	}
	v.Filters.Hidden = url.Values{"sort": {key}}
	if desc {
		v.Filters.Hidden.Set("dir", "desc")
	} else {
		v.Filters.Hidden.Set("dir", "asc")
	}
	link := q.query(q.Filter, true)
	v.Impact = withQuery("/impact", link)
	if len(q.Errors) > 0 {
		return render(c, http.StatusUnprocessableEntity, views.ImpactLeaguePage(s.meta(c, title, "impact"), v))
	}
	subjects, err := s.subjectNames(c)
	if err != nil {
		return err
	}
	v.Scope = impactScope(c, applied, subjects[applied.SubjectID], "")
	fileQuery := q.query(applied, true)
	fileQuery.Set("sort", key)
	fileQuery.Set("dir", v.Filters.Hidden.Get("dir"))
	v.CSV, v.XLSX = withQuery("/impact/agencies.csv", fileQuery), withQuery("/impact/agencies.xlsx", fileQuery)
	query := c.QueryParams()
	for _, s := range leagueSortLabels {
		v.Sorts = append(v.Sorts, views.SortLink{Label: tr(c, s.label), Key: s.key, Current: key, Desc: desc, BaseURL: "/impact/agencies", Query: query})
	}
	for _, r := range rows {
		v.Rows = append(v.Rows, leagueRowView(c, r))
	}
	v.Pager = pager(c, page, total)
	return render(c, http.StatusOK, views.ImpactLeaguePage(s.meta(c, title, "impact"), v))
}

// appliedRange is the filter with its range filled in as the models fill it
// (the programme's first week to the last ended week when left empty).
func (s *Server) appliedRange(c echo.Context, f models.ImpactFilter) (models.ImpactFilter, error) {
	start, err := s.store.ProgrammeStartWeek(c.Request().Context())
	if err != nil {
		return f, err
	}
	last := models.WeekOf(s.now()).Prev()
	if last.Start().Before(start.Start()) {
		last = start
	}
	if f.From == "" {
		f.From = start.String()
	}
	if f.To == "" {
		f.To = last.String()
	}
	return f, nil
}

func leagueRowView(c echo.Context, r models.AgencyLeagueRow) views.LeagueRowView {
	return views.LeagueRowView{Rank: r.Rank, AgencyID: r.AgencyID, Name: r.Name, Delivered: views.Count(r.CreatorsDelivered),
		Videos: views.Count(r.Videos), Live: views.Count(r.LiveSessions), NetGMV: models.FormatYuan(r.NetGMVFen()),
		Bonus: models.FormatYuan(r.BonusFen), MCNBonus: models.FormatYuan(r.MCNBonusFen),
		QuotaMet: strconv.Itoa(r.QuotaMet) + " / " + strconv.Itoa(r.QuotaMonths), Growth: growthText(r.GrowthPermille, r.HasGrowth)}
}

func (s *Server) impactLeagueCSV(c echo.Context) error  { return s.impactLeagueDownload(c, "csv") }
func (s *Server) impactLeagueXLSX(c echo.Context) error { return s.impactLeagueDownload(c, "xlsx") }

// impactLeagueDownload sends every agency's line (page by page from the
// models, so the file is the whole league in the page's order).
func (s *Server) impactLeagueDownload(c echo.Context, format string) error {
	a := actor(c)
	q, err := s.readImpactQuery(c)
	if err != nil {
		return err
	}
	q.Filter.AgencyID = 0
	back := "/impact/agencies?" + c.QueryString()
	if len(q.Errors) > 0 {
		return c.Redirect(http.StatusSeeOther, back)
	}
	key, desc := leagueSort(c)
	t := impactTable{First: "agency", Keys: []string{"rank", "delivered", "creators", "videos", "live", "views", "orders", "gmv", "refunds", "net_gmv",
		"bonus", "bonus_per_video", "bonus_per_thousand", "mcn_bonus", "quota_months", "quota_met", "growth"}}
	for n := 1; ; n++ {
		rows, total, err := s.store.AgencyLeague(c.Request().Context(), a, q.Filter, key, desc, models.NewPage(n, leagueDownloadPage))
		if _, ok := models.AsFieldErrors(err); ok {
			return c.Redirect(http.StatusSeeOther, back)
		}
		if err != nil {
			return err
		}
		for _, r := range rows {
			perVideo, okV := r.BonusPerVideoFen()
			perK, okK := r.BonusPerThousandFen()
			t.Rows = append(t.Rows, impactRow{Label: r.Name, Cells: []impactCell{
				figCount(int64(r.Rank)), figCount(r.CreatorsDelivered), figCount(r.Creators), figCount(r.Videos), figCount(r.LiveSessions),
				figCount(r.Views), figCount(r.Orders), figFen(r.GMVFen), figFen(r.RefundedGMVFen), figFen(r.NetGMVFen()),
				figFen(r.BonusFen), figRatio(cellFen, perVideo, okV), figRatio(cellFen, perK, okK), figFen(r.MCNBonusFen),
				figCount(int64(r.QuotaMonths)), figCount(int64(r.QuotaMet)), figRatio(cellPermille, r.GrowthPermille, r.HasGrowth)}})
		}
		if len(rows) == 0 || int64(n*leagueDownloadPage) >= total {
			break
		}
	}
	applied, err := s.appliedRange(c, q.Filter)
	if err != nil {
		return err
	}
	return s.sendTable(c, t, format, impactFileName("agency-league", applied, format))
}
