package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
	"github.com/jd/creator-portal/views/i18n"
	"github.com/jd/creator-portal/web/mail"
)

// Payee details: the creator keeps theirs on /me/payee, an agency manager the
// agency's on /agency/payee (the owner comes from the session, never from the
// URL); staff verify them on /payees.

const (
	mePayeePath     = "/me/payee"
	agencyPayeePath = "/agency/payee"
	payeeHistoryMax = 20
)

// payeeOwner is whose payee details the signed-in creator or manager keeps.
func payeeOwner(c echo.Context) (kind string, owner uint, path string, err error) {
	a := actor(c)
	switch {
	case a.Role == models.RoleCreator && a.CreatorID != nil:
		return models.PayeeCreator, *a.CreatorID, mePayeePath, nil
	case a.Role == models.RoleMCNManager && a.AgencyID != nil:
		return models.PayeeAgency, *a.AgencyID, agencyPayeePath, nil
	}
	return "", 0, "", echo.ErrNotFound
}

func (s *Server) payeeForm(c echo.Context) error {
	kind, owner, path, err := payeeOwner(c)
	if err != nil {
		return err
	}
	return s.payeePage(c, http.StatusOK, kind, owner, path, nil, nil)
}

func (s *Server) payeeSave(c echo.Context) error {
	kind, owner, path, err := payeeOwner(c)
	if err != nil {
		return err
	}
	in := models.PayeeInput{Name: c.FormValue("name"), IDNumber: c.FormValue("id_number"), Bank: c.FormValue("bank"), Branch: c.FormValue("branch")}
	values := map[string]string{"name": in.Name, "id_number": in.IDNumber, "bank": in.Bank, "branch": in.Branch}
	accountField := "account"
	if kind == models.PayeeAgency {
		in.Method, in.Account = models.PayByBank, c.FormValue("account")
		values["account"] = in.Account
	} else {
		in.Method = c.FormValue("method")
		values["method"], values["card"], values["alipay"] = in.Method, c.FormValue("card"), c.FormValue("alipay")
		accountField = "card"
		in.Account = values["card"]
		if in.Method == models.PayByAlipay {
			accountField, in.Account = "alipay", values["alipay"]
		}
	}
	saved, err := s.store.SavePayee(c.Request().Context(), actor(c), kind, owner, in)
	if fe, ok := models.AsFieldErrors(err); ok {
		if m, has := fe["account"]; has && accountField != "account" {
			delete(fe, "account")
			fe[accountField] = m
		}
		return s.payeePage(c, http.StatusUnprocessableEntity, kind, owner, path, values, fieldErrors(c, fe))
	}
	if err != nil {
		return err
	}
	if saved.Unchanged {
		return s.redirectWithFlash(c, path, "info", tr(c, "flash_payee_unchanged"))
	}
	if saved.AccountChanged {
		if s.mailPayeeChanged(c, saved, path) {
			if err := s.addFlash(c, "error", tr(c, "flash_payee_mail_failed")); err != nil {
				return err
			}
		}
	}
	return s.redirectWithFlash(c, path, "success", tr(c, "flash_payee_saved"))
}

// mailPayeeChanged emails the payee's people that the account changed (after
// the commit: the change and the in-app notice stand whatever the mail
// does); it reports whether any email failed.
func (s *Server) mailPayeeChanged(c echo.Context, saved models.PayeeSaved, path string) (failed bool) {
	if len(saved.Mail) == 0 {
		return false
	}
	page := i18n.From(c.Request().Context())
	msgs := make([]mail.Message, len(saved.Mail))
	for i, to := range saved.Mail {
		loc := page
		if lang := i18n.Lang(to.Language); lang.Valid() {
			loc = i18n.For(lang)
		}
		msgs[i] = mail.Message{To: to.Email, Subject: loc.T("mail_payee_changed_subject"),
			Text: loc.T("mail_payee_changed_body", "Account", saved.Payee.AccountMasked, "Link", s.cfg.Mail.Link(path))}
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request().Context()), mailTimeout)
	defer cancel()
	for i, err := range s.cfg.Mail.Send(ctx, msgs) {
		if err != nil {
			s.log.Error("payee account change email not sent", "to", saved.Mail[i].Email, "err", err)
			failed = true
		}
	}
	return failed
}

// payeePage renders the payee form page: values and errs are the rejected
// post's, or nil for the saved details.
func (s *Server) payeePage(c echo.Context, status int, kind string, owner uint, path string, values map[string]string, errs views.FieldErrors) error {
	ctx := c.Request().Context()
	a := actor(c)
	v := views.PayeeFormView{Action: path, Agency: kind == models.PayeeAgency, Values: values, Errors: errs,
		Title: tr(c, "payee_title"), Intro: tr(c, "payee_intro")}
	if v.Agency {
		v.Intro = tr(c, "payee_agency_intro")
		if u := CurrentUser(c); u != nil && u.Agency != nil {
			v.Title = tr(c, "payee_agency_title", "Agency", u.Agency.Name)
		}
	}
	p, err := s.store.GetPayee(ctx, a, kind, owner)
	switch {
	case errors.Is(err, models.ErrNotFound):
	case err != nil:
		return err
	default:
		pv := payeeView(p)
		v.Current = &pv
		history, err := s.store.PayeeHistory(ctx, a, p, payeeHistoryMax)
		if err != nil {
			return err
		}
		for _, h := range history {
			what := map[string]string{"payee.create": "payee_action_create", "payee.update": "payee_action_update", "payee.verify": "payee_action_verify"}[h.Action]
			row := views.PayeeHistoryView{When: models.FormatCST(h.At), By: h.By, What: tr(c, what), Account: h.Account}
			if h.Action == "payee.verify" {
				row.Account, row.Note = "", h.Note
				if !a.IsStaff() {
					row.By = tr(c, "payee_by_jd") // staff are JD to the payee, not a name
				}
			}
			v.History = append(v.History, row)
		}
		if values == nil {
			v.Values = map[string]string{"name": p.Name, "method": p.Method, "bank": p.Bank, "branch": p.Branch}
		}
	}
	if v.Values == nil {
		v.Values = map[string]string{}
	}
	return render(c, status, views.PayeeFormPage(s.meta(c, v.Title, "payee"), v))
}

func payeeView(p *models.Payee) views.PayeeView {
	v := views.PayeeView{ID: p.ID, Revision: p.Revision, Kind: p.Kind, Name: p.Name, Method: p.Method, IDNumber: p.IDNumberMasked,
		Account: p.AccountMasked, Bank: p.Bank, Branch: p.Branch, Verified: p.Verified, Changed: models.FormatCST(p.UpdatedAt)}
	if p.VerifiedAt != nil {
		v.VerifiedOn = models.DayOf(*p.VerifiedAt)
	}
	return v
}

// payeeList is the staff list: unverified details first (oldest change
// first), or the verified ones with ?verified=1.
func (s *Server) payeeList(c echo.Context) error {
	verified := c.QueryParam("verified") == "1"
	page := pageParam(c)
	rows, total, err := s.store.Payees(c.Request().Context(), actor(c), verified, page)
	if err != nil {
		return err
	}
	v := views.PayeeListView{Verified: verified, Pager: pager(c, page, total)}
	for _, r := range rows {
		pv := payeeView(&r.Payee)
		pv.Owner = r.OwnerName
		v.Rows = append(v.Rows, pv)
	}
	return render(c, http.StatusOK, views.PayeeListPage(s.meta(c, tr(c, "payees_title"), "payees"), v))
}

// payeeVerify verifies the revision of a payee's details the reviewer saw.
func (s *Server) payeeVerify(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	rev, _ := strconv.Atoi(c.FormValue("revision"))
	p, err := s.store.VerifyPayee(c.Request().Context(), actor(c), id, rev, c.FormValue("note"))
	if errors.Is(err, models.ErrNotFound) {
		return echo.ErrNotFound
	}
	if msg, ok := trErr(c, err); ok && err != nil {
		return s.redirectWithFlash(c, "/payees", "error", msg)
	}
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/payees", "success", tr(c, "flash_payee_verified", "Name", p.Name))
}
