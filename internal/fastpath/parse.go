package fastpath

import (
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
)

// maxHeaders is the most header lines a head the fast loop takes has.
const maxHeaders = 100

// parseHead reads a request head (ending in its empty line) into r and u,
// appending header values to values, and reports whether the fast loop
// takes the request. It takes only what it reads exactly as net/http
// would: GET or HEAD, HTTP/1.1, a path of plain characters (no
// percent-encoding, query, fragment or dot segment), a single valid Host,
// no body (Content-Length, Transfer-Encoding), no Expect or Upgrade, and
// a Connection of keep-alive or close. Anything else is net/http's to
// answer, which includes refusing it.
func parseHead(head string, r *http.Request, u *url.URL, values []string) ([]string, bool) {
	line, rest, _ := strings.Cut(head, "\r\n")
	method, line, ok := strings.Cut(line, " ")
	if !ok || (method != http.MethodGet && method != http.MethodHead) {
		return values, false
	}
	target, proto, ok := strings.Cut(line, " ")
	if !ok || proto != "HTTP/1.1" || !plainPath(target) {
		return values, false
	}
	*u = url.URL{Path: target}
	r.Method, r.URL, r.RequestURI = method, u, target
	r.Proto, r.ProtoMajor, r.ProtoMinor = "HTTP/1.1", 1, 1
	r.Body = http.NoBody
	h := r.Header
	hosts := 0
	for n := 0; ; n++ {
		line, rest, _ = strings.Cut(rest, "\r\n")
		if line == "" {
			break
		}
		if n == maxHeaders {
			return values, false
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || !token(name) {
			return values, false
		}
		value = strings.Trim(value, " \t")
		if !fieldValue(value) {
			return values, false
		}
		name = textproto.CanonicalMIMEHeaderKey(name)
		switch name {
		case "Host":
			hosts++
			if hosts > 1 || !plainHost(value) {
				return values, false
			}
			r.Host = value
			continue
		case "Content-Length", "Transfer-Encoding", "Expect", "Upgrade":
			return values, false
		case "Connection":
			for list := value; list != ""; {
				var t string
				t, list, _ = strings.Cut(list, ",")
				switch t = strings.Trim(t, " \t"); {
				case strings.EqualFold(t, "close"):
					r.Close = true
				case !strings.EqualFold(t, "keep-alive"):
					return values, false
				}
			}
		}
		values = append(values, value)
		if old := h[name]; old != nil {
			h[name] = append(old, value)
		} else {
			h[name] = values[len(values)-1 : len(values) : len(values)]
		}
	}
	if hosts == 0 {
		return values, false
	}
	// As net/http: a "Pragma: no-cache" alone also asks for no cache.
	if p := h["Pragma"]; len(p) > 0 && p[0] == "no-cache" {
		if _, ok := h["Cache-Control"]; !ok {
			h["Cache-Control"] = []string{"no-cache"}
		}
	}
	return values, true
}

// plainPath reports whether target is a path net/http reads as it is: it
// starts with a slash and holds only letters, digits and -._~$&+,/:;=@,
// with no empty or dot segment (which ServeMux redirects).
func plainPath(target string) bool {
	return strings.HasPrefix(target, "/") && !strings.Contains(target, "//") && !strings.Contains(target, "/.") &&
		only(target, "-._~$&+,/:;=@")
}

// plainHost reports whether v is a host name, with an optional port, of
// letters, digits, dots, hyphens and colons (or an IPv6 literal).
func plainHost(v string) bool { return only(v, ".-:[]") }

// token reports whether s is a header name (RFC 9110 token).
func token(s string) bool { return only(s, "!#$%&'*+-.^_`|~") }

// only reports whether s is not empty and holds only ASCII letters and
// digits and bytes of extra.
func only(s, extra string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') && strings.IndexByte(extra, c) < 0 {
			return false
		}
	}
	return true
}

// fieldValue reports whether v (trimmed) is a header value without
// control characters other than tab.
func fieldValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}
