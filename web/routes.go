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

		{http.MethodGet, "/agencies", staff, s.agencyList},
		{http.MethodGet, "/agencies/new", staff, s.agencyNew},
		{http.MethodPost, "/agencies", staff, s.agencyCreate},
		{http.MethodGet, "/agencies/:id", enrollers, s.agencyDetail},
		{http.MethodGet, "/agencies/:id/edit", staff, s.agencyEdit},
		{http.MethodPost, "/agencies/:id", staff, s.agencyUpdate},
		{http.MethodPost, "/agencies/:id/managers", staff, s.agencyAddManager},

		{http.MethodGet, "/audit", staff, s.auditList},

		{http.MethodGet, "/settings", adminOnly, s.settings},
		{http.MethodPost, "/settings/subjects/:id", adminOnly, s.subjectUpdate},
		{http.MethodPost, "/settings/reasons", adminOnly, s.reasonCreate},
		{http.MethodPost, "/settings/reasons/:id", adminOnly, s.reasonUpdate},
		{http.MethodGet, "/settings/users", adminOnly, s.userList},
		{http.MethodPost, "/settings/users", adminOnly, s.userCreate},
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
