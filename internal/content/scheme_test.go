package content

import (
	"strings"
	"testing"
	"time"
)

func TestArticleAddress(t *testing.T) {
	s := Site{AddressScheme: "/{channel}/{sections}/{yyyymm}/t{yyyymmdd}_{number}.htm", Channels: map[string]string{"zh": "chn"}}
	at := time.Date(2022, 7, 30, 9, 5, 0, 0, time.UTC)
	for _, tt := range []struct {
		lang  string
		slugs []string
		want  string
	}{
		{"zh", []string{"sgxx", "dsjh"}, "/chn/sgxx/dsjh/202207/t20220730_42.htm"},
		{"en", []string{"news"}, "/en/news/202207/t20220730_42.htm"},
		{"en", nil, "/en/202207/t20220730_42.htm"},
	} {
		if got := s.ArticleAddress(tt.lang, tt.slugs, at, "a-title", 42); got != tt.want {
			t.Errorf("ArticleAddress(%s, %v) = %q; want %q", tt.lang, tt.slugs, got, tt.want)
		}
	}
	if got := (Site{}).ArticleAddress("en", []string{"news"}, at, "a-title", 42); got != "/en/news/2022/07/a-title" {
		t.Errorf("readable scheme: %q", got)
	}
	for scheme, ok := range map[string]bool{
		"": true, "/{lang}/{section}/{slug}": true, "/{channel}/{yyyy}/{mm}/{dd}/{number}.html": true,
		"{lang}/{slug}": false, "/{lang}/{slug}/": false, "/{lang}//{slug}": false, "/{lang}/{title}": false,
		"/{lang}/{section}.htm": false, "/{lang}/a b/{slug}": false, "/{lang}/?p={number}": false,
	} {
		if got := CheckScheme(scheme) == ""; got != ok {
			t.Errorf("CheckScheme(%q) accepts: %v; want %v (%s)", scheme, got, ok, CheckScheme(scheme))
		}
	}
}

// FuzzScheme: a scheme CheckScheme accepts gives every article, in any
// section and language, an address an article can be stored at.
func FuzzScheme(f *testing.F) {
	for _, s := range []string{"/{channel}/{section}/{yyyymm}/t{yyyymmdd}_{number}.htm", "/{lang}/{sections}/{slug}", "/x/{number}", "/{section}/{section}/{slug}"} {
		f.Add(s, "eng")
	}
	f.Fuzz(func(t *testing.T, scheme, channel string) {
		if CheckScheme(scheme) != "" || !channelPattern.MatchString(channel) {
			return
		}
		s := Site{AddressScheme: scheme, Channels: map[string]string{"en": channel}}
		at := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
		for _, slugs := range [][]string{nil, {"news"}, {"a", "b_c"}} {
			p := s.ArticleAddress("en", slugs, at, "a-slug", 7)
			if msg := CheckPath(p); msg != "" {
				t.Fatalf("scheme %q gives %q: %s", scheme, p, msg)
			}
			if !strings.Contains(p, "7") && !strings.Contains(p, "a-slug") {
				t.Fatalf("scheme %q gives %q, which names neither the article's number nor its slug", scheme, p)
			}
		}
	})
}
