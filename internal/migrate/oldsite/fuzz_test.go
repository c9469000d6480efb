package oldsite

import (
	"strings"
	"testing"
	"unicode/utf8"

	"chancery/internal/migrate"
)

// FuzzParse checks that no page, however broken, makes Parse panic or
// return an entry the importer cannot use.
func FuzzParse(f *testing.F) {
	for _, name := range fixtureNames(f) {
		f.Add(name, readFixture(f, name).Data)
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		entries := Parse(migrate.File{Name: name, Data: data})
		if len(entries) == 0 {
			t.Fatal("no entry")
		}
		for _, e := range entries {
			checkEntry(t, e)
		}
	})
}

func checkEntry(t *testing.T, e migrate.Entry) {
	t.Helper()
	set := 0
	for _, ok := range []bool{e.Item != nil, e.Listing != nil, e.Skip != "", e.Err != nil} {
		if ok {
			set++
		}
	}
	if set != 1 {
		t.Fatalf("%d of Item, Listing, Skip, Err set in %+v", set, e)
	}
	if l := e.Listing; l != nil {
		if !strings.HasPrefix(l.OldPath, "/") || !utf8.ValidString(l.OldPath) {
			t.Errorf("listing OldPath %q", l.OldPath)
		}
		checkSections(t, l.Sections)
	}
	it := e.Item
	if it == nil {
		return
	}
	if len(it.OldPaths) == 0 || it.Key != it.OldPaths[0] {
		t.Errorf("Key %q, OldPaths %q", it.Key, it.OldPaths)
	}
	strs := []string{it.Key, it.Language, string(it.Kind), it.Title, it.Summary, it.Body, it.Slug}
	for _, p := range it.OldPaths {
		if !strings.HasPrefix(p, "/") {
			t.Errorf("old path %q does not start with /", p)
		}
		strs = append(strs, p)
	}
	for _, a := range it.Attachments {
		strs = append(strs, a.Ref, a.Title)
	}
	strs = append(strs, it.Translations...)
	for _, s := range strs {
		if !utf8.ValidString(s) {
			t.Errorf("invalid UTF-8 %q", s)
		}
	}
	checkSections(t, it.Sections)
}

func checkSections(t *testing.T, refs []migrate.SectionRef) {
	t.Helper()
	for _, r := range refs {
		if r.Slug == "" || !utf8.ValidString(r.Name) || r.Name == "" {
			t.Errorf("section %+v", r)
		}
	}
}
