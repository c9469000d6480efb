package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestPreferred(t *testing.T) {
	for _, tt := range []struct {
		header string
		br, gz bool
		want   string
	}{
		{"", true, true, ""},
		{"gzip, br", true, true, "br"},
		{"gzip, br", false, true, "gzip"},
		{"gzip, br", false, false, ""},
		{"br;q=0.5, gzip;q=0.9", true, true, "gzip"},
		{"br;q=0", true, true, ""},
		{"*", true, true, "br"},
		{"*;q=0", true, true, ""},
		{"identity;q=0, gzip;q=0.1", true, true, "gzip"},
		{"x-gzip", false, true, "gzip"},
		{"br;q=2", true, true, ""},
		{"br;q=-1, gzip", true, true, "gzip"},
		{"br; q=0.8", true, true, "br"},
		{"deflate", true, true, ""},
	} {
		if got := Preferred(tt.header, tt.br, tt.gz); got != tt.want {
			t.Errorf("Preferred(%q, br %v, gzip %v) = %q; want %q", tt.header, tt.br, tt.gz, got, tt.want)
		}
	}
}

// FuzzWriteStored sends a stored page to requests with arbitrary
// Accept-Encoding, If-None-Match and Range headers: the answer is always
// 200 with one of the page's variants, or 304.
func FuzzWriteStored(f *testing.F) {
	for _, s := range []string{"gzip", "br;q=abc", "*;q=0", `"x"`, "bytes=0-1", strings.Repeat("gzip,", 100), "\x00\xff"} {
		f.Add(s, s, s)
	}
	page := Stored{ContentType: "text/html; charset=utf-8", ETag: `"abc"`, Body: []byte("plain"), Gzip: []byte("gz"), Brotli: []byte("br")}
	f.Fuzz(func(t *testing.T, accept, inm, rng string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header["Accept-Encoding"] = []string{accept}
		r.Header["If-None-Match"] = []string{inm}
		r.Header["Range"] = []string{rng}
		w := httptest.NewRecorder()
		WriteStored(w, r, page)
		switch w.Code {
		case http.StatusNotModified:
		case http.StatusOK:
			body := map[string]string{"": "plain", "gzip": "gz", "br": "br"}[w.Header().Get("Content-Encoding")]
			if w.Body.String() != body {
				t.Fatalf("encoding %q with body %q", w.Header().Get("Content-Encoding"), w.Body.String())
			}
		default:
			t.Fatalf("status %d", w.Code)
		}
	})
}
