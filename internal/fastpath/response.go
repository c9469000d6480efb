package fastpath

import (
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// response is the fast loop's http.ResponseWriter, reused request after
// request. It sends the head with the first body bytes (one writev) when
// the handler gave a Content-Length, and otherwise keeps the body until
// the handler returns and sends it with its length (where net/http would
// send a body of more than 2 KB in chunks). It writes the head as
// net/http does (the same status line, the handler's headers sorted, Date,
// the Content-Length and Content-Type net/http would add, and "Connection:
// close" when the connection ends after it); it has no Flush or Hijack.
type response struct {
	c       *conn
	header  http.Header
	isHead  bool
	status  int
	length  int64 // the handler's Content-Length; -1 when none
	written int64
	sent    bool   // the head has gone out
	body    []byte // kept until the handler returns, when length is -1
	close   bool   // the connection ends after this answer
	err     error  // a write failed: the connection ends

	head []byte
	keys []string
	bufs net.Buffers
	pair [2][]byte
}

// start readies w for an answer to req.
func (w *response) start(req *http.Request) {
	if w.header == nil {
		w.header = http.Header{}
	}
	clear(w.header)
	w.isHead = req.Method == http.MethodHead
	w.status, w.length, w.written, w.sent = 0, -1, 0, false
	w.body = w.body[:0]
	w.close = req.Close
}

func (w *response) Header() http.Header { return w.header }

func (w *response) WriteHeader(code int) {
	if code < 100 || code > 999 {
		panic("invalid WriteHeader code " + strconv.Itoa(code)) // as net/http
	}
	if w.status != 0 {
		w.c.s.logf("fastpath: superfluous WriteHeader(%d) after %d", code, w.status)
		return
	}
	if code < 200 && code != http.StatusSwitchingProtocols {
		w.interim(code)
		return
	}
	w.status = code
	if cl := w.header.Get("Content-Length"); cl != "" {
		if v, err := strconv.ParseInt(cl, 10, 64); err == nil && v >= 0 {
			w.length = v
		} else {
			w.c.s.logf("fastpath: invalid Content-Length of %q", cl)
			w.header.Del("Content-Length")
		}
	}
}

func (w *response) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if w.err != nil {
		return 0, w.err
	}
	if !bodyAllowed(w.status) {
		return 0, http.ErrBodyNotAllowed
	}
	if w.length >= 0 && w.written+int64(len(p)) > w.length {
		return 0, http.ErrContentLength
	}
	w.written += int64(len(p))
	switch {
	case w.length < 0:
		w.body = append(w.body, p...) // a HEAD's too: its length is the head's
	case w.isHead:
	case !w.sent:
		w.send(p)
	default:
		_, w.err = w.c.nc.Write(p)
	}
	if w.err != nil {
		return 0, w.err
	}
	return len(p), nil
}

// finish sends what the handler left unsent, after it returned.
func (w *response) finish() {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if !w.sent && w.err == nil {
		w.send(w.body)
	}
	if !w.isHead && w.length >= 0 && bodyAllowed(w.status) && w.written != w.length {
		w.close = true // short of its length: the client would wait for the rest
	}
}

// send writes the head and body in one go.
func (w *response) send(body []byte) {
	w.sent = true
	w.writeHead(body)
	w.pair[0], w.pair[1] = w.head, body
	if w.isHead || !bodyAllowed(w.status) {
		w.pair[1] = nil
	}
	w.bufs = w.pair[:]
	_, w.err = w.bufs.WriteTo(w.c.nc)
}

// interim sends a 1xx answer at once, as net/http does.
func (w *response) interim(code int) {
	w.head = appendStatus(w.head[:0], code)
	w.head = w.appendHeaders(w.head, func(k string) bool { return k == "Content-Length" || k == "Transfer-Encoding" })
	w.head = append(w.head, "\r\n"...)
	if _, err := w.c.nc.Write(w.head); err != nil && w.err == nil {
		w.err = err
	}
}

// writeHead builds the head into w.head, with body the first (or only)
// body bytes, as net/http's chunkWriter.writeHeader does for a response
// with a known length.
func (w *response) writeHead(body []byte) {
	h := w.header
	allowed := bodyAllowed(w.status)
	// The headers net/http leaves out, and those this answer sets.
	skip := func(k string) bool {
		switch k {
		case "Transfer-Encoding":
			return true // the length is always known here
		case "Content-Length":
			return !allowed
		case "Content-Type":
			return w.status == http.StatusNotModified
		case "Connection":
			return w.close && !hasToken(h.Get("Connection"), "close")
		}
		return false
	}
	var length, sniffed string
	if allowed && w.length < 0 && (!w.isHead || len(body) > 0) {
		length = strconv.Itoa(len(body))
	}
	if _, haveType := h["Content-Type"]; allowed && !haveType && h.Get("Content-Encoding") == "" && len(body) > 0 {
		sniffed = http.DetectContentType(body)
	}
	if hasToken(h.Get("Connection"), "close") || w.c.s.closing.Load() {
		w.close = true
	}

	b := appendStatus(w.head[:0], w.status)
	b = w.appendHeaders(b, skip)
	if _, ok := h["Date"]; !ok {
		b = append(b, "Date: "...)
		b = appendDate(b)
		b = append(b, "\r\n"...)
	}
	if length != "" {
		b = append(b, "Content-Length: "...)
		b = append(b, length...)
		b = append(b, "\r\n"...)
	}
	if sniffed != "" {
		b = append(b, "Content-Type: "...)
		b = append(b, sniffed...)
		b = append(b, "\r\n"...)
	}
	if w.close && !hasToken(h.Get("Connection"), "close") {
		b = append(b, "Connection: close\r\n"...)
	}
	w.head = append(b, "\r\n"...)
}

// appendHeaders writes the handler's headers but those skip names, by
// sorted name, with the cleaning net/http applies: names that are not
// tokens are left out, line breaks in values become spaces and values
// are trimmed.
func (w *response) appendHeaders(b []byte, skip func(string) bool) []byte {
	w.keys = w.keys[:0]
	for k := range w.header {
		if !skip(k) && token(k) {
			w.keys = append(w.keys, k)
		}
	}
	slices.Sort(w.keys)
	for _, k := range w.keys {
		for _, v := range w.header[k] {
			if strings.ContainsAny(v, "\r\n") {
				v = strings.NewReplacer("\r", " ", "\n", " ").Replace(v)
			}
			b = append(b, k...)
			b = append(b, ": "...)
			b = append(b, strings.Trim(v, " \t\r\n")...)
			b = append(b, "\r\n"...)
		}
	}
	return b
}

func appendStatus(b []byte, code int) []byte {
	b = append(b, "HTTP/1.1 "...)
	b = strconv.AppendInt(b, int64(code), 10)
	b = append(b, ' ')
	if text := http.StatusText(code); text != "" {
		return append(append(b, text...), "\r\n"...)
	}
	b = append(b, "status code "...)
	return append(strconv.AppendInt(b, int64(code), 10), "\r\n"...)
}

func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

// hasToken reports whether a comma-separated header value lists token,
// ignoring case.
func hasToken(v, token string) bool {
	for v != "" {
		var t string
		t, v, _ = strings.Cut(v, ",")
		if strings.EqualFold(strings.Trim(t, " \t"), token) {
			return true
		}
	}
	return false
}

// The Date header is formatted once a second.
type stamp struct {
	second int64
	text   string
}

var date atomic.Pointer[stamp]

func appendDate(b []byte) []byte {
	now := time.Now()
	d := date.Load()
	if d == nil || d.second != now.Unix() {
		d = &stamp{now.Unix(), now.UTC().Format(http.TimeFormat)}
		date.Store(d)
	}
	return append(b, d.text...)
}
