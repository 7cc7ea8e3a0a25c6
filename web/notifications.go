package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

func (s *Server) notifications(c echo.Context) error {
	page := pageParam(c)
	list, total, err := s.store.Notifications(c.Request().Context(), actor(c), page)
	if err != nil {
		return err
	}
	rows := make([]views.NotificationView, len(list))
	for i, n := range list {
		rows[i] = views.NotificationView{At: models.FormatCST(n.CreatedAt), Message: trText(c, n.Message), Link: n.Link, Unread: n.ReadAt == nil}
	}
	// meta after the list: the header count then reflects what was just read.
	return render(c, http.StatusOK, views.NotificationsPage(s.meta(c, tr(c, "notifications"), "notifications"), rows, pager(c, page, total)))
}
