package web

import (
	"context"
	"time"

	"github.com/labstack/echo/v4/middleware"

	"github.com/jd/creator-portal/models"
)

// apiRateLimit is every token's budget: APIRequestsPerSecond with APIBurst on top.
var apiRateLimit = models.RateLimit{PerSecond: APIRequestsPerSecond, Burst: APIBurst}

// apiRateStore keeps the API's per-token budgets. On PostgreSQL they are in
// the database, so a fleet of servers behind a balancer shares them (one
// upsert per API request); on SQLite, where one server runs and every write
// waits for the single writer, they stay in this process's memory.
func (s *Server) apiRateStore() middleware.RateLimiterStore {
	if s.store.Driver() == "postgres" {
		return sharedRateStore{store: s.store}
	}
	return middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate: APIRequestsPerSecond, Burst: APIBurst, ExpiresIn: 3 * time.Minute})
}

// sharedRateStore is Echo's rate-limiter store backed by the database.
type sharedRateStore struct{ store *models.Store }

// Allow takes one request from the token's budget. Echo's interface passes
// no context: the wait for the database is bounded here instead.
func (r sharedRateStore) Allow(identifier string) (bool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return r.store.AllowAPIRequest(ctx, identifier, apiRateLimit)
}
