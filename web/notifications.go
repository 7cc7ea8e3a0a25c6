package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

func (s *Server) notifications(c echo.Context) error {
	ctx := c.Request().Context()
	page := pageParam(c)
	list, total, err := s.store.Notifications(ctx, actor(c), page)
	if err != nil {
		return err
	}
	var reasons []models.ReasonCode // loaded once, and only when a notification names a reason
	rows := make([]views.NotificationView, len(list))
	for i, n := range list {
		text := n.LegacyText // stored as a sentence before messages were data: shown as it is
		m, ok, err := n.Message()
		if err != nil {
			s.log.Error("notification arguments", "id", n.ID, "err", err)
			m, ok = models.Msg{ID: n.Kind}, true
		}
		if ok {
			if reasons == nil && msgHasReason(m) {
				if reasons, err = s.store.ReasonCodes(ctx, "", false); err != nil {
					return err
				}
			}
			text = renderMsgIn(ctx, m, reasons)
		}
		rows[i] = views.NotificationView{At: models.FormatCST(n.CreatedAt), Message: text, Link: notificationLink(n.Target()), Unread: n.ReadAt == nil}
	}
	// meta after the list: the header count then reflects what was just read.
	return render(c, http.StatusOK, views.NotificationsPage(s.meta(c, tr(c, "notifications"), "notifications"), rows, pager(c, page, total)))
}

// notificationLink is the page a notification's target is shown on ("" for none).
func notificationLink(t models.Target) string {
	switch t.Type {
	case models.TargetCreator:
		return "/creators/" + itoa(t.ID)
	case models.TargetMe:
		return "/me"
	case models.TargetMyPayee:
		return mePayeePath
	case models.TargetAgencyPayee:
		return agencyPayeePath
	case models.TargetDashboard:
		return "/dashboard"
	case models.TargetTopCreators:
		return "/top-creators"
	case models.TargetBonus:
		return "/bonuses/" + itoa(t.ID)
	case models.TargetSecondApproval:
		return "/bonuses?state=awaiting_second"
	case models.TargetInvoices:
		return "/invoices"
	case models.TargetMCNSecond:
		return "/mcn-bonuses?state=awaiting_second"
	case models.TargetBonusWeek:
		if w, ok := t.Week(); ok {
			return "/bonuses?week=" + w.String()
		}
	}
	return ""
}

// notificationsReadAll marks all of the user's notifications read.
func (s *Server) notificationsReadAll(c echo.Context) error {
	n, err := s.store.MarkAllNotificationsRead(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/notifications", "success", tr(c, "flash_notifications_read", "Count", n))
}
