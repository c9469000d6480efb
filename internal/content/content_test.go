package content

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSlugify(t *testing.T) {
	tests := map[string]string{
		"Statement by Ambassador Ló on Water Security": "statement-by-ambassador-lo-on-water-security",
		"  Minister's Remarks: 2024 & Beyond!  ":       "ministers-remarks-2024-beyond",
		"Élysée—Café, Zürich":                          "elysee-cafe-zurich",
		"习近平同伊朗总统莱希通电话":                                "",
		"王毅会见UNDP署长":                                   "",
		"بيان السفير":                                  "",
		"---":                                          "",
		"Ｆｕｌｌ Ｗｉｄｔｈ":                                   "full-width",
	}
	for in, want := range tests {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q; want %q", in, got, want)
		}
	}
	long := Slugify(strings.Repeat("word ", 40))
	if len(long) > maxSlugLen || strings.HasSuffix(long, "-") || !strings.HasPrefix(long, "word-word") {
		t.Errorf("long title slug = %q (%d bytes)", long, len(long))
	}
}

func FuzzSlugify(f *testing.F) {
	for _, s := range []string{"Statement on Water", "中文标题", "a--b", "Ünïcödé", strings.Repeat("x", 200)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, title string) {
		s := Slugify(title)
		if s == "" {
			return
		}
		if !slugPattern.MatchString(s) || len(s) > maxSlugLen {
			t.Fatalf("Slugify(%q) = %q: not a valid slug", title, s)
		}
		if again := Slugify(s); again != s {
			t.Fatalf("Slugify is not stable: %q → %q → %q", title, s, again)
		}
	})
}

func TestNormalizeHost(t *testing.T) {
	tests := map[string]string{
		"UN.Localhost:8080":       "un.localhost",
		"example.org.":            "example.org",
		" Embassy.Example.ORG ":   "embassy.example.org",
		"[::1]:8080":              "[::1]",
		"https://bad.example.org": "https://bad.example.org",
		"host:port":               "host:port",
	}
	for in, want := range tests {
		if got := NormalizeHost(in); got != want {
			t.Errorf("NormalizeHost(%q) = %q; want %q", in, got, want)
		}
	}
}

func FuzzNormalizeHost(f *testing.F) {
	for _, s := range []string{"un.localhost:8080", "[::1]:80", "a:b:c", "", "EXAMPLE.org."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		n := NormalizeHost(h)
		if NormalizeHost(n) != n {
			t.Fatalf("NormalizeHost not idempotent: %q → %q → %q", h, n, NormalizeHost(n))
		}
		if strings.ToLower(n) != n {
			t.Fatalf("NormalizeHost(%q) = %q is not lower-case", h, n)
		}
	})
}

func TestSiteValidate(t *testing.T) {
	good := Site{Key: "un", Hosts: []string{"un.example.org"}, Languages: []string{"en", "zh"}, DefaultLanguage: "en",
		TimeZone: "America/New_York", Names: map[string]string{"en": "Mission", "zh": "代表团"}}
	if err := good.Validate(); err != nil {
		t.Fatalf("valid site: %v", err)
	}
	cases := map[string]struct {
		change func(*Site)
		field  string
	}{
		"bad key":            {func(s *Site) { s.Key = "UN Mission" }, "key"},
		"no host":            {func(s *Site) { s.Hosts = nil }, "hosts"},
		"host with scheme":   {func(s *Site) { s.Hosts = []string{"https://x.org"} }, "hosts"},
		"unknown tag":        {func(s *Site) { s.Languages = []string{"en", "xx"} }, "languages"},
		"und tag":            {func(s *Site) { s.Languages = []string{"en", "und"} }, "languages"},
		"default not listed": {func(s *Site) { s.DefaultLanguage = "fr" }, "default_language"},
		"missing name":       {func(s *Site) { delete(s.Names, "zh") }, "names"},
		"extra name":         {func(s *Site) { s.Names["fr"] = "Mission" }, "names"},
		"unknown zone":       {func(s *Site) { s.TimeZone = "Europe/Atlantis" }, "time_zone"},
		"Local zone":         {func(s *Site) { s.TimeZone = "Local" }, "time_zone"},
		"no zone":            {func(s *Site) { s.TimeZone = "" }, "time_zone"},
	}
	for name, c := range cases {
		s := good
		s.Names = map[string]string{"en": "Mission", "zh": "代表团"}
		c.change(&s)
		var ve *ValidationError
		if err := s.Validate(); !errors.As(err, &ve) || ve.Fields[c.field] == "" {
			t.Errorf("%s: Validate() = %v; want a problem with %s", name, err, c.field)
		}
	}
}

func TestDirection(t *testing.T) {
	for tag, want := range map[string]string{"ar": "rtl", "fa": "rtl", "he": "rtl", "ur": "rtl", "en": "ltr", "zh": "ltr", "zh-Hant": "ltr", "bogus!": "ltr"} {
		if got := Direction(tag); got != want {
			t.Errorf("Direction(%q) = %q; want %q", tag, got, want)
		}
	}
}

func TestArticlePath(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	at := time.Date(2024, 7, 1, 3, 45, 0, 0, time.UTC).In(ny)
	if got := ArticlePath("en", []string{"meetings", "security-council"}, at, "water"); got != "/en/meetings/security-council/2024/06/water" {
		t.Fatalf("ArticlePath = %s", got)
	}
	if got := SectionPath("zh", nil); got != "/zh/" {
		t.Fatalf("SectionPath(no slugs) = %s", got)
	}
}

func TestTreeSurvivesBadData(t *testing.T) {
	// A cycle or a missing parent must not hang or crash readers.
	tree := NewTree([]Section{{ID: 1, ParentID: 2}, {ID: 2, ParentID: 1}, {ID: 3, ParentID: 99}, {ID: 4}})
	if got := tree.Ancestry(1); len(got) > 2 {
		t.Fatalf("Ancestry over a cycle = %v", got)
	}
	if got := tree.Ancestry(3); got != nil {
		t.Fatalf("Ancestry with a missing parent = %v; want nil", got)
	}
	if got := tree.Subtree(1); len(got) != 2 {
		t.Fatalf("Subtree over a cycle = %v", got)
	}
	if got := tree.Subtree(4); len(got) != 1 {
		t.Fatalf("Subtree(4) = %v", got)
	}
}
