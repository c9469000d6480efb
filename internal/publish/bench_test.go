package publish_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"chancery/internal/store/sqlite"
	"chancery/internal/web"
)

// BenchmarkServeStored is one reader's request for a stored article page
// through the middleware serve puts in front: the cost that page
// throughput divides the CPU by.
func BenchmarkServeStored(b *testing.B) {
	st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "chancery.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	w := newWorld(b, st)
	h := web.Log(slog.New(slog.NewTextHandler(io.Discard, nil)), web.SecurityHeaders(w.server))
	path := w.statement.Path
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "http://"+host+path, nil))
	r := httptest.NewRequest(http.MethodGet, "http://"+host+path, nil)
	r.Header.Set("Accept-Encoding", "gzip, br")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}
