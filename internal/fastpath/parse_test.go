package fastpath

import (
	"bufio"
	"bytes"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// FuzzParseHead holds the fast loop's reading of a head to net/http's:
// a head parseHead takes, net/http reads without error to the same
// method, address, host, connection and headers.
func FuzzParseHead(f *testing.F) {
	for _, s := range []string{
		"GET /en/news/2026/statement HTTP/1.1\r\nHost: embassy.example\r\nAccept-Encoding: gzip, br\r\n\r\n",
		"HEAD / HTTP/1.1\r\nHost: a:8080\r\nConnection: close\r\nPragma: no-cache\r\n\r\n",
		"GET /a;b=c@d HTTP/1.1\r\nhost: x\r\nx-a:  1 \t\r\nX-A: 2\r\nIf-None-Match: \"x\", W/\"y\"\r\n\r\n",
		"GET /p HTTP/1.1\r\nHost: [::1]:80\r\nCookie: a=b; c=d\r\nUser-Agent: Mozilla/5.0 (X11)\r\n\r\n",
		"GET /%41 HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		// What readHead passes on: up to the first empty line, every line
		// ended by CRLF.
		end := strings.Index(in, "\r\n\r\n")
		if end < 0 || strings.Contains(strings.ReplaceAll(in[:end+4], "\r\n", ""), "\n") {
			return
		}
		head := in[:end+4]
		var r http.Request
		var u url.URL
		r.Header = http.Header{}
		if _, ok := parseHead(head, &r, &u, nil); !ok {
			return
		}
		want, err := http.ReadRequest(bufio.NewReader(strings.NewReader(head)))
		if err != nil {
			t.Fatalf("taken by the fast loop, refused by net/http (%v): %q", err, head)
		}
		delete(want.Header, "Host") // net/http's server drops it too
		if r.Method != want.Method || r.RequestURI != want.RequestURI || *r.URL != *want.URL || r.Host != want.Host ||
			r.Close != want.Close || !reflect.DeepEqual(r.Header, want.Header) {
			t.Fatalf("head %q\nfast:     %s %q %#v host %q close %v %v\nnet/http: %s %q %#v host %q close %v %v", head,
				r.Method, r.RequestURI, *r.URL, r.Host, r.Close, r.Header,
				want.Method, want.RequestURI, *want.URL, want.Host, want.Close, want.Header)
		}
	})
}

// FuzzHeadEnd holds the framing of heads to its definition: the first
// empty line ends the head, and a line ended by a bare LF before it (or
// in it) sends the connection to net/http.
func FuzzHeadEnd(f *testing.F) {
	for _, s := range []string{
		"GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /next",
		"GET / HTTP/1.1\r\nHost: x\r\n",
		"GET / HTTP/1.1\nHost: x\n\n",
		"\r\n\r\n",
		"\n",
		"GET / HTTP/1.1\r\nX: a\rb\r\n\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, buf []byte) {
		n, handOn := headEnd(buf)
		end := bytes.Index(buf, []byte("\r\n\r\n"))
		// The bytes up to the head's end (or all, with none).
		upTo := buf
		if end >= 0 {
			upTo = buf[:end+4]
		}
		bare := bytes.Count(upTo, []byte("\n")) != bytes.Count(upTo, []byte("\r\n"))
		switch {
		case bare && !handOn:
			t.Fatalf("a bare LF in %q not handed on (n %d)", upTo, n)
		case !bare && handOn:
			t.Fatalf("%q handed on with no bare LF", upTo)
		case !bare && end >= 0 && n != end+4:
			t.Fatalf("head of %q: %d bytes, want %d", buf, n, end+4)
		case end < 0 && n != 0:
			t.Fatalf("no head in %q, yet %d bytes", buf, n)
		}
	})
}
