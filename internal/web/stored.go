package web

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Stored is a page kept with its precompressed variants, as the page
// store holds it.
type Stored struct {
	ContentType, ETag, CacheControl string
	Body, Gzip, Brotli              []byte
}

// WriteStored sends the variant of s the client prefers (brotli, gzip or
// none, by Accept-Encoding with its q-values), each with its own strong
// ETag, answering If-None-Match with 304 and HEAD without a body. Range
// requests get the whole page: pages are small, and RFC 9110 lets a server
// ignore Range.
func WriteStored(w http.ResponseWriter, r *http.Request, s Stored) {
	// Header values that do not change are shared, not made per request
	// (canonical keys, full slices): this is the path every stored page
	// takes.
	h := w.Header()
	h["Content-Type"] = sharedValue(s.ContentType)
	if s.CacheControl != "" {
		h["Cache-Control"] = sharedValue(s.CacheControl)
	}
	h["X-Content-Type-Options"] = nosniffValue
	body, tag := s.Body, s.ETag
	if len(s.Gzip) > 0 || len(s.Brotli) > 0 {
		h["Vary"] = append(h["Vary"], "Accept-Encoding")
		switch Preferred(r.Header.Get("Accept-Encoding"), len(s.Brotli) > 0, len(s.Gzip) > 0) {
		case "br":
			body, tag = s.Brotli, variantTag(s.ETag, "br")
			h["Content-Encoding"] = brValue
		case "gzip":
			body, tag = s.Gzip, variantTag(s.ETag, "gz")
			h["Content-Encoding"] = gzipValue
		}
	}
	h.Set("ETag", tag)
	if matchAny(r.Header.Get("If-None-Match"), tag) {
		h.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

var (
	nosniffValue = []string{"nosniff"}
	brValue      = []string{"br"}
	gzipValue    = []string{"gzip"}
	shared       sync.Map // string → []string, for the few content types and cache policies in use
)

// sharedValue is a header value as a shared one-element slice.
func sharedValue(v string) []string {
	if s, ok := shared.Load(v); ok {
		return s.([]string)
	}
	s, _ := shared.LoadOrStore(v, []string{v})
	return s.([]string)
}

// variantTag derives a compressed variant's strong tag from the page's.
func variantTag(tag, suffix string) string { return strings.TrimSuffix(tag, `"`) + "-" + suffix + `"` }

// matchAny reports whether an If-None-Match header names tag (weak
// comparison, as RFC 9110 asks for this header) or is "*".
func matchAny(header, tag string) bool {
	if header == "" {
		return false
	}
	if len(header) > 8<<10 {
		header = header[:8<<10]
	}
	bare := strings.TrimPrefix(tag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == bare {
			return true
		}
	}
	return false
}

// Preferred picks the encoding to send from an Accept-Encoding header:
// "br", "gzip" or "" (none), by the header's q-values, preferring brotli,
// then gzip, then none among equals. A malformed element is ignored; an
// unknown coding or "*" counts as given. With no header, none.
func Preferred(header string, haveBr, haveGzip bool) string {
	if header == "" {
		return ""
	}
	if len(header) > 4<<10 {
		header = header[:4<<10]
	}
	// The q-values of br, gzip, identity and *; -1 when not given. No
	// allocation: this runs for every stored page.
	qBr, qGzip, qIdentity, qStar := -1.0, -1.0, -1.0, -1.0
	for rest := header; rest != ""; {
		var part string
		part, rest, _ = strings.Cut(rest, ",")
		name, params, _ := strings.Cut(part, ";")
		name = strings.TrimSpace(name)
		v := 1.0
		if params = strings.TrimSpace(params); params != "" {
			qs, ok := strings.CutPrefix(params, "q=")
			if !ok {
				qs, ok = strings.CutPrefix(params, "Q=")
			}
			f, err := strconv.ParseFloat(strings.TrimSpace(qs), 64)
			if !ok || err != nil || f < 0 || f > 1 {
				continue // malformed: as if absent
			}
			v = f
		}
		switch {
		case name == "*":
			qStar = max(qStar, v)
		case strings.EqualFold(name, "br"):
			qBr = max(qBr, v)
		case strings.EqualFold(name, "gzip"), strings.EqualFold(name, "x-gzip"):
			qGzip = max(qGzip, v)
		case strings.EqualFold(name, "identity"):
			qIdentity = max(qIdentity, v)
		}
	}
	weight := func(q float64, identity bool) float64 {
		switch {
		case q >= 0:
			return q
		case qStar >= 0:
			return qStar
		case identity:
			return 0.001 // acceptable unless refused, but the least wanted
		}
		return 0
	}
	best, bestQ := "", weight(qIdentity, true)
	if g := weight(qGzip, false); haveGzip && g > 0 && g >= bestQ {
		best, bestQ = "gzip", g
	}
	if b := weight(qBr, false); haveBr && b > 0 && b >= bestQ {
		best = "br"
	}
	return best
}
