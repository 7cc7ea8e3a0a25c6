package main

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"
)

// drainingHealth answers /healthz with 503 once draining is set, so a load
// balancer's health check takes the server out of rotation before it stops
// accepting connections; every other request is still served as usual.
func drainingHealth(next http.Handler, draining *atomic.Bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" && draining.Load() {
			http.Error(w, "draining", http.StatusServiceUnavailable)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// drain stops a server the way a balancer wants it: /healthz fails for delay
// while requests keep being served (the balancer notices and sends no more),
// then Shutdown closes the listener and waits up to timeout for the requests
// in flight. Idle connections are closed only after delay: closing one while
// the server is still in rotation could race a request the balancer sends on it.
// A second interrupt or SIGTERM (Ctrl-C again at a terminal) ends the delay at once.
func drain(hs *http.Server, draining *atomic.Bool, delay, timeout time.Duration, log *slog.Logger) error {
	draining.Store(true)
	if delay > 0 {
		again := make(chan os.Signal, 1)
		signal.Notify(again, os.Interrupt, syscall.SIGTERM)
		defer signal.Stop(again)
		log.Info("draining: /healthz answers 503, requests are still served", "delay", delay)
		select {
		case <-time.After(delay):
		case <-again:
		}
	}
	log.Info("shutting down", "timeout", timeout)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return hs.Shutdown(ctx)
}
