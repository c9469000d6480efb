package store

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRedirectKey(t *testing.T) {
	for in, want := range map[string]string{
		"/eng/zgyw/202207/t20220730_10730785.htm": "/eng/zgyw/202207/t20220730_10730785.htm",
		"/ENG/ZGYW/Index.HTM":                     "/eng/zgyw",
		"/eng/zgyw/":                              "/eng/zgyw",
		"/eng//zgyw/default.aspx":                 "/eng/zgyw",
		"/eng/zgyw/index.html?page=2#top":         "/eng/zgyw",
		"/%E4%B8%AD%E6%96%87/index.htm":           "/中文",
		"eng/x.htm":                               "/eng/x.htm",
		"/":                                       "/",
		"":                                        "/",
		"/%zz/x":                                  "/%zz/x",
	} {
		if got := RedirectKey(in); got != want {
			t.Errorf("RedirectKey(%q) = %q; want %q", in, got, want)
		}
	}
}

// FuzzRedirectKey: any address gives a key that starts with "/", has no
// empty segment or trailing slash (but for "/"), and is its own key.
func FuzzRedirectKey(f *testing.F) {
	for _, s := range []string{"/eng/zgyw/index.htm", "/A//B/", "/%2F%2e%2e/", "?x", "/index.htm/index.htm", "/\x00/ä"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		k := RedirectKey(path)
		if !strings.HasPrefix(k, "/") || strings.Contains(k, "//") || (k != "/" && strings.HasSuffix(k, "/")) {
			t.Fatalf("RedirectKey(%q) = %q", path, k)
		}
		// Decoding is done once: a key with "%" in it may decode further.
		if utf8.ValidString(path) && !strings.Contains(k, "%") && RedirectKey(k) != k {
			t.Fatalf("RedirectKey(%q) = %q, whose own key is %q", path, k, RedirectKey(k))
		}
	})
}
