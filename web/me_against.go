package web

import (
	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

// againstWeeks is how many weeks a creator's page sets against their subject area's median.
const againstWeeks = 8

// againstSubjectView is a creator's last weeks next to their subject area's
// median (issue 19), as a table and a chart of GMV with the median as a line.
func (s *Server) againstSubjectView(c echo.Context, creatorID uint) (views.AgainstSubjectView, error) {
	weeks, err := s.store.CreatorAgainstSubject(c.Request().Context(), actor(c), creatorID, againstWeeks)
	if err != nil {
		return views.AgainstSubjectView{}, err
	}
	v := views.AgainstSubjectView{Chart: views.ColumnChart{ID: "against-gmv", Title: tr(c, "me_against_chart"),
		Unit: tr(c, "me_against_yours"), LineLabel: tr(c, "me_against_median"), NoTable: true},
		MinCreators: models.MedianMinCreators}
	for _, w := range weeks {
		row := views.AgainstSubjectRow{Week: w.Week, Reported: w.Reported,
			Videos: views.Count(w.Videos), Live: views.Count(w.LiveSessions), GMV: models.FormatYuan(w.GMVFen),
			MedVideos: views.Count(w.MedianVideos), MedLive: views.Count(w.MedianLiveSessions), MedGMV: models.FormatYuan(w.MedianGMVFen),
			Creators: views.Count(w.SubjectCreators)}
		if w.MedianWithheld { // too few creators: the median would be one of theirs
			row.MedVideos, row.MedLive, row.MedGMV = "–", "–", "–"
			v.Withheld = true
		}
		label := w.Week
		if wk, err := models.ParseWeek(w.Week); err == nil {
			row.Dates = weekDates(c, wk)
			label = w.Week[5:]
		}
		v.Rows = append(v.Rows, row)
		gmv := max(w.GMVFen, 0)
		if !w.Reported {
			gmv = 0
		}
		v.Chart.Points = append(v.Chart.Points, views.Point{Label: label, Value: gmv, Display: models.FormatYuan(gmv), Short: views.ShortYuan(gmv)})
		v.Chart.Line = append(v.Chart.Line, max(w.MedianGMVFen, 0))
	}
	return v, nil
}
