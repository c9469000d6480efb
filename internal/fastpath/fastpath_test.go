package fastpath

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/textproto"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"chancery/internal/web"
)

// page is what /page answers, as the page store would.
var page = web.Stored{ContentType: "text/html; charset=utf-8", ETag: `"abc123"`, CacheControl: "public, max-age=60",
	Body: []byte(strings.Repeat("<p>Statement of the embassy.</p>\n", 200)), Gzip: []byte("gzip bytes"), Brotli: []byte("brotli bytes")}

// handler answers in every way the fast loop's writer must render as
// net/http does.
func handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) { web.WriteStored(w, r, page) })
	mux.HandleFunc("/nolength", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "<!doctype html><title>x</title>")
		io.WriteString(w, "<p>written in two parts")
	})
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/page", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/nocontent", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("/short", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "10")
		io.WriteString(w, "12345")
	})
	mux.HandleFunc("/long", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "3")
		if _, err := io.WriteString(w, "12345"); !errors.Is(err, http.ErrContentLength) {
			panic(fmt.Sprintf("writing past Content-Length: %v, want ErrContentLength", err))
		}
	})
	mux.HandleFunc("/odd-headers", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["X-Broken"] = []string{"one\r\ntwo", "  padded  "}
		w.Header()["Bad Name"] = []string{"left out"}
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Connection", "close")
		io.WriteString(w, "odd")
	})
	mux.HandleFunc("/invalid-length", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "ten")
		io.WriteString(w, "some text")
	})
	mux.HandleFunc("/late-headers", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		w.Header().Set("Content-Length", "3") // too late: not sent
		w.Header().Set("X-Late", "1")
		io.WriteString(w, "hello")
	})
	mux.HandleFunc("/length-deleted", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "5")
		w.WriteHeader(http.StatusOK)
		w.Header().Del("Content-Length") // too late: sent
		io.WriteString(w, "hello")
	})
	mux.HandleFunc("/sniff", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "<ht")
		io.WriteString(w, "ml><p>the type is sniffed from more than the first write")
	})
	mux.HandleFunc("/sniff-length", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "20")
		io.WriteString(w, "<ht")
		io.WriteString(w, "ml><p>hello there")
	})
	mux.HandleFunc("/panic", func(w http.ResponseWriter, r *http.Request) { panic("a broken page") })
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s %s %s host=%s close=%v ua=%q cc=%q", r.Method, r.URL.Path, r.RequestURI, r.Host, r.Close,
			r.Header.Values("User-Agent"), r.Header.Get("Cache-Control"))
	})
	return web.SecurityHeaders(mux)
}

// start serves h on a loopback port, with the fast loop when fast is
// set; it returns the address and the server's shutdown.
func start(t testing.TB, h http.Handler, fast func(*http.Request) bool, tune func(*http.Server)) (string, *Server) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 10 * time.Second,
		ErrorLog: log.New(io.Discard, "", 0)}
	if tune != nil {
		tune(srv)
	}
	var fs *Server
	done := make(chan error, 1)
	if fast != nil {
		fs = &Server{HTTP: srv, Fast: fast}
		go func() { done <- fs.Serve(ln) }()
	} else {
		go func() { done <- srv.Serve(ln) }()
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if fs != nil {
			fs.Shutdown(ctx)
		} else {
			srv.Shutdown(ctx)
		}
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve returned %v, want http.ErrServerClosed", err)
		}
	})
	return ln.Addr().String(), fs
}

// exchange sends raw on a new connection and reads the answers to the
// requests it holds (methods, in order), then whether the server closed
// the connection after them.
type answer struct {
	Status int
	Header http.Header
	Body   string
}

func exchange(t *testing.T, addr, raw string, methods ...string) ([]answer, bool) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	var got []answer
	for _, m := range methods {
		res, err := http.ReadResponse(br, &http.Request{Method: m})
		if err != nil {
			got = append(got, answer{Status: -1, Body: "no answer"})
			break
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		res.Header.Del("Date")
		got = append(got, answer{res.StatusCode, res.Header, string(body)})
	}
	// Closed: a read ends at once with EOF rather than waiting.
	c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	_, err = br.ReadByte()
	return got, errors.Is(err, io.EOF)
}

func always(*http.Request) bool { return true }

// TestSameAnswers sends the same bytes to net/http alone and to the fast
// loop in front of it, and expects the same answers, the same headers and
// the same closed or open connection: well-formed requests the loop
// answers, odd ones it hands on, and sequences of both on one connection.
func TestSameAnswers(t *testing.T) {
	plain, _ := start(t, handler(), nil, nil)
	fast, _ := start(t, handler(), always, nil)
	get := func(path string, headers ...string) string {
		return "GET " + path + " HTTP/1.1\r\nHost: example.org\r\n" + strings.Join(headers, "") + "\r\n"
	}
	cases := []struct {
		name    string
		raw     string
		methods []string
	}{
		{"page", get("/page"), []string{"GET"}},
		{"brotli", get("/page", "Accept-Encoding: gzip, deflate, br\r\n"), []string{"GET"}},
		{"gzip only", get("/page", "accept-encoding: gzip;q=0.5, br;q=0\r\n"), []string{"GET"}},
		{"absurd encodings", get("/page", "Accept-Encoding: "+strings.Repeat("x;q=2,", 300)+"\r\n"), []string{"GET"}},
		{"not modified", get("/page", `If-None-Match: "abc123"`+"\r\n"), []string{"GET"}},
		{"not modified br", get("/page", "Accept-Encoding: br\r\n", `If-None-Match: W/"abc123-br", "x"`+"\r\n"), []string{"GET"}},
		{"any match", get("/page", "If-None-Match: *\r\n"), []string{"GET"}},
		{"absurd range", get("/page", "Range: bytes=999999-1,-0,abc\r\n"), []string{"GET"}},
		{"head", "HEAD /page HTTP/1.1\r\nHost: example.org\r\nAccept-Encoding: br\r\n\r\n", []string{"HEAD"}},
		{"head no length", "HEAD /nolength HTTP/1.1\r\nHost: example.org\r\n\r\n", []string{"HEAD"}},
		{"head empty", "HEAD /empty HTTP/1.1\r\nHost: example.org\r\n\r\n", []string{"HEAD"}},
		{"no length", get("/nolength"), []string{"GET"}},
		{"headers after WriteHeader", get("/late-headers"), []string{"GET"}},
		{"length deleted after WriteHeader", get("/length-deleted") + get("/page"), []string{"GET", "GET"}},
		{"sniffed", get("/sniff"), []string{"GET"}},
		{"sniffed with a length", get("/sniff-length"), []string{"GET"}},
		{"head sniffed", "HEAD /sniff HTTP/1.1\r\nHost: x\r\n\r\n", []string{"HEAD"}},
		{"head sniffed with a length", "HEAD /sniff-length HTTP/1.1\r\nHost: x\r\n\r\n", []string{"HEAD"}},
		{"empty", get("/empty"), []string{"GET"}},
		{"redirect", get("/redirect"), []string{"GET"}},
		{"not found", get("/missing"), []string{"GET"}},
		{"no content", get("/nocontent"), []string{"GET"}},
		{"short body", get("/short"), []string{"GET"}},
		{"long body", get("/long"), []string{"GET"}},
		{"odd headers", get("/odd-headers"), []string{"GET"}},
		{"panic", get("/panic"), []string{"GET"}},
		{"client closes", get("/page", "Connection: close\r\n"), []string{"GET"}},
		{"close, then more", get("/page", "Connection: close\r\n") + get("/nolength"), []string{"GET", "GET"}},
		{"keep-alive", get("/page", "Connection: Keep-Alive\r\n"), []string{"GET"}},
		{"echo", get("/echo", "User-Agent: a\r\n", "user-agent:   b \t\r\n", "Pragma: no-cache\r\n"), []string{"GET"}},
		{"host with port", "GET /echo HTTP/1.1\r\nHost: Example.org:8080\r\n\r\n", []string{"GET"}},
		{"pipelined", get("/page") + get("/nolength") + "HEAD /page HTTP/1.1\r\nHost: x\r\n\r\n" + get("/redirect"), []string{"GET", "GET", "HEAD", "GET"}},
		// Handed on to net/http:
		{"then handed on", get("/page") + get("/echo?q=1") + get("/page"), []string{"GET", "GET", "GET"}},
		{"post", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc" + get("/page"), []string{"POST", "GET"}},
		{"get with body", "GET /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc" + get("/echo"), []string{"GET", "GET"}},
		{"chunked", "GET /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", []string{"GET"}},
		{"http/1.0", "GET /page HTTP/1.0\r\n\r\n", []string{"GET"}},
		{"http/1.0 keep-alive", "GET /page HTTP/1.0\r\nConnection: keep-alive\r\n\r\n" + get("/echo"), []string{"GET", "GET"}},
		{"bare LF", "GET /echo HTTP/1.1\nHost: x\n\n", []string{"GET"}},
		{"no host", "GET /page HTTP/1.1\r\n\r\n", []string{"GET"}},
		{"two hosts", "GET /page HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", []string{"GET"}},
		{"bad host", "GET /page HTTP/1.1\r\nHost: a b\r\n\r\n", []string{"GET"}},
		{"bad header name", "GET /page HTTP/1.1\r\nHost: x\r\nBad Name: y\r\n\r\n", []string{"GET"}},
		{"control in value", "GET /page HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n", []string{"GET"}},
		{"folded header", "GET /page HTTP/1.1\r\nHost: x\r\nX-A: a\r\n  b\r\n\r\n", []string{"GET"}},
		{"encoded path", get("/pa%67e"), []string{"GET"}},
		{"dot segments", get("/a/../page"), []string{"GET"}},
		{"double slash", get("//page"), []string{"GET"}},
		{"absolute form", "GET http://example.org/page HTTP/1.1\r\nHost: example.org\r\n\r\n", []string{"GET"}},
		{"lower-case method", "get /page HTTP/1.1\r\nHost: x\r\n\r\n", []string{"GET"}},
		{"expect", "GET /page HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n", []string{"GET"}},
		{"upgrade", "GET /page HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n", []string{"GET"}},
		{"large head", get("/echo", "X-Big: "+strings.Repeat("a", 6000)+"\r\n"), []string{"GET"}},
		{"garbage", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", []string{"GET"}},
		{"empty line first", "\r\n" + get("/page"), []string{"GET"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want, wantClosed := exchange(t, plain, tc.raw, tc.methods...)
			got, gotClosed := exchange(t, fast, tc.raw, tc.methods...)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("fast loop answered\n%+v\nnet/http\n%+v", got, want)
			}
			if gotClosed != wantClosed {
				t.Errorf("fast loop closed the connection: %v, net/http: %v", gotClosed, wantClosed)
			}
		})
	}
}

// TestWhoAnswers checks that the loop answers what Fast accepts itself
// (else TestSameAnswers would compare net/http with itself), hands on the
// rest, and where it answers differently from net/http, answers well.
func TestWhoAnswers(t *testing.T) {
	var answeredBy atomic.Value
	mux := http.NewServeMux()
	mux.Handle("/", handler())
	mux.HandleFunc("/who", func(w http.ResponseWriter, r *http.Request) {
		answeredBy.Store(fmt.Sprintf("%T", w))
		io.WriteString(w, "ok")
	})
	mux.HandleFunc("/large", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, strings.Repeat("x", 5000))
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		for range 300 {
			io.WriteString(w, strings.Repeat("y", 10000))
		}
	})
	addr, _ := start(t, mux, func(r *http.Request) bool { return r.Header.Get("X-Slow") == "" }, nil)
	get := "GET /who HTTP/1.1\r\nHost: x\r\n\r\n"

	if _, closed := exchange(t, addr, get, "GET"); closed || answeredBy.Load() != "*fastpath.response" {
		t.Errorf("a request Fast accepts was answered by %v (closed %v), want the fast loop", answeredBy.Load(), closed)
	}
	if _, closed := exchange(t, addr, "GET /who HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n\r\n", "GET"); closed || answeredBy.Load() == "*fastpath.response" {
		t.Errorf("a request Fast refuses was answered by %v (closed %v), want net/http", answeredBy.Load(), closed)
	}

	// A handler's invalid Content-Length is dropped and the body sent with
	// its own; a body of no given length is sent with its length in one
	// piece, where net/http would chunk it. The connection goes on.
	got, closed := exchange(t, addr, "GET /invalid-length HTTP/1.1\r\nHost: x\r\n\r\nGET /large HTTP/1.1\r\nHost: x\r\n\r\n"+get, "GET", "GET", "GET")
	if len(got) != 3 || got[0].Body != "some text" || got[0].Header.Get("Content-Length") != "9" ||
		len(got[1].Body) != 5000 || got[1].Header.Get("Content-Length") != "5000" || got[2].Body != "ok" || closed {
		t.Errorf("answers %+v, closed %v", got, closed)
	}

	// Past 1 MB, a body of no given length goes out as it comes, ended by
	// the close (net/http would chunk it).
	got, closed = exchange(t, addr, "GET /huge HTTP/1.1\r\nHost: x\r\n\r\n"+get, "GET", "GET")
	if len(got) < 1 || len(got[0].Body) != 3_000_000 || got[0].Header.Get("Content-Length") != "" || !closed {
		t.Errorf("a 3 MB body of no given length: %d bytes, Content-Length %q, closed %v; want 3000000, none, closed",
			len(got[0].Body), got[0].Header.Get("Content-Length"), closed)
	}
}

// TestTimeouts: a new connection must send its first head within
// ReadHeaderTimeout; after an answer, the next request may wait
// IdleTimeout, and its head then has ReadHeaderTimeout; an answer the
// client does not read ends the connection after WriteTimeout.
func TestTimeouts(t *testing.T) {
	const header, idle, write = 200 * time.Millisecond, 2 * time.Second, 300 * time.Millisecond
	mux := http.NewServeMux()
	mux.Handle("/", handler())
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "50000000")
		chunk := []byte(strings.Repeat("z", 1<<20))
		for range 50 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	addr, _ := start(t, mux, always, func(s *http.Server) {
		s.ReadHeaderTimeout, s.IdleTimeout, s.WriteTimeout = header, idle, write
	})
	const answered = "GET /page HTTP/1.1\r\nHost: x\r\n\r\n"
	for _, tc := range []struct {
		name, raw string
		within    time.Duration // the connection ends by then
		notBefore time.Duration // and not before
	}{
		{"silent new connection", "", time.Second, 0},
		{"half a first head", "GET /page HTTP/1.1\r\nHost: x\r\n", time.Second, 0},
		{"idle after an answer", answered, idle + time.Second, idle - 100*time.Millisecond},
		{"half a head after an answer", answered + "GET /page HTTP/1.1\r\n", time.Second, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			io.WriteString(c, tc.raw)
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			began := time.Now()
			_, err = io.Copy(io.Discard, c)
			if took := time.Since(began); err != nil || took > tc.within || took < tc.notBefore {
				t.Errorf("connection ended after %v (%v); want between %v and %v", took, err, tc.notBefore, tc.within)
			}
		})
	}
	t.Run("answer not read", func(t *testing.T) {
		t.Parallel()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
		time.Sleep(write + time.Second)
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, _ := io.Copy(io.Discard, c)
		if n >= 50_000_000 {
			t.Errorf("read all %d bytes of an answer that should have timed out", n)
		}
	})
}

// TestHandedOnHeadKeepsItsTime: a head the fast loop began to read and
// then handed on (here at a line ending in a bare LF) must still be whole
// within ReadHeaderTimeout of its start, not within that time of the hand
// on as well.
func TestHandedOnHeadKeepsItsTime(t *testing.T) {
	const header, before = time.Second, 800 * time.Millisecond
	addr, _ := start(t, handler(), always, func(s *http.Server) { s.ReadHeaderTimeout = header })
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	began := time.Now()
	io.WriteString(c, "GET /page HTTP/1.1\r\nHost: x\r\n")
	time.Sleep(before)
	io.WriteString(c, "X-Trickle: 1\n") // handed on here, then nothing more
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	io.Copy(io.Discard, c)
	// Ended at header (1 s) when kept, at before+header (1.8 s) when not.
	if took := time.Since(began); took > header+before/2 {
		t.Errorf("connection ended %v after the head began; want about %v (ReadHeaderTimeout)", took, header)
	}
}

// TestShutdown: Shutdown lets an answer in progress finish, closes idle
// connections, also those handed on, and Serve returns.
func TestShutdown(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{})
	mux := http.NewServeMux()
	mux.Handle("/", handler())
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		io.WriteString(w, "finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{HTTP: &http.Server{Handler: mux}, Fast: always}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	addr := ln.Addr().String()

	dial := func(raw string) (net.Conn, *bufio.Reader) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		c.SetDeadline(time.Now().Add(5 * time.Second))
		io.WriteString(c, raw)
		return c, bufio.NewReader(c)
	}
	_, idle := dial("GET /page HTTP/1.1\r\nHost: x\r\n\r\n")
	if res, err := http.ReadResponse(idle, nil); err != nil {
		t.Fatal(err)
	} else {
		io.Copy(io.Discard, res.Body)
	}
	_, handed := dial("GET /page?q HTTP/1.1\r\nHost: x\r\n\r\n")
	if res, err := http.ReadResponse(handed, nil); err != nil {
		t.Fatal(err)
	} else {
		io.Copy(io.Discard, res.Body)
	}
	_, busy := dial("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
	<-entered

	shut := make(chan error, 1)
	go func() { shut <- s.Shutdown(context.Background()) }()
	for _, r := range []*bufio.Reader{idle, handed} {
		if _, err := r.ReadByte(); !errors.Is(err, io.EOF) {
			t.Errorf("idle connection: read %v, want EOF", err)
		}
	}
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned %v with an answer in progress", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	res, err := http.ReadResponse(busy, nil)
	if err != nil {
		t.Fatalf("the answer in progress: %v", err)
	}
	body, _ := io.ReadAll(res.Body)
	if string(body) != "finished" || !res.Close {
		t.Errorf("answer in progress: %q, Connection: close %v; want finished, true", body, res.Close)
	}
	if err := <-shut; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		t.Errorf("Serve: %v, want http.ErrServerClosed", err)
	}
	if _, err := net.Dial("tcp", addr); err == nil {
		t.Error("still accepting after Shutdown")
	}
}

// TestShutdownRaces shuts servers down at once after connections came
// in: connections just accepted, or just answered, must not keep
// Shutdown waiting for their idle timeout.
func TestShutdownRaces(t *testing.T) {
	for i := range 20 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		s := &Server{HTTP: &http.Server{Handler: handler(), IdleTimeout: time.Minute, ReadHeaderTimeout: time.Minute}, Fast: always}
		served := make(chan error, 1)
		go func() { served <- s.Serve(ln) }()
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 1 {
			io.WriteString(c, "GET /page HTTP/1.1\r\nHost: x\r\n\r\n")
			res, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		began := time.Now()
		if err := s.Shutdown(ctx); err != nil || time.Since(began) > 2*time.Second {
			t.Errorf("round %d: Shutdown: %v after %v", i, err, time.Since(began))
		}
		cancel()
		<-served
		c.Close()
	}
}

// TestMiddlewareFinishesFirst: as with net/http, a short answer reaches
// the client only after the handler chain has returned, so what the
// middleware records after the handler (a metric) is there when the
// client has its answer.
func TestMiddlewareFinishesFirst(t *testing.T) {
	var done atomic.Int64
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		web.WriteStored(w, r, web.Stored{ContentType: "text/plain", ETag: `"x"`, Body: []byte("short answer")})
		time.Sleep(5 * time.Millisecond) // the rest of the chain's work
		done.Add(1)                      // after the answer was written, as Instrument counts
	})
	addr, _ := start(t, h, always, nil)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	for i := 1; i <= 20; i++ {
		io.WriteString(c, "GET /x HTTP/1.1\r\nHost: x\r\n\r\n")
		res, err := http.ReadResponse(r, nil)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		if got := done.Load(); got != int64(i) {
			t.Fatalf("answer %d arrived before its handler returned (%d returned)", i, got)
		}
	}
}

// TestOneConnectionHeader: a handler's "Connection: keep-alive" on a body
// of no given length that turns out too long to keep (so the connection
// closes to end it) gives way to "Connection: close": the answer says one
// thing. On a short body it is sent as the handler gave it.
func TestOneConnectionHeader(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/long", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "keep-alive")
		w.Write(bytes.Repeat([]byte("z"), maxBuffer+maxBuffer/4))
	})
	mux.HandleFunc("/short", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "keep-alive")
		io.WriteString(w, "short")
	})
	addr, _ := start(t, mux, always, nil)
	for path, want := range map[string][]string{"/long": {"close"}, "/short": {"keep-alive"}} {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(c, "GET "+path+" HTTP/1.1\r\nHost: x\r\n\r\n")
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		// Read as sent: http.ReadResponse drops a "Connection: close".
		tp := textproto.NewReader(bufio.NewReader(c))
		_, err = tp.ReadLine()
		var head textproto.MIMEHeader
		if err == nil {
			head, err = tp.ReadMIMEHeader()
		}
		c.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got := head["Connection"]; !slices.Equal(got, want) {
			t.Errorf("%s: Connection %q; want %q", path, got, want)
		}
	}
}
