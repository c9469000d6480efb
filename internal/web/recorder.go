package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TextPath reports whether an address path is text a database can look
// up: valid UTF-8 without control characters (PostgreSQL refuses a NUL
// in text; no page's address holds one). Any other path is not found.
func TextPath(p string) bool {
	return utf8.ValidString(p) && !strings.ContainsFunc(p, unicode.IsControl)
}

// PageRequest is a plain GET of path on host, made in process (by a
// publish, on a page store miss, by the export) as the server would have
// received it: path is decoded, as URL.Path is, and every character of
// it stays there — a "?", "#" or "%" in it is part of the path, not the
// start of a query, a fragment or an escape.
func PageRequest(ctx context.Context, host, path string) *http.Request {
	u := &url.URL{Scheme: "http", Host: host, Path: path}
	r := &http.Request{Method: http.MethodGet, URL: u, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{}, Body: http.NoBody, Host: host, RequestURI: u.RequestURI()}
	return r.WithContext(ctx)
}

// Recorder keeps what a handler writes, for pages rendered in process
// (by a publish, on a page store miss, by the export).
type Recorder struct {
	// Status is the status written; 200 when the handler wrote a body
	// without one; 0 when it wrote nothing.
	Status int
	Head   http.Header
	Body   bytes.Buffer
}

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder { return &Recorder{Head: http.Header{}} }

// Header returns the header the handler sets.
func (r *Recorder) Header() http.Header { return r.Head }

// Write keeps b, answering 200 when no status was written.
func (r *Recorder) Write(b []byte) (int, error) {
	if r.Status == 0 {
		r.Status = http.StatusOK
	}
	return r.Body.Write(b)
}

// WriteHeader keeps the first status written.
func (r *Recorder) WriteHeader(code int) {
	if r.Status == 0 {
		r.Status = code
	}
}
