package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/views"
)

// Who may use a route. nil means anyone, signed in or not.
var (
	public       []models.Role
	apiClients   = []models.Role{apiClient}
	signedIn     = models.Roles
	staff        = []models.Role{models.RoleAdmin, models.RoleReviewer}
	adminOnly    = []models.Role{models.RoleAdmin}
	enrollers    = []models.Role{models.RoleAdmin, models.RoleReviewer, models.RoleMCNManager}
	creatorsOnly = []models.Role{models.RoleCreator}
	managersOnly = []models.Role{models.RoleMCNManager}
)

// apiClient is who uses the API group's routes: a system holding an API
// token, never a person (no user has this role, so requireRole lets nobody
// in with it). The group's middleware checks the token (web/api.go).
const apiClient models.Role = "api_token"

// Route is one entry of the route table: the access rule sits next to the path
// so it can be reviewed, and tested, in one place.
type Route struct {
	Method  string
	Path    string
	Allow   []models.Role // nil: public
	handler echo.HandlerFunc
	// Fresh routes want the password entered within the last 15 minutes.
	Fresh bool
}

func (s *Server) routeTable() []Route {
	return []Route{
		{http.MethodGet, "/healthz", public, s.healthz, false},
		{http.MethodGet, "/", public, s.home, false},
		{http.MethodGet, "/login", public, s.loginForm, false},
		{http.MethodPost, "/login", public, s.login, false},
		{http.MethodPost, "/logout", signedIn, s.logout, false},
		{http.MethodPost, "/language", public, s.setLanguage, false},
		{http.MethodGet, "/invite/:token", public, s.inviteForm, false},
		{http.MethodPost, "/invite/:token", public, s.acceptInvite, false},
		{http.MethodGet, "/reset/:token", public, s.resetForm, false},
		{http.MethodPost, "/reset/:token", public, s.resetUse, false},

		{http.MethodGet, "/dashboard", signedIn, s.dashboard, false},
		{http.MethodGet, "/me", creatorsOnly, s.me, false},
		{http.MethodGet, "/notifications", signedIn, s.notifications, false},
		{http.MethodPost, "/notifications/read", signedIn, s.notificationsReadAll, false},
		{http.MethodGet, "/reauth", signedIn, s.reauthForm, false},
		{http.MethodPost, "/reauth", signedIn, s.reauth, false},
		{http.MethodGet, "/account/password", signedIn, s.passwordForm, false},
		{http.MethodPost, "/account/password", signedIn, s.passwordChange, false},
		{http.MethodPost, "/transfers", managersOnly, s.transferRequest, false},
		{http.MethodPost, "/transfers/:id/decision", creatorsOnly, s.transferDecision, false},

		{http.MethodGet, "/creators", enrollers, s.creatorList, false},
		{http.MethodGet, "/creators/new", enrollers, s.creatorForm, false},
		{http.MethodPost, "/creators", enrollers, s.creatorCreate, false},
		{http.MethodGet, "/creators/import", enrollers, s.importForm, false},
		{http.MethodPost, "/creators/import", enrollers, s.importUpload, false},
		{http.MethodGet, "/creators/import/sample.csv", enrollers, s.importSample, false},
		{http.MethodGet, "/creators/import/:id", enrollers, s.importPreview, false},
		{http.MethodPost, "/creators/import/:id/confirm", enrollers, s.importConfirm, false},
		{http.MethodGet, "/creators/import/:id/failed.csv", enrollers, s.importFailed, false},
		{http.MethodGet, "/creators/next-pending", staff, s.nextPending, false},
		{http.MethodPost, "/creators/decisions", staff, s.creatorsBulkDecide, false},
		{http.MethodGet, "/creators/:id/resubmit", managersOnly, s.resubmitForm, false},
		{http.MethodPost, "/creators/:id/resubmit", managersOnly, s.resubmit, false},
		{http.MethodGet, "/creators/:id", enrollers, s.creatorDetail, false},
		{http.MethodPost, "/creators/:id/decision", staff, s.creatorDecide, false},
		{http.MethodPost, "/creators/:id/invitation", enrollers, s.creatorReinvite, false},
		{http.MethodPost, "/creators/:id/feature", staff, s.creatorFeature, false},
		{http.MethodPost, "/creators/:id/unfeature", staff, s.creatorUnfeature, false},
		{http.MethodGet, "/leaderboard", staff, s.leaderboard, false},
		{http.MethodPost, "/leaderboard/publish", staff, s.leaderboardPublish, false},
		{http.MethodGet, "/top-creators", public, s.topCreators, false},
		{http.MethodGet, "/impact", enrollers, s.impact, false},
		{http.MethodGet, "/impact.csv", enrollers, s.impactCSV, false},
		{http.MethodGet, "/impact.xlsx", enrollers, s.impactXLSX, false},
		{http.MethodGet, "/impact/agencies", staff, s.impactLeague, false},
		{http.MethodGet, "/impact/agencies.csv", staff, s.impactLeagueCSV, false},
		{http.MethodGet, "/impact/agencies.xlsx", staff, s.impactLeagueXLSX, false},

		{http.MethodGet, "/agencies", staff, s.agencyList, false},
		{http.MethodGet, "/agencies/new", staff, s.agencyNew, false},
		{http.MethodPost, "/agencies", staff, s.agencyCreate, false},
		{http.MethodGet, "/agencies/:id", enrollers, s.agencyDetail, false},
		{http.MethodGet, "/agencies/:id/edit", staff, s.agencyEdit, false},
		{http.MethodPost, "/agencies/:id", staff, s.agencyUpdate, false},
		{http.MethodPost, "/agencies/:id/managers", adminOnly, s.agencyAddManager, true},
		{http.MethodPost, "/agencies/:id/quota", staff, s.agencyQuotaSet, false},

		{http.MethodGet, "/audit", staff, s.auditList, false},

		{http.MethodPost, "/api/v1/performance", apiClients, s.apiPerformance, false},
		{http.MethodGet, "/performance/import", staff, s.performanceImportForm, false},
		{http.MethodPost, "/performance/import", staff, s.performanceImportUpload, false},
		{http.MethodGet, "/performance/import/sample.csv", staff, s.performanceSample, false},
		{http.MethodPost, "/performance/contents", staff, s.contentUpload, false},
		{http.MethodGet, "/performance/contents/sample.csv", staff, s.contentSample, false},
		{http.MethodGet, "/performance/import/:id", staff, s.performanceImportPreview, false},
		{http.MethodPost, "/performance/import/:id/confirm", staff, s.performanceImportConfirm, false},

		{http.MethodGet, "/bonuses", enrollers, s.bonusQueue, false},
		{http.MethodPost, "/bonuses/compute", staff, s.bonusCompute, false},
		{http.MethodPost, "/bonuses/decide", staff, s.bonusDecide, false},
		{http.MethodPost, "/bonuses/adjustments/decide", staff, s.adjustmentDecide, false},
		{http.MethodGet, "/bonuses/:id", enrollers, s.bonusDetail, false},
		{http.MethodPost, "/bonuses/:id/appeal", creatorsOnly, s.bonusAppeal, false},
		{http.MethodPost, "/bonuses/:id/appeal-decision", staff, s.bonusAppealDecision, false},
		{http.MethodGet, "/me/statement.csv", creatorsOnly, s.meStatement, false},
		{http.MethodGet, "/me/weeks/:week/history", creatorsOnly, s.meWeekHistory, false},
		{http.MethodGet, "/creators/:id/weeks/:week/history", enrollers, s.creatorWeekHistory, false},
		{http.MethodGet, mePayeePath, creatorsOnly, s.payeeForm, false},
		{http.MethodPost, mePayeePath, creatorsOnly, s.payeeSave, true}, // where money goes: the password again
		{http.MethodGet, agencyPayeePath, managersOnly, s.payeeForm, false},
		{http.MethodPost, agencyPayeePath, managersOnly, s.payeeSave, true},
		{http.MethodGet, "/payees", staff, s.payeeList, false},
		{http.MethodPost, "/payees/:id/verify", staff, s.payeeVerify, false},

		{http.MethodGet, "/mcn-bonuses", staff, s.mcnBonuses, false},
		{http.MethodPost, "/mcn-bonuses/compute", staff, s.mcnCompute, false},
		{http.MethodPost, "/mcn-bonuses/decide", staff, s.mcnDecide, false},
		{http.MethodPost, "/settings/mcn-rule", adminOnly, s.mcnRuleSave, true},

		{http.MethodGet, "/payouts", staff, s.payoutList, false},
		{http.MethodPost, "/payouts", staff, s.payoutCreate, false},
		{http.MethodGet, "/payouts/:id", staff, s.payoutDetail, false},
		{http.MethodPost, "/payouts/:id/freeze", staff, s.payoutFreeze, false},
		{http.MethodGet, "/payouts/:id/export.csv", staff, s.payoutExportCSV, true},
		{http.MethodGet, "/payouts/:id/export.xlsx", staff, s.payoutExportXLSX, true},
		{http.MethodGet, "/payouts/tax-report.csv", staff, s.taxReportCSV, false},
		{http.MethodGet, "/payouts/tax-report.xlsx", staff, s.taxReportXLSX, false},
		{http.MethodGet, "/agency/settlement", managersOnly, s.settlementForm, false},
		{http.MethodPost, "/agency/settlement", managersOnly, s.settlementSave, false},
		{http.MethodPost, "/settings/min-payout", adminOnly, s.minPayoutSave, false},
		{http.MethodPost, "/settings/holding-days", adminOnly, s.holdingDaysSave, false},
		{http.MethodPost, "/payouts/:id/paid", staff, s.payoutPaid, true},
		{http.MethodPost, "/payouts/:id/bank-result", staff, s.payoutBankResult, true},

		{http.MethodGet, "/invoices", enrollers, s.invoices, false},
		{http.MethodGet, "/invoices/new", managersOnly, s.invoiceForm, false},
		{http.MethodPost, "/invoices", managersOnly, s.invoiceRecord, false},
		{http.MethodGet, "/invoices/:id/pdf", enrollers, s.invoicePDF, false},
		{http.MethodPost, "/invoices/:id/confirm", staff, s.invoiceConfirm, false},
		{http.MethodPost, "/invoices/:id/reject", staff, s.invoiceReject, false},

		{http.MethodGet, "/settings", adminOnly, s.settings, false},
		{http.MethodPost, "/settings/subjects/:id", adminOnly, s.subjectUpdate, true},
		{http.MethodPost, "/settings/reasons", adminOnly, s.reasonCreate, true},
		{http.MethodPost, "/settings/reasons/:id", adminOnly, s.reasonUpdate, true},
		{http.MethodGet, "/settings/users", adminOnly, s.userList, false},
		{http.MethodPost, "/settings/users", adminOnly, s.userCreate, true},
		{http.MethodGet, "/settings/bonus-rule", adminOnly, s.bonusRuleForm, false},
		{http.MethodPost, "/settings/bonus-rule", adminOnly, s.bonusRuleSave, true},
		{http.MethodGet, "/settings/tax-rule", adminOnly, s.taxRuleForm, false},
		{http.MethodPost, "/settings/tax-rule", adminOnly, s.taxRulePropose, true},
		{http.MethodGet, "/settings/risk-thresholds", adminOnly, s.riskThresholdsForm, false},
		{http.MethodPost, "/settings/risk-thresholds", adminOnly, s.riskThresholdsPropose, true},
		{http.MethodGet, "/settings/pacing", adminOnly, s.pacingForm, false},
		{http.MethodPost, "/settings/pacing", adminOnly, s.pacingPropose, true},
		{http.MethodPost, "/settings/pools/:name", adminOnly, s.poolUpdate, true},
		{http.MethodPost, "/settings/confirm-thresholds", adminOnly, s.confirmThresholdsSave, true},
		{http.MethodPost, "/settings/programme-budget", adminOnly, s.programmeBudgetPropose, true},
		{http.MethodGet, "/settings/changes", adminOnly, s.changesList, false},
		{http.MethodPost, "/settings/changes/:id/approve", adminOnly, s.changeApprove, true},
		{http.MethodPost, "/settings/changes/:id/reject", adminOnly, s.changeReject, true},
		{http.MethodPost, "/settings/changes/:id/withdraw", adminOnly, s.changeWithdraw, false},
		{http.MethodGet, "/settings/api-tokens", adminOnly, s.apiTokens, false},
		{http.MethodPost, "/settings/api-tokens", adminOnly, s.apiTokenCreate, true},
		{http.MethodPost, "/settings/api-tokens/:id/revoke", adminOnly, s.apiTokenRevoke, true},
		{http.MethodPost, "/settings/users/:id/disabled", adminOnly, s.userDisabled, true},
		{http.MethodPost, "/settings/users/:id/reset", adminOnly, s.userReset, true},
	}
}

// Routes lists the route table, for the access-control tests.
func (s *Server) Routes() []Route { return s.routeTable() }

func (s *Server) register() {
	uploads := map[string]bool{"/creators/import": true, "/performance/import": true, "/performance/contents": true, "/payouts/:id/bank-result": true, "/api/v1/performance": true,
		"/invoices": true}
	formLimit, uploadLimit := middleware.BodyLimit("1M"), middleware.BodyLimit("12M")
	api := s.apiGroup()
	for _, r := range s.routeTable() {
		h := r.handler
		// Forms are small; only file uploads and the API may send more.
		if r.Method == http.MethodPost {
			if uploads[r.Path] {
				h = uploadLimit(h)
			} else {
				h = formLimit(h)
			}
		}
		if r.Fresh {
			h = s.requireFreshPassword(h)
		}
		if isAPIRoute(r) {
			if !strings.HasPrefix(r.Path, apiPrefix+"/") {
				panic("web: API route " + r.Path + " outside " + apiPrefix)
			}
			api.Add(r.Method, strings.TrimPrefix(r.Path, apiPrefix), h)
			continue
		}
		if strings.HasPrefix(r.Path, apiPrefix+"/") {
			panic("web: route " + r.Path + " in the API group must allow apiClients")
		}
		if r.Allow != nil {
			h = s.requireRole(r.Allow, h)
		}
		s.echo.Add(r.Method, r.Path, h)
	}
	if s.cfg.Static != nil {
		s.echo.StaticFS("/static", s.cfg.Static)
	}
}

// navFor is the main navigation a role sees: the links of views.NavLinks
// meant for its audience whose path the route table lets the role GET, so
// the navigation can never offer a role a page that would answer it 404.
func navFor(routes []Route, role models.Role) []views.NavItem {
	may := func(href string) bool {
		path, _, _ := strings.Cut(href, "?")
		for _, r := range routes {
			if r.Method == http.MethodGet && r.Path == path {
				return r.Allow == nil || slices.Contains(r.Allow, role)
			}
		}
		return false // no such page
	}
	var shown []views.NavLink
	for _, l := range views.NavLinks {
		if (l.For == views.ForStaff && !role.IsStaff()) || (l.For == views.ForTenant && role.IsStaff()) {
			continue
		}
		if may(l.Href) {
			shown = append(shown, l)
		}
	}
	replaced := map[string]bool{}
	for _, l := range shown {
		if l.Replaces != "" {
			replaced[l.Replaces] = true
		}
	}
	var out []views.NavItem
	for _, l := range shown {
		if !replaced[l.Key] {
			out = append(out, l.NavItem)
		}
	}
	return out
}

// isAPIRoute reports whether the route belongs to the API group.
func isAPIRoute(r Route) bool { return slices.Equal(r.Allow, apiClients) }

// requireRole sends the signed-out to the sign-in page and answers 404 to a
// signed-in user whose role may not use the route, so it reveals nothing.
func (s *Server) requireRole(allow []models.Role, next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := CurrentUser(c)
		if u == nil {
			target := "/login"
			if c.Request().Method == http.MethodGet {
				target += "?next=" + url.QueryEscape(c.Request().URL.RequestURI())
			}
			return c.Redirect(http.StatusSeeOther, target)
		}
		if !slices.Contains(allow, u.Role) {
			if err := s.store.AuditRefusal(c.Request().Context(), actor(c), c.Request().Method, c.Request().URL.Path); err != nil {
				s.log.Error("audit refusal", "err", err)
			}
			return echo.ErrNotFound
		}
		return next(c)
	}
}
