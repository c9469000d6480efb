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
}

// serve runs the fast loop on nc until the client goes, an error, a
// request the loop does not take (nc goes to net/http), or shutdown.
func (s *Server) serve(nc net.Conn) {
	ctx, cancel := context.WithCancel(context.Background())
	ctx = context.WithValue(ctx, http.ServerContextKey, s.HTTP)
	ctx = context.WithValue(ctx, http.LocalAddrContextKey, nc.LocalAddr())
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
	for {
		n, err := c.readHead()
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
			if c.res.err == nil {
				c.lingerClose()
			}
			return
		}
	}
}

// rstAvoidance is how long a connection ended after an answer stays open
// for reading, as net/http's does: closing a socket with unread bytes (a
// pipelined request) would reset it, and the reset can destroy the answer
// before the client reads it.
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
// length, with the end of its empty line. A head with a line not ended by
// CRLF, or one larger than the buffer, is errHandOn. The wait for a
// request's first byte is bounded by IdleTimeout, the rest of its head by
// ReadHeaderTimeout, as net/http bounds them.
func (c *conn) readHead() (int, error) {
	if c.r.Buffered() == 0 {
		c.setReadDeadline(c.s.HTTP.IdleTimeout)
		if _, err := c.r.Peek(1); err != nil {
			return 0, err
		}
	}
	waiting := false
	for {
		buf, _ := c.r.Peek(c.r.Buffered())
		for from := 0; ; {
			i := bytes.IndexByte(buf[from:], '\n')
			if i < 0 {
				break
			}
			i += from
			if i == 0 || buf[i-1] != '\r' {
				return 0, errHandOn
			}
			if i >= 3 && buf[i-2] == '\n' {
				return i + 1, nil
			}
			from = i + 1
		}
		if len(buf) == readSize {
			return 0, errHandOn
		}
		if !waiting {
			c.setReadDeadline(c.s.HTTP.ReadHeaderTimeout)
			waiting = true
		}
		if _, err := c.r.Peek(len(buf) + 1); err != nil {
			if err == bufio.ErrBufferFull {
				return 0, errHandOn
			}
			return 0, err
		}
	}
}

func (c *conn) setReadDeadline(d time.Duration) {
	if d <= 0 {
		d = c.s.HTTP.ReadTimeout
	}
	var t time.Time
	if d > 0 {
		t = time.Now().Add(d)
	}
	c.nc.SetReadDeadline(t)
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
	c.nc.SetReadDeadline(time.Time{})
	return c.s.handoff.give(&replayConn{Conn: c.nc, r: c.r})
}

// replayConn is a handed-on connection: reads take what the fast loop
// had buffered first.
type replayConn struct {
	net.Conn
	r *bufio.Reader
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
