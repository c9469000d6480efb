package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"":                     false,
		"gzip":                 true,
		"GZIP":                 true,
		"deflate, gzip;q=1.0":  true,
		"br":                   false,
		"gzip;q=0":             false,
		"gzip; q=0":            false,
		"*":                    true,
		"identity, gzip;q=0.5": true,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v; want %v", header, got, want)
		}
	}
}

func TestWrite(t *testing.T) {
	body := []byte(strings.Repeat("<p>Statement.</p>", 100))
	page := Page{ContentType: "text/html; charset=utf-8", Body: body}
	get := func(headers ...string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		for i := 0; i+1 < len(headers); i += 2 {
			r.Header.Set(headers[i], headers[i+1])
		}
		w := httptest.NewRecorder()
		Write(w, r, page)
		return w
	}
	plain := get()
	tag := plain.Header().Get("ETag")
	if plain.Code != 200 || plain.Body.Len() != len(body) || tag != ETag(body) {
		t.Fatalf("plain: %d, %d bytes, tag %s", plain.Code, plain.Body.Len(), tag)
	}
	for _, inm := range []string{tag, "W/" + tag, `"other", ` + tag, "*"} {
		if w := get("If-None-Match", inm); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
			t.Errorf("If-None-Match %s: %d", inm, w.Code)
		}
	}
	if w := get("If-None-Match", `"stale"`); w.Code != 200 {
		t.Errorf("stale tag: %d", w.Code)
	}
	gz := get("Accept-Encoding", "gzip")
	if gz.Header().Get("Content-Encoding") != "gzip" || gz.Header().Get("ETag") == tag || gz.Body.Len() >= len(body) {
		t.Fatalf("gzip: %v, %d bytes", gz.Header(), gz.Body.Len())
	}
	small := Page{ContentType: "text/plain", Body: []byte("tiny")}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Accept-Encoding", "gzip")
	w := httptest.NewRecorder()
	Write(w, r, small)
	if w.Header().Get("Content-Encoding") != "" {
		t.Fatal("a tiny body was compressed")
	}
	notFound := Page{Status: 404, ContentType: "text/html", Body: body}
	w = httptest.NewRecorder()
	Write(w, httptest.NewRequest(http.MethodGet, "/", nil), notFound)
	if w.Code != 404 || w.Header().Get("ETag") != "" {
		t.Fatalf("404 page: %d, ETag %q; want no validator on an error page", w.Code, w.Header().Get("ETag"))
	}
}
