package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

type ctxKey int

const requestIDKey ctxKey = iota

// RequestID returns the id Log gave the request, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// Request ids are a random prefix chosen at start and a counter: unique
// in a process, unlikely to repeat across processes, and one allocation.
var (
	idPrefix  = randomPrefix()
	idCounter atomic.Uint64
)

func randomPrefix() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b) + "-"
}

func newID() string {
	var buf [32]byte
	return string(strconv.AppendUint(append(buf[:0], idPrefix...), idCounter.Add(1), 36))
}

// statusRecorder remembers the status a handler sent.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// Log gives every request an id, logs one line when it ends, and turns a
// panic into a 500 with the id, so one bad request never stops the server.
func Log(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := newID()
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey, id))
		defer func() {
			if p := recover(); p != nil {
				log.Error("panic", "request_id", id, "panic", fmt.Sprint(p), "path", r.URL.Path)
				if rec.status == 0 {
					http.Error(rec, "Internal error; reference "+id, http.StatusInternalServerError)
				}
			}
			// Checked first: building the line's attributes costs a dozen
			// allocations on every request, logged or not.
			if log.Enabled(r.Context(), slog.LevelDebug) {
				log.Debug("request", "request_id", id, "method", r.Method, "host", r.Host, "path", r.URL.Path,
					"status", rec.status, "bytes", rec.bytes, "duration", time.Since(start))
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

var (
	cspValue      = []string{"default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' https: data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"}
	referrerValue = []string{"strict-origin-when-cross-origin"}
	frameValue    = []string{"DENY"}
)

// SecurityHeaders sets the headers every public page carries: scripts,
// styles and fetches from the site itself only, no plugins, no framing.
func SecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The keys are in canonical form and the values shared (full
		// slices, so an Add elsewhere copies): no allocation per request.
		h := w.Header()
		h["Content-Security-Policy"] = cspValue
		h["Referrer-Policy"] = referrerValue
		h["X-Frame-Options"] = frameValue
		next.ServeHTTP(w, r)
	})
}
