package oldsite

import (
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
	if err := e.Check(); err != nil {
		t.Fatalf("%v: %+v", err, e)
	}
	if l := e.Listing; l != nil {
		checkSections(t, l.Sections)
	}
	if it := e.Item; it != nil {
		if len(it.OldPaths) == 0 || it.Key != it.OldPaths[0] {
			t.Errorf("Key %q, OldPaths %q", it.Key, it.OldPaths)
		}
		checkSections(t, it.Sections)
	}
}

func checkSections(t *testing.T, refs []migrate.SectionRef) {
	t.Helper()
	for _, r := range refs {
		if r.Slug == "" || !utf8.ValidString(r.Name) || r.Name == "" {
			t.Errorf("section %+v", r)
		}
	}
}
