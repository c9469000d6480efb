package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := NewLimiter(60, 3) // one a second, three in a row
	l.now = func() time.Time { return now }
	for i := range 3 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait <= 0 || wait > time.Second {
		t.Fatalf("fourth request: %v, retry after %v; want refused, about a second", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another address was refused")
	}
	now = now.Add(time.Second)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("refused after a second's refill")
	}
	now = now.Add(2 * time.Minute)
	l.Allow("c")
	if _, kept := l.buckets["b"]; kept {
		t.Fatal("an idle client's bucket was kept")
	}
}

func TestClientAddr(t *testing.T) {
	for remote, want := range map[string]string{
		"192.0.2.7:5555":             "192.0.2.7",
		"[2001:db8:1:2:aaaa::1]:443": "2001:db8:1:2::/64",
		"[2001:db8:1:2:bbbb::9]:80":  "2001:db8:1:2::/64",
		"[::ffff:192.0.2.7]:80":      "::ffff:192.0.2.7",
		"not an address":             "not an address",
	} {
		r := &http.Request{RemoteAddr: remote}
		if got := ClientAddr(r); got != want {
			t.Errorf("ClientAddr(%q) = %q; want %q", remote, got, want)
		}
	}
}

func TestLimiterMemoryIsBounded(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := NewLimiter(60, 1)
	l.now = func() time.Time { return now }
	for i := range MaxKeys + 10 {
		l.Allow(fmt.Sprint(i))
	}
	if len(l.buckets) > MaxKeys {
		t.Fatalf("%d buckets; at most %d", len(l.buckets), MaxKeys)
	}
	if ok, _ := l.Allow("newcomer"); !ok {
		t.Fatal("a new client was refused when the table was full")
	}
}

func TestFromProxies(t *testing.T) {
	trusted, err := ParsePrefixes([]string{"127.0.0.1", "10.0.0.0/8"})
	if err != nil {
		t.Fatal(err)
	}
	var got string
	h := FromProxies(trusted, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = ClientAddr(r) }))
	for _, tt := range []struct {
		peer, xff, want string
	}{
		{"127.0.0.1:5000", "198.51.100.7", "198.51.100.7"},
		{"127.0.0.1:5000", "203.0.113.1, 198.51.100.7, 10.1.2.3", "198.51.100.7"}, // a chain of our proxies
		{"127.0.0.1:5000", "", "127.0.0.1"},
		{"127.0.0.1:5000", "not-an-address", "127.0.0.1"},
		{"127.0.0.1:5000", "2001:db8:1:2::9", "2001:db8:1:2::/64"},
		{"198.51.100.9:5000", "203.0.113.1", "198.51.100.9"}, // not our proxy: the header is a lie
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = tt.peer
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if got != tt.want {
			t.Errorf("peer %s, X-Forwarded-For %q: client %s; want %s", tt.peer, tt.xff, got, tt.want)
		}
	}
	if _, err := ParsePrefixes([]string{"10.0.0.0/33"}); err == nil {
		t.Error("a bad network was accepted")
	}
}
