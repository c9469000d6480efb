package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestPagesOverTheWire asks the binary for stored pages as raw HTTP/1.1,
// on a connection that serve answers on its fast path and on one it has
// handed to net/http (by a request with a query first), and expects the
// same answers from both: status, headers but Date, body. Then it sends
// what must never end in a 500 or a hang.
func TestPagesOverTheWire(t *testing.T) {
	s := startServer(t)
	host := "embassy.localhost:" + s.port
	paths := []string{"/en/", "/zh/", "/en/sitemap.xml", "/en/feed.xml", "/robots.txt", "/en/no-such-page"}
	var requests strings.Builder
	var methods []string
	for _, p := range paths {
		for _, extra := range []string{"", "Accept-Encoding: gzip, br\r\n", "Accept-Encoding: gzip;q=1, br;q=0.5\r\n",
			"Range: bytes=-1,99999999-\r\n", "If-None-Match: *\r\n"} {
			requests.WriteString("GET " + p + " HTTP/1.1\r\nHost: " + host + "\r\n" + extra + "\r\n")
			methods = append(methods, "GET")
		}
		requests.WriteString("HEAD " + p + " HTTP/1.1\r\nHost: " + host + "\r\nAccept-Encoding: br\r\n\r\n")
		methods = append(methods, "HEAD")
	}
	// Every page asked once first, so that both rounds find it stored.
	exchangeRaw(t, s.addr, requests.String(), methods)

	fast := exchangeRaw(t, s.addr, requests.String(), methods)
	slow := exchangeRaw(t, s.addr, "GET /en/search?q=embassy HTTP/1.1\r\nHost: "+host+"\r\n\r\n"+requests.String(),
		append([]string{"GET"}, methods...))[1:]
	for i := range fast {
		if !reflect.DeepEqual(fast[i], slow[i]) {
			t.Errorf("answer %d (%s): fast path\n%+v\nnet/http\n%+v", i, methods[i], fast[i], slow[i])
		}
	}
	if fast[0].status != http.StatusOK || fast[4].status != http.StatusNotModified || fast[5].header.Get("Content-Length") == "" {
		t.Errorf("GET /en/ = %d, If-None-Match: * = %d, HEAD Content-Length %q; want 200, 304, the length",
			fast[0].status, fast[4].status, fast[5].header.Get("Content-Length"))
	}

	// Malformed or hostile requests get net/http's answer (400, 431),
	// never a 500, and never a hang.
	for _, raw := range []string{
		"GET /en/ HTTP/1.1\r\nHost: " + host + "\r\nBad Header\r\n\r\n",
		"GET /en/ HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
		"GET /en/ HTTP/1.1\r\nHost: " + host + "\r\nX: " + strings.Repeat("x", 70<<10) + "\r\n\r\n",
		"GET /en/ HTTP/1.1\r\nHost: " + host + "\r\nAccept-Encoding: " + strings.Repeat("br;q=", 2000) + "\r\n\r\n",
		"GET /en/%zz HTTP/1.1\r\nHost: " + host + "\r\n\r\n",
	} {
		got := exchangeRaw(t, s.addr, raw, []string{"GET"})
		if got[0].status <= 0 || got[0].status >= 500 {
			t.Errorf("%.60q: answered %d", raw, got[0].status)
		}
	}

	// Ctrl+C with a connection idle on the fast path and one handed on:
	// serve closes both and ends cleanly, without waiting for them.
	for _, first := range []string{"/en/", "/en/search?q=embassy"} {
		c, err := net.Dial("tcp", s.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "GET "+first+" HTTP/1.1\r\nHost: "+host+"\r\n\r\n")
		res, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	began := time.Now()
	s.cmd.Process.Signal(os.Interrupt)
	if err := s.cmd.Wait(); err != nil || time.Since(began) > 5*time.Second {
		t.Errorf("serve after Ctrl+C with idle connections: %v after %v", err, time.Since(began))
	}
}

type rawAnswer struct {
	status int
	header http.Header
	body   string
}

// exchangeRaw writes raw on a new connection and reads one answer per
// method.
func exchangeRaw(t *testing.T, addr, raw string, methods []string) []rawAnswer {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(20 * time.Second))
	go io.WriteString(c, raw) // the answers are read meanwhile
	r := bufio.NewReader(c)
	var got []rawAnswer
	for _, m := range methods {
		res, err := http.ReadResponse(r, &http.Request{Method: m})
		if err != nil {
			t.Fatalf("answer %d of %d: %v", len(got)+1, len(methods), err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		res.Header.Del("Date")
		got = append(got, rawAnswer{res.StatusCode, res.Header, string(body)})
	}
	return got
}
