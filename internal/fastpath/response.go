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

const (
	// sniffLen is what a Content-Type is sniffed from, when the handler
	// gave none (http.DetectContentType reads no more).
	sniffLen = 512
	// maxBuffer bounds a body kept to learn its length; a longer one is
	// sent as it comes and ended by closing the connection.
	maxBuffer = 1 << 20
	// keptBuffer is the most a connection keeps of its body buffer
	// between answers: about what net/http keeps per connection, so that
	// many idle connections cost no more here (a larger body, rare on
	// this path, allocates its buffer anew).
	keptBuffer = 4 << 10
	// holdSize is how much of a body with a length is held until the
	// handler returns.
	holdSize = 4 << 10
)

// response is the fast loop's http.ResponseWriter, reused request after
// request. Like net/http's, it takes the handler's headers as they are at
// WriteHeader (later changes do not count) and writes them sorted, with
// Date, and the Content-Length, Content-Type and "Connection: close"
// net/http would add. It sends the head with the body in one writev when
// the handler gave a Content-Length: when the handler returns for up to
// 4 KB, else with the first Write past that; a body without one is
// kept until the handler returns and sent with its length (net/http would
// send more than 2 KB of it in chunks), or past 1 MB sent as it comes and
// ended by closing the connection. It has no Flush or Hijack.
type response struct {
	c       *conn
	header  http.Header
	isHead  bool
	status  int
	length  int64 // the handler's Content-Length; -1 when none
	written int64
	sniff   bool // no Content-Type given: one is sniffed from the body
	date    bool // no Date given: one is added
	closes  bool // the handler's Connection header says close
	// connection is the handler's Connection header when it does not say
	// close, sent if the connection stays open (whether it does may be
	// known only at the end of a body of no given length).
	connection []string
	sent       bool   // the head has gone out
	done       bool   // the handler has returned
	body       []byte // kept before the head goes out
	close      bool   // the connection ends after this answer
	err        error  // a write failed: the connection ends

	head []byte // the status line and the handler's headers
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
	w.status, w.length, w.written = 0, -1, 0
	w.sniff, w.date, w.closes, w.sent, w.done = false, false, false, false, false
	if cap(w.body) > keptBuffer {
		w.body = nil
	}
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
	h := w.header
	if cl := h.Get("Content-Length"); cl != "" {
		if v, err := strconv.ParseInt(cl, 10, 64); err == nil && v >= 0 {
			w.length = v
		} else {
			w.c.s.logf("fastpath: invalid Content-Length of %q", cl)
			h.Del("Content-Length")
		}
	}
	allowed := bodyAllowed(code)
	_, haveType := h["Content-Type"]
	_, haveDate := h["Date"]
	w.sniff = allowed && !haveType && h.Get("Content-Encoding") == ""
	w.date = !haveDate
	w.closes = hasToken(h.Get("Connection"), "close")
	if w.closes || w.c.s.closing.Load() {
		w.close = true
	}
	w.connection = nil
	if !w.closes {
		w.connection = slices.Clone(h["Connection"])
	}
	w.head = appendStatus(w.head[:0], code)
	w.head = w.appendHeaders(w.head, func(k string) bool {
		switch k {
		case "Transfer-Encoding":
			return true // the body is sent with its length, or up to the close
		case "Content-Length":
			return !allowed
		case "Content-Type":
			return code == http.StatusNotModified
		case "Connection":
			return !w.closes // see send
		}
		return false
	})
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
	case w.sent:
		if !w.isHead {
			_, w.err = w.c.nc.Write(p)
		}
	case w.isHead:
		// Nothing is sent; what a type is sniffed from is kept.
		if w.sniff && len(w.body) < sniffLen {
			w.body = append(w.body, p[:min(len(p), sniffLen-len(w.body))]...)
		}
	case w.length >= 0 && !w.sniff:
		// As with net/http's buffer, an answer of up to 4 KB goes out when
		// the handler returns, after the middleware's last word (a
		// metric, a log line); a longer one as it comes.
		switch {
		case len(w.body)+len(p) <= holdSize:
			w.body = append(w.body, p...)
		case len(w.body) == 0:
			w.send(p)
		default:
			w.send(w.body)
			if w.err == nil {
				_, w.err = w.c.nc.Write(p)
			}
		}
	default:
		w.body = append(w.body, p...)
		if (w.length >= 0 && len(w.body) >= sniffLen) || len(w.body) > maxBuffer {
			w.send(w.body)
		}
	}
	if w.err != nil {
		return 0, w.err
	}
	return len(p), nil
}

// finish sends what the handler left unsent, after it returned.
func (w *response) finish() {
	w.done = true
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

// send completes the head and writes it with body in one go.
func (w *response) send(body []byte) {
	w.sent = true
	allowed := bodyAllowed(w.status)
	b := w.head
	if w.date {
		b = append(b, "Date: "...)
		b = appendDate(b)
		b = append(b, "\r\n"...)
	}
	if allowed && w.length < 0 {
		switch {
		case !w.done:
			w.close = true // too long to keep: the close ends it
		case !w.isHead || w.written > 0:
			b = append(b, "Content-Length: "...)
			b = strconv.AppendInt(b, w.written, 10)
			b = append(b, "\r\n"...)
		}
	}
	if w.sniff && len(body) > 0 {
		b = append(b, "Content-Type: "...)
		b = append(b, http.DetectContentType(body)...)
		b = append(b, "\r\n"...)
	}
	switch {
	case w.close && !w.closes:
		b = append(b, "Connection: close\r\n"...)
	case !w.closes:
		for _, v := range w.connection {
			b = appendField(b, "Connection", v)
		}
	}
	w.head = append(b, "\r\n"...)
	w.pair[0], w.pair[1] = w.head, body
	if w.isHead || !allowed {
		w.pair[1] = nil
	}
	w.bufs = w.pair[:]
	_, w.err = w.bufs.WriteTo(w.c.nc)
}

// interim sends a 1xx answer at once, as net/http does.
func (w *response) interim(code int) {
	b := appendStatus(w.head[:0], code)
	b = w.appendHeaders(b, func(k string) bool { return k == "Content-Length" || k == "Transfer-Encoding" })
	w.head = append(b, "\r\n"...)
	if _, err := w.c.nc.Write(w.head); err != nil && w.err == nil {
		w.err = err
	}
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
			b = appendField(b, k, v)
		}
	}
	return b
}

// appendField writes one header line, cleaned as net/http does.
func appendField(b []byte, k, v string) []byte {
	if strings.ContainsAny(v, "\r\n") {
		v = strings.NewReplacer("\r", " ", "\n", " ").Replace(v)
	}
	b = append(b, k...)
	b = append(b, ": "...)
	b = append(b, strings.Trim(v, " \t")...)
	return append(b, "\r\n"...)
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
