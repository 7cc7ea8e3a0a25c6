package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
	"github.com/jd/creator-portal/views/i18n"
)

func movement(c echo.Context, r models.LeaderRow) string {
	switch {
	case r.New:
		return tr(c, "move_new")
	case r.Movement > 0:
		return fmt.Sprintf("▲%d", r.Movement)
	case r.Movement < 0:
		return fmt.Sprintf("▼%d", -r.Movement)
	}
	return "–"
}

func (s *Server) leaderRows(c echo.Context, rows []models.LeaderRow) ([]views.LeaderRowView, error) {
	subjects, err := s.subjectNames(c)
	if err != nil {
		return nil, err
	}
	ids := make([]uint, len(rows))
	for i, r := range rows {
		ids[i] = r.CreatorID
	}
	featured, err := s.store.FeaturedAmong(c.Request().Context(), ids, s.now())
	if err != nil {
		return nil, err
	}
	out := make([]views.LeaderRowView, len(rows))
	for i, r := range rows {
		agency := r.AgencyName
		if agency == "" {
			agency = tr(c, "independent")
		}
		out[i] = views.LeaderRowView{Rank: r.Rank, CreatorID: r.CreatorID, Name: r.DisplayName, Agency: agency, Subject: subjects[r.SubjectID],
			GMV: models.FormatYuan(r.GMVFen), Views: views.Count(r.Views), Movement: movement(c, r), Featured: featured[r.CreatorID]}
	}
	return out, nil
}

func (s *Server) leaderboard(c echo.Context) error {
	ctx := c.Request().Context()
	now := s.now()
	year := models.WeekOf(now).Prev().Year
	subject := optionalID(c.QueryParam("subject"))
	var subjectID uint
	if subject != nil {
		subjectID = *subject
	}
	rows, err := s.store.Leaderboard(ctx, actor(c), year, subjectID, models.TopListSize, now)
	if err != nil {
		return err
	}
	areas, err := s.store.SubjectAreas(ctx)
	if err != nil {
		return err
	}
	v := views.LeaderboardView{Year: year, Subjects: subjectOptions(c.Request().Context(), areas, subjectID, tr(c, "all_subject_areas"), false)}
	if v.Rows, err = s.leaderRows(c, rows); err != nil {
		return err
	}
	published, err := s.store.PublishedTopList(ctx, year)
	if err != nil {
		return err
	}
	if len(published) > 0 {
		v.Published = models.FormatCST(published[0].PublishedAt)
	}
	return render(c, http.StatusOK, views.LeaderboardPage(s.meta(c, tr(c, "nav_leaderboard"), "leaderboard"), v))
}

func (s *Server) leaderboardPublish(c echo.Context) error {
	year, err := strconv.Atoi(c.FormValue("year"))
	if err != nil {
		return s.redirectWithFlash(c, "/leaderboard", "error", tr(c, "year_not_number"))
	}
	if !confirmed(c) { // publishing replaces the list and tells up to 100 creators: say so first
		return s.confirmPublish(c, year)
	}
	n, err := s.store.PublishTopList(c.Request().Context(), actor(c), year, s.now())
	if fe, ok := models.AsFieldErrors(err); ok {
		return s.redirectWithFlash(c, "/leaderboard", "error", trMsg(c, fe["year"]))
	}
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/leaderboard", "success", tr(c, "flash_published", "N", n, "Year", year))
}

// topCreators is the public page: only what was published, display data only.
func (s *Server) topCreators(c echo.Context) error {
	ctx := c.Request().Context()
	years, err := s.store.PublishedYears(ctx)
	if err != nil {
		return err
	}
	v := views.TopCreatorsView{Years: years}
	if len(years) > 0 {
		v.Year = years[0]
		if y, err := strconv.Atoi(c.QueryParam("year")); err == nil {
			v.Year = y
		}
		entries, err := s.store.PublishedTopList(ctx, v.Year)
		if err != nil {
			return err
		}
		for _, e := range entries {
			v.Entries = append(v.Entries, views.TopEntryView{Rank: e.Rank, Name: e.DisplayName, Subject: subjectNameByEnglish(ctx, e.Subject),
				Agency: independentOr(c, e.Agency), Featured: e.Featured})
		}
		if len(entries) > 0 {
			v.Published = i18n.From(ctx).Date(entries[0].PublishedAt.In(models.CST))
		}
	}
	return render(c, http.StatusOK, views.TopCreatorsPage(s.meta(c, tr(c, "top_title"), ""), v))
}

// independentOr is a published agency name, or "Independent" in the page's language.
func independentOr(c echo.Context, agency string) string {
	if agency == "" || agency == "Independent" {
		return tr(c, "independent")
	}
	return agency
}
