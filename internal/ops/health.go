// Package ops is what operators and their tools ask of a running server:
// health endpoints for load balancers and orchestrators, and Prometheus
// metrics on an address of their own.
package ops

import (
	"context"
	"net/http"
	"time"
)

// Paths of the health endpoints. They answer on every host name, since
// load balancers probe by IP address.
const (
	HealthzPath = "/healthz"
	ReadyzPath  = "/readyz"
)

// ReadyTimeout bounds all of a readiness probe's checks together.
const ReadyTimeout = 2 * time.Second

// Check is one condition of readiness, such as "the database answers".
type Check struct {
	// Reason is the short text a failing probe answers, such as
	// "database unreachable". The check's error is never shown: it may
	// name hosts, users or files.
	Reason string
	// Run returns nil when the condition holds.
	Run func(ctx context.Context) error
}

// Health answers /healthz and /readyz on any host and passes every other
// request to next.
//
// /healthz answers 200 "ok" whenever the process serves requests. /readyz
// runs the checks in order, within ReadyTimeout, and answers 200 "ready"
// when all pass, or 503 with the first failing check's Reason.
func Health(next http.Handler, checks ...Check) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != HealthzPath && r.URL.Path != ReadyzPath {
			next.ServeHTTP(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			answer(w, r, http.StatusMethodNotAllowed, "method not allowed")
			return
		}
		switch r.URL.Path {
		case HealthzPath:
			answer(w, r, http.StatusOK, "ok")
		case ReadyzPath:
			if reason := ready(r.Context(), checks); reason != "" {
				answer(w, r, http.StatusServiceUnavailable, reason)
				return
			}
			answer(w, r, http.StatusOK, "ready")
		}
	})
}

// ready returns "" when every check passes, or the first failure's reason.
func ready(ctx context.Context, checks []Check) string {
	ctx, cancel := context.WithTimeout(ctx, ReadyTimeout)
	defer cancel()
	for _, c := range checks {
		if err := c.Run(ctx); err != nil {
			if c.Reason == "" {
				return "not ready"
			}
			return c.Reason
		}
	}
	return ""
}

func answer(w http.ResponseWriter, r *http.Request, status int, text string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write([]byte(text + "\n"))
	}
}
