// Package web is the HTTP plumbing shared by the site's areas: writing a
// rendered page with validators and compression, and the middleware every
// request passes through.
package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Page is a fully rendered response body.
type Page struct {
	Status      int // Optional. Default is 200.
	ContentType string
	Body        []byte
	// CacheControl is sent as is. Optional.
	CacheControl string
}

// minGzip is the size under which compressing costs more than it saves.
const minGzip = 512

var gzipPool = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression); return w }}

// ETag returns a strong validator for body.
func ETag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
}

// Write sends p with a strong ETag, answering a matching If-None-Match with
// 304 Not Modified, and compresses text with gzip when the client accepts
// it. HEAD requests get the headers without the body.
func Write(w http.ResponseWriter, r *http.Request, p Page) {
	status := p.Status
	if status == 0 {
		status = http.StatusOK
	}
	h := w.Header()
	h.Set("Content-Type", p.ContentType)
	if p.CacheControl != "" {
		h.Set("Cache-Control", p.CacheControl)
	}
	h.Set("X-Content-Type-Options", "nosniff")
	compressible := isText(p.ContentType) && len(p.Body) >= minGzip
	if compressible {
		h.Add("Vary", "Accept-Encoding")
	}
	if status == http.StatusOK {
		tag := ETag(p.Body)
		h.Set("ETag", tag)
		if match(r.Header.Get("If-None-Match"), tag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	body := p.Body
	if compressible && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		var buf bytes.Buffer
		zw := gzipPool.Get().(*gzip.Writer)
		zw.Reset(&buf)
		zw.Write(body)
		zw.Close()
		gzipPool.Put(zw)
		body = buf.Bytes()
		h.Set("Content-Encoding", "gzip")
		if tag := h.Get("ETag"); tag != "" {
			// The compressed bytes differ, so they need their own strong tag.
			h.Set("ETag", strings.TrimSuffix(tag, `"`)+`-gz"`)
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

func isText(ct string) bool {
	return strings.HasPrefix(ct, "text/") || strings.Contains(ct, "json") || strings.Contains(ct, "xml") || strings.Contains(ct, "javascript")
}

// match reports whether an If-None-Match header names tag, with or without
// the gzip suffix Write adds (RFC 9110 weak comparison).
func match(header, tag string) bool {
	if header == "" {
		return false
	}
	if strings.TrimSpace(header) == "*" {
		return true
	}
	bare := strings.TrimPrefix(tag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == bare || t == strings.TrimSuffix(bare, `"`)+`-gz"` {
			return true
		}
	}
	return false
}

// acceptsGzip reads an Accept-Encoding header, honouring "gzip;q=0".
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.TrimSpace(name) != "*" {
			continue
		}
		params = strings.ReplaceAll(params, " ", "")
		if q, ok := strings.CutPrefix(params, "q="); ok {
			if v, err := strconv.ParseFloat(q, 64); err == nil && v == 0 {
				return false
			}
		}
		return true
	}
	return false
}
