package web

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views/i18n"
	"github.com/jd/creator-portal/web/mail"
)

// linkKind is what a one-time link lets its owner do.
type linkKind int

const (
	inviteLink linkKind = iota // set the first password: /invite/:token
	resetLink                  // set a new password: /reset/:token
)

// mailTimeout bounds sending after a request: the database work is done and
// stays done whatever happens to the mail.
const mailTimeout = 30 * time.Second

// mailLinks emails each one-time link to its owner, in the owner's language
// where known (else the page's), with the link built from the configured base
// URL. It runs after the transaction that made the links has committed; a
// failure leaves the invitation or reset in place, is logged, and is returned
// (one error per link) for the page to say so. Nobody but the owner ever sees
// the link.
func (s *Server) mailLinks(c echo.Context, kind linkKind, links []*models.OneTimeLink) []error {
	if len(links) == 0 {
		return nil
	}
	page := i18n.From(c.Request().Context())
	msgs := make([]mail.Message, len(links))
	for i, l := range links {
		loc := page
		if lang := i18n.Lang(l.Language); lang.Valid() {
			loc = i18n.For(lang)
		}
		until := loc.Date(l.ExpiresAt.In(models.CST)) + " " + l.ExpiresAt.In(models.CST).Format("15:04")
		switch kind {
		case resetLink:
			msgs[i] = mail.Message{To: l.Email, Subject: loc.T("mail_reset_subject"),
				Text: loc.T("mail_reset_body", "Email", l.Email, "Link", s.cfg.Mail.Link("/reset/"+l.Token), "Until", until)}
		default:
			msgs[i] = mail.Message{To: l.Email, Subject: loc.T("mail_invite_subject"),
				Text: loc.T("mail_invite_body", "Email", l.Email, "Link", s.cfg.Mail.Link("/invite/"+l.Token), "Until", until)}
		}
	}
	// Not the request's context: a visitor closing the tab must not cut a send short.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request().Context()), mailTimeout)
	defer cancel()
	errs := s.cfg.Mail.Send(ctx, msgs)
	for i, err := range errs {
		if err != nil {
			s.log.Error("email not sent; the link stays valid and can be sent again", "kind", kindName(kind), "to", links[i].Email, "err", err)
		}
	}
	return errs
}

func kindName(k linkKind) string {
	if k == resetLink {
		return "password reset"
	}
	return "invitation"
}

// flashLinkSent queues what the person who asked may know: where the link went
// (the address masked), or that the email could not be sent.
func (s *Server) flashLinkSent(c echo.Context, kind linkKind, link *models.OneTimeLink, err error) error {
	masked := mail.Mask(link.Email)
	switch {
	case err != nil && kind == resetLink:
		return s.addFlash(c, "error", tr(c, "flash_reset_not_sent", "Email", masked))
	case err != nil:
		return s.addFlash(c, "error", tr(c, "flash_invitation_not_sent", "Email", masked))
	case kind == resetLink:
		return s.addFlash(c, "success", tr(c, "flash_reset_sent", "Email", masked))
	default:
		return s.addFlash(c, "success", tr(c, "flash_invitation_sent", "Email", masked))
	}
}

// mailOneLink sends one link and queues the flash that says where it went.
func (s *Server) mailOneLink(c echo.Context, kind linkKind, link *models.OneTimeLink) error {
	errs := s.mailLinks(c, kind, []*models.OneTimeLink{link})
	return s.flashLinkSent(c, kind, link, errs[0])
}

// loggedPath is the request's path for the log, with the secret of an
// invitation or reset link left out: whoever reads the log must not be able
// to use someone's link.
func loggedPath(c echo.Context) string {
	switch c.Path() {
	case "/invite/:token", "/reset/:token":
		return c.Path()
	}
	return c.Request().URL.Path
}
