package fastpath

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"time"
)

// readSize is the fast loop's read buffer, and so the largest request head
// it takes; a larger one goes to net/http (which takes up to
// MaxHeaderBytes).
const readSize = 4 << 10

// conn is a connection on the fast loop, with what its requests reuse.
type conn struct {
	s  *Server
	nc net.Conn
	r  *bufio.Reader
	// base is the request every request starts from: its context is the
	// connection's.
	base, req http.Request
	url       url.URL
	// Backing for the request's header values, reused request after
	// request (each value a full slice of one, so an append copies).
	values []string
	res    response
	// headBy is when the head being read must be whole (zero: no limit,
	// or its reading has not been timed).
	headBy time.Time
}

// serve runs the fast loop on nc until the client goes, an error, a
// request the loop does not take (nc goes to net/http), or shutdown.
func (s *Server) serve(base context.Context, nc net.Conn) {
	ctx, cancel := context.WithCancel(base)
	ctx = context.WithValue(ctx, http.ServerContextKey, s.HTTP)
	ctx = context.WithValue(ctx, http.LocalAddrContextKey, nc.LocalAddr())
	if s.HTTP.ConnContext != nil {
		ctx = s.HTTP.ConnContext(ctx, nc)
	}
	c := &conn{s: s, nc: nc, r: bufio.NewReaderSize(nc, readSize)}
	c.base = *(&http.Request{}).WithContext(ctx)
	c.res.c = c
	handedOn := false
	defer func() {
		cancel()
		if p := recover(); p != nil && p != http.ErrAbortHandler {
			// As net/http: a handler's panic ends its connection only.
			s.logf("fastpath: panic serving %v: %v\n%s", nc.RemoteAddr(), p, debug.Stack())
		}
		if !handedOn {
			nc.Close()
		}
		s.untrack(nc)
	}()
	remote := nc.RemoteAddr().String()
	for first := true; ; first = false {
		n, err := c.readHead(first)
		if err != nil {
			if err == errHandOn {
				handedOn = c.handOn()
			}
			return
		}
		if !c.parse(n, remote) || !s.Fast(&c.req) {
			handedOn = c.handOn()
			return
		}
		c.r.Discard(n)
		if !c.answer() || s.closing.Load() {
			if c.res.err == nil && c.r.Buffered() > 0 {
				c.lingerClose()
			}
			return
		}
	}
}

// rstAvoidance is how long a connection ended with a request unread
// stays open for reading (net/http waits as long where it leaves a
// request body unread): closing a socket with unread bytes resets it, and
// the reset can destroy the answer before the client reads it.
const rstAvoidance = 500 * time.Millisecond

// lingerClose ends the sending side, so the client sees the answer end,
// and waits before the close.
func (c *conn) lingerClose() {
	if cw, ok := c.nc.(interface{ CloseWrite() error }); ok && cw.CloseWrite() == nil {
		time.Sleep(rstAvoidance)
	}
}

// answer has the handler answer c.req; false when the connection ends.
func (c *conn) answer() bool {
	if d := c.s.HTTP.WriteTimeout; d > 0 {
		c.nc.SetWriteDeadline(time.Now().Add(d))
	}
	w := &c.res
	w.start(&c.req)
	c.s.HTTP.Handler.ServeHTTP(w, &c.req)
	w.finish()
	return w.err == nil && !w.close
}

// errHandOn: what was read is not for the fast loop.
var errHandOn = errorString("hand on")

type errorString string

func (e errorString) Error() string { return string(e) }

// readHead waits for a whole request head in the buffer and returns its
// length, with its empty line (headEnd). The time allowed is net/http's: a
// request's head must come within ReadHeaderTimeout of the connection's
// start, for its first request, or of the request's first byte, which
// may take IdleTimeout after an answer.
func (c *conn) readHead(first bool) (int, error) {
	timed := false
	c.headBy = time.Time{}
	if !first && c.r.Buffered() == 0 {
		if _, err := c.readDeadline(c.s.HTTP.IdleTimeout); err != nil {
			return 0, err
		}
		if _, err := c.r.Peek(1); err != nil {
			return 0, err
		}
	}
	for {
		buf, _ := c.r.Peek(c.r.Buffered())
		if n, handOn := headEnd(buf); handOn {
			return 0, errHandOn
		} else if n > 0 {
			return n, nil
		}
		if len(buf) == readSize {
			return 0, errHandOn
		}
		if !timed {
			by, err := c.readDeadline(c.s.HTTP.ReadHeaderTimeout)
			if err != nil {
				return 0, err
			}
			c.headBy, timed = by, true
		}
		if _, err := c.r.Peek(len(buf) + 1); err != nil {
			return 0, err
		}
	}
}

// headEnd returns the length of the request head at the start of buf, up
// to and with its empty line, or 0 when buf holds no whole head; handOn
// when a line ends in a bare LF (net/http reads those; the fast loop
// does not).
func headEnd(buf []byte) (n int, handOn bool) {
	for from := 0; ; {
		i := bytes.IndexByte(buf[from:], '\n')
		if i < 0 {
			return 0, false
		}
		i += from
		if i == 0 || buf[i-1] != '\r' {
			return 0, true
		}
		if i >= 3 && buf[i-2] == '\n' {
			return i + 1, false
		}
		from = i + 1
	}
}

// readDeadline sets the read deadline d from now (ReadTimeout when d is
// 0, as in net/http) and returns it (zero: none). It fails once Shutdown
// has begun: Shutdown sets closing before it wakes the connections'
// reads, so a deadline set here after that wake cannot keep a connection
// waiting.
func (c *conn) readDeadline(d time.Duration) (time.Time, error) {
	if d <= 0 {
		d = c.s.HTTP.ReadTimeout
	}
	var t time.Time
	if d > 0 {
		t = time.Now().Add(d)
	}
	c.nc.SetReadDeadline(t)
	if c.s.closing.Load() {
		return t, net.ErrClosed
	}
	return t, nil
}

// parse reads the head of n bytes into c.req; false when the fast loop
// does not take it (see parseHead).
func (c *conn) parse(n int, remote string) bool {
	head, _ := c.r.Peek(n)
	h := c.req.Header
	if h == nil {
		h = http.Header{}
	}
	clear(h)
	c.req = c.base
	c.req.Header, c.req.RemoteAddr = h, remote
	var ok bool
	c.values, ok = parseHead(string(head), &c.req, &c.url, c.values[:0])
	return ok
}

// handOn gives the connection, with what was read of it and not
// answered, to net/http; false when net/http is shutting down (the
// caller closes it).
func (c *conn) handOn() bool {
	c.s.release(c.nc)
	c.nc.SetReadDeadline(time.Time{})
	return c.s.handoff.give(&replayConn{Conn: c.nc, r: c.r, headBy: c.headBy})
}

// replayConn is a handed-on connection: reads take what the fast loop
// had buffered first.
type replayConn struct {
	net.Conn
	r *bufio.Reader
	// headBy is when the head the fast loop began reading had to be
	// whole (zero: no limit).
	headBy time.Time
}

// SetReadDeadline keeps the time the client had for the head it began
// under the fast loop: net/http's first deadline is its ReadHeaderTimeout
// counted from when it takes the connection, which would give a client
// trickling a head that time a second time. Later deadlines (the body's,
// the next request's) pass as net/http sets them.
func (c *replayConn) SetReadDeadline(t time.Time) error {
	if by := c.headBy; !by.IsZero() {
		c.headBy = time.Time{}
		if t.IsZero() || t.After(by) {
			t = by
		}
	}
	return c.Conn.SetReadDeadline(t)
}

func (c *replayConn) Read(p []byte) (int, error) {
	if c.r != nil && c.r.Buffered() > 0 {
		return c.r.Read(p)
	}
	c.r = nil
	return c.Conn.Read(p)
}

// ReadFrom keeps sendfile for net/http's file answers.
func (c *replayConn) ReadFrom(r io.Reader) (int64, error) { return io.Copy(c.Conn, r) }

// CloseWrite keeps net/http's graceful close of a connection it ends.
func (c *replayConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
