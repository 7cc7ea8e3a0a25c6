package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/jd/creator-portal/models"
)

// Who may use a route. nil means anyone, signed in or not.
var (
	public       []models.Role
	signedIn     = models.Roles
	staff        = []models.Role{models.RoleAdmin, models.RoleReviewer}
	adminOnly    = []models.Role{models.RoleAdmin}
	enrollers    = []models.Role{models.RoleAdmin, models.RoleReviewer, models.RoleMCNManager}
	creatorsOnly = []models.Role{models.RoleCreator}
	managersOnly = []models.Role{models.RoleMCNManager}
)

// Route is one entry of the route table: the access rule sits next to the path
// so it can be reviewed, and tested, in one place.
type Route struct {
	Method  string
	Path    string
	Allow   []models.Role // nil: public
	handler echo.HandlerFunc
}

func (s *Server) routeTable() []Route {
	return []Route{
		{http.MethodGet, "/healthz", public, s.healthz},
		{http.MethodGet, "/", public, s.home},
		{http.MethodGet, "/login", public, s.loginForm},
		{http.MethodPost, "/login", public, s.login},
		{http.MethodPost, "/logout", signedIn, s.logout},
		{http.MethodGet, "/invite/:token", public, s.inviteForm},
		{http.MethodPost, "/invite/:token", public, s.acceptInvite},

		{http.MethodGet, "/dashboard", signedIn, s.dashboard},
		{http.MethodGet, "/me", creatorsOnly, s.me},
		{http.MethodGet, "/notifications", signedIn, s.notifications},
		{http.MethodPost, "/transfers", managersOnly, s.transferRequest},
		{http.MethodPost, "/transfers/:id/decision", creatorsOnly, s.transferDecision},

		{http.MethodGet, "/creators", enrollers, s.creatorList},
		{http.MethodGet, "/creators/new", enrollers, s.creatorForm},
		{http.MethodPost, "/creators", enrollers, s.creatorCreate},
		{http.MethodGet, "/creators/import", enrollers, s.importForm},
		{http.MethodPost, "/creators/import", enrollers, s.importUpload},
		{http.MethodGet, "/creators/import/sample.csv", enrollers, s.importSample},
		{http.MethodGet, "/creators/import/:id", enrollers, s.importPreview},
		{http.MethodPost, "/creators/import/:id/confirm", enrollers, s.importConfirm},
		{http.MethodGet, "/creators/:id", enrollers, s.creatorDetail},
		{http.MethodPost, "/creators/:id/decision", staff, s.creatorDecide},
		{http.MethodPost, "/creators/:id/invitation", enrollers, s.creatorReinvite},
		{http.MethodPost, "/creators/:id/feature", staff, s.creatorFeature},
		{http.MethodPost, "/creators/:id/unfeature", staff, s.creatorUnfeature},
		{http.MethodGet, "/leaderboard", staff, s.leaderboard},
		{http.MethodPost, "/leaderboard/publish", staff, s.leaderboardPublish},
		{http.MethodGet, "/top-creators", public, s.topCreators},

		{http.MethodGet, "/agencies", staff, s.agencyList},
		{http.MethodGet, "/agencies/new", staff, s.agencyNew},
		{http.MethodPost, "/agencies", staff, s.agencyCreate},
		{http.MethodGet, "/agencies/:id", enrollers, s.agencyDetail},
		{http.MethodGet, "/agencies/:id/edit", staff, s.agencyEdit},
		{http.MethodPost, "/agencies/:id", staff, s.agencyUpdate},
		{http.MethodPost, "/agencies/:id/managers", staff, s.agencyAddManager},
		{http.MethodPost, "/agencies/:id/quota", staff, s.agencyQuotaSet},

		{http.MethodGet, "/audit", staff, s.auditList},

		{http.MethodPost, "/api/v1/performance", public, s.apiPerformance}, // token-authenticated inside
		{http.MethodGet, "/performance/import", staff, s.performanceImportForm},
		{http.MethodPost, "/performance/import", staff, s.performanceImportUpload},
		{http.MethodGet, "/performance/import/sample.csv", staff, s.performanceSample},
		{http.MethodGet, "/performance/import/:id", staff, s.performanceImportPreview},
		{http.MethodPost, "/performance/import/:id/confirm", staff, s.performanceImportConfirm},

		{http.MethodGet, "/bonuses", enrollers, s.bonusQueue},
		{http.MethodPost, "/bonuses/compute", staff, s.bonusCompute},
		{http.MethodPost, "/bonuses/decide", staff, s.bonusDecide},
		{http.MethodGet, "/bonuses/:id", enrollers, s.bonusDetail},
		{http.MethodPost, "/bonuses/:id/appeal", creatorsOnly, s.bonusAppeal},
		{http.MethodPost, "/bonuses/:id/appeal-decision", staff, s.bonusAppealDecision},
		{http.MethodGet, "/me/statement.csv", creatorsOnly, s.meStatement},

		{http.MethodGet, "/mcn-bonuses", staff, s.mcnBonuses},
		{http.MethodPost, "/mcn-bonuses/compute", staff, s.mcnCompute},
		{http.MethodPost, "/mcn-bonuses/decide", staff, s.mcnDecide},
		{http.MethodPost, "/settings/mcn-rule", adminOnly, s.mcnRuleSave},

		{http.MethodGet, "/payouts", staff, s.payoutList},
		{http.MethodPost, "/payouts", staff, s.payoutCreate},
		{http.MethodGet, "/payouts/:id", staff, s.payoutDetail},
		{http.MethodGet, "/payouts/:id/export.csv", staff, s.payoutExportCSV},
		{http.MethodGet, "/payouts/:id/export.xlsx", staff, s.payoutExportXLSX},
		{http.MethodPost, "/payouts/:id/paid", staff, s.payoutPaid},
		{http.MethodPost, "/payouts/:id/bank-result", staff, s.payoutBankResult},

		{http.MethodGet, "/settings", adminOnly, s.settings},
		{http.MethodPost, "/settings/subjects/:id", adminOnly, s.subjectUpdate},
		{http.MethodPost, "/settings/reasons", adminOnly, s.reasonCreate},
		{http.MethodPost, "/settings/reasons/:id", adminOnly, s.reasonUpdate},
		{http.MethodGet, "/settings/users", adminOnly, s.userList},
		{http.MethodPost, "/settings/users", adminOnly, s.userCreate},
		{http.MethodGet, "/settings/bonus-rule", adminOnly, s.bonusRuleForm},
		{http.MethodPost, "/settings/bonus-rule", adminOnly, s.bonusRuleSave},
		{http.MethodPost, "/settings/pools/:name", adminOnly, s.poolUpdate},
		{http.MethodGet, "/settings/api-tokens", adminOnly, s.apiTokens},
		{http.MethodPost, "/settings/api-tokens", adminOnly, s.apiTokenCreate},
		{http.MethodPost, "/settings/api-tokens/:id/revoke", adminOnly, s.apiTokenRevoke},
	}
}

// Routes lists the route table, for the access-control tests.
func (s *Server) Routes() []Route { return s.routeTable() }

func (s *Server) register() {
	for _, r := range s.routeTable() {
		h := r.handler
		if r.Allow != nil {
			h = requireRole(r.Allow, h)
		}
		s.echo.Add(r.Method, r.Path, h)
	}
	if s.cfg.Static != nil {
		s.echo.StaticFS("/static", s.cfg.Static)
	}
}

// requireRole sends the signed-out to the sign-in page and answers 404 to a
// signed-in user whose role may not use the route, so it reveals nothing.
func requireRole(allow []models.Role, next echo.HandlerFunc) echo.HandlerFunc {
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
			return echo.ErrNotFound
		}
		return next(c)
	}
}
