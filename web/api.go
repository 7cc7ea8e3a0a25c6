package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/jd/creator-portal/models"
)

// apiPrefix is where the API group lives. Its routes are listed in the route
// table with apiClients as who may use them.
const apiPrefix = "/api/v1"

// API rate limit per token: a feed may send bursts, but not flood the portal.
const (
	APIRequestsPerSecond = 5
	APIBurst             = 20
)

// apiError is the body of every API answer that is not a success.
type apiError struct {
	Error  string          `json:"error"`
	Errors []apiRowProblem `json:"errors,omitempty"`
}

// Context keys the API middleware sets for the handlers and the rate limiter.
const (
	ctxAPIActor = "api_actor"
	ctxAPIToken = "api_token_key"
)

// apiGroup is the API: systems, not people, each authenticated by a bearer
// token (no session, no CSRF: the CSRF middleware skips /api/) and limited to
// APIRequestsPerSecond per token by Echo's rate limiter (shared by every
// server on PostgreSQL: see apiRateStore). The token is checked
// first, so an unknown token costs the limiter nothing and cannot exhaust a
// real token's budget.
func (s *Server) apiGroup() *echo.Group {
	limiter := middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store: s.apiRateStore(),
		IdentifierExtractor: func(c echo.Context) (string, error) {
			key, ok := c.Get(ctxAPIToken).(string)
			if !ok {
				return "", errors.New("no API token in the request context")
			}
			return key, nil
		},
		ErrorHandler: func(c echo.Context, err error) error { return err }, // a 500: requireAPIToken always runs first
		DenyHandler: func(c echo.Context, _ string, err error) error {
			if err != nil { // the shared budget could not be read: a 500, not a false 429
				return err
			}
			// A token refills at APIRequestsPerSecond: one second is always enough.
			c.Response().Header().Set("Retry-After", "1")
			return c.JSON(http.StatusTooManyRequests, apiError{Error: fmt.Sprintf("too many requests for this token; at most %d a second", APIRequestsPerSecond)})
		},
	})
	return s.echo.Group(apiPrefix, s.requireAPIToken, limiter)
}

// requireAPIToken lets a request through only with a valid, unrevoked API
// token in `Authorization: Bearer <token>`; a session cookie counts for nothing.
func (s *Server) requireAPIToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
		token = strings.TrimSpace(token)
		if !ok || token == "" {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, "Bearer")
			return c.JSON(http.StatusUnauthorized, apiError{Error: "send an API token as Authorization: Bearer <token>"})
		}
		a, err := s.store.AuthenticateAPIToken(c.Request().Context(), token, c.RealIP())
		if err != nil {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer error="invalid_token"`)
			return c.JSON(http.StatusUnauthorized, apiError{Error: "the API token is unknown or revoked"})
		}
		// The limiter keys on a digest of the token, so the secret itself is not kept as a map key.
		sum := sha256.Sum256([]byte(token))
		c.Set(ctxAPIToken, hex.EncodeToString(sum[:]))
		c.Set(ctxAPIActor, a)
		return next(c)
	}
}

// apiActor is the system behind the request's API token (set by requireAPIToken).
func apiActor(c echo.Context) *models.Actor {
	a, _ := c.Get(ctxAPIActor).(*models.Actor)
	return a
}
