package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

func movement(r models.LeaderRow) string {
	switch {
	case r.New:
		return "new"
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
	featured, err := s.store.FeaturedAmong(c.Request().Context(), ids, time.Now())
	if err != nil {
		return nil, err
	}
	out := make([]views.LeaderRowView, len(rows))
	for i, r := range rows {
		agency := r.AgencyName
		if agency == "" {
			agency = "Independent"
		}
		out[i] = views.LeaderRowView{Rank: r.Rank, CreatorID: r.CreatorID, Name: r.DisplayName, Agency: agency, Subject: subjects[r.SubjectID],
			GMV: models.FormatYuan(r.GMVFen), Views: views.Count(r.Views), Movement: movement(r), Featured: featured[r.CreatorID]}
	}
	return out, nil
}

func (s *Server) leaderboard(c echo.Context) error {
	ctx := c.Request().Context()
	now := time.Now()
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
	return render(c, http.StatusOK, views.LeaderboardPage(s.meta(c, "Leaderboard", "leaderboard"), v))
}

func (s *Server) leaderboardPublish(c echo.Context) error {
	year, err := strconv.Atoi(c.FormValue("year"))
	if err != nil {
		return s.redirectWithFlash(c, "/leaderboard", "error", "The year must be a number such as 2026.")
	}
	n, err := s.store.PublishTopList(c.Request().Context(), actor(c), year, time.Now())
	if fe, ok := models.AsFieldErrors(err); ok {
		return s.redirectWithFlash(c, "/leaderboard", "error", fe["year"])
	}
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/leaderboard", "success", fmt.Sprintf("The top %d creators of %d are published on the public page.", n, year))
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
			v.Entries = append(v.Entries, views.TopEntryView{Rank: e.Rank, Name: e.DisplayName, Subject: e.Subject, Agency: e.Agency})
		}
	}
	return render(c, http.StatusOK, views.TopCreatorsPage(s.meta(c, tr(c, "top_title"), ""), v))
}
