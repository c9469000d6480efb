// Package fastpath serves HTTP/1.1 with a short loop of its own for the
// requests that make most of a public site's traffic (GET or HEAD of a page
// kept in memory) and net/http for everything else.
//
// Every connection starts on the fast loop. A request the loop takes (its
// head is plain and well formed, and Server.Fast accepts it) is answered by
// the same handler net/http would call, through a lean ResponseWriter: the
// answer does not depend on the path it took, only the cost of parsing and
// writing does. At the first request the loop does not take, the connection
// goes to net/http, with the bytes already read, for the rest of its life:
// anything unusual (a body, an upgrade, a malformed or oversized head, HTTP
// 1.0, an encoded path) meets net/http's own handling.
package fastpath

import (
	"context"
	"errors"
	"log"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Server serves a listener: the fast loop first, HTTP for what it hands on.
//
// Where the fast loop differs from net/http: a request's context ends
// with its connection, not when its answer is sent or the client goes
// (the pages Fast picks are answered from memory or the page store, or
// rendered and kept for the next reader, which may as well finish); a
// body of no given length is sent with its length, or past 1 MB up to a
// close, never in chunks; HTTP's SetKeepAlivesEnabled is not seen; heads
// over 4 KB go to HTTP, whose MaxHeaderBytes applies.
type Server struct {
	// HTTP serves the connections handed on; its Handler answers the fast
	// loop's requests too, and its ReadHeaderTimeout, IdleTimeout,
	// WriteTimeout and ErrorLog apply to the fast loop as well. Its
	// ConnContext makes the context of every connection's requests (and
	// sees a connection handed on a second time, from net/http); its
	// ConnState sees a connection only once handed on.
	HTTP *http.Server
	// Fast reports whether the loop answers a request itself. It sees the
	// method, Host, URL.Path and Header. The handler's answer to a request
	// Fast accepts should be one that needs no streaming (a stored page):
	// the loop buffers a body sent without a Content-Length.
	Fast func(*http.Request) bool

	closing atomic.Bool
	mu      sync.Mutex
	ln      net.Listener
	handoff *handoff
	conns   map[net.Conn]struct{}
	active  sync.WaitGroup
}

// Serve accepts connections on ln until Shutdown, and returns
// http.ErrServerClosed then, or the listener's error.
func (s *Server) Serve(ln net.Listener) error {
	if s.HTTP.Handler == nil || s.Fast == nil {
		return errors.New("fastpath: Server needs HTTP.Handler and Fast")
	}
	s.mu.Lock()
	if s.closing.Load() {
		s.mu.Unlock()
		return http.ErrServerClosed
	}
	s.ln = ln
	s.handoff = &handoff{conns: make(chan net.Conn), done: make(chan struct{}), addr: ln.Addr()}
	s.conns = map[net.Conn]struct{}{}
	s.mu.Unlock()
	base := context.Background()
	if s.HTTP.BaseContext != nil {
		base = s.HTTP.BaseContext(ln)
	}
	go s.HTTP.Serve(s.handoff)

	var pause time.Duration
	for {
		c, err := ln.Accept()
		if err != nil {
			if s.closing.Load() {
				return http.ErrServerClosed
			}
			if retryable(err) {
				// Out of file descriptors and the like: wait, as net/http does.
				pause = min(max(2*pause, 5*time.Millisecond), time.Second)
				s.logf("fastpath: accept: %v; retrying in %v", err, pause)
				time.Sleep(pause)
				continue
			}
			return err
		}
		pause = 0
		if !s.track(c) {
			c.Close()
			return http.ErrServerClosed
		}
		go s.serve(base, c)
	}
}

// Shutdown stops accepting, lets the fast loop finish the requests in
// hand and closes its idle connections, while HTTP does the same for the
// connections handed on (a request that would be handed on from now is
// refused by closing its connection). It returns early with ctx's error
// when ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing.Store(true)
	var err error
	if s.ln != nil {
		err = s.ln.Close()
	}
	for c := range s.conns {
		// Wakes a loop waiting for a request; one answering finishes its
		// answer first and sees closing after it.
		c.SetReadDeadline(time.Now())
	}
	s.mu.Unlock()
	handedOn := make(chan error, 1)
	go func() { handedOn <- s.HTTP.Shutdown(ctx) }()
	done := make(chan struct{})
	go func() {
		s.active.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	if herr := <-handedOn; herr != nil {
		return herr
	}
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	return err
}

// track counts a connection as on the fast loop; false when closing.
func (s *Server) track(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing.Load() {
		return false
	}
	s.conns[c] = struct{}{}
	s.active.Add(1)
	return true
}

// release stops Shutdown from touching c, which goes to net/http.
func (s *Server) release(c net.Conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

// untrack counts a connection's fast loop as ended.
func (s *Server) untrack(c net.Conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.active.Done()
}

// logf logs as net/http does: to ErrorLog, or the log package's logger.
func (s *Server) logf(format string, args ...any) {
	if s.HTTP.ErrorLog != nil {
		s.HTTP.ErrorLog.Printf(format, args...)
	} else {
		log.Printf(format, args...)
	}
}

// retryable reports whether an Accept error passes (the process or the
// system is out of descriptors or memory, or a client gave up while
// being accepted).
func retryable(err error) bool {
	for _, e := range []error{syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS, syscall.ENOMEM, syscall.ECONNABORTED} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// handoff is the listener HTTP serves: it accepts the connections the
// fast loop hands on.
type handoff struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
	addr  net.Addr
}

func (h *handoff) Accept() (net.Conn, error) {
	select {
	case c := <-h.conns:
		return c, nil
	case <-h.done:
		return nil, net.ErrClosed
	}
}

func (h *handoff) Close() error {
	h.once.Do(func() { close(h.done) })
	return nil
}

func (h *handoff) Addr() net.Addr { return h.addr }

// give hands c to HTTP; false when HTTP has stopped accepting.
func (h *handoff) give(c net.Conn) bool {
	select {
	case h.conns <- c:
		return true
	case <-h.done:
		return false
	}
}
