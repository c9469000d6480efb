package theme

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEmbeddedThemeLoads(t *testing.T) {
	th, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"site.css", "print.css"} {
		u := th.URL(name)
		a, ok := th.Asset(strings.TrimPrefix(u, "/static/"))
		if !ok || !strings.HasPrefix(a.ContentType, "text/css") || len(a.Body) == 0 {
			t.Fatalf("%s → %q: %v", name, u, ok)
		}
	}
}

func TestOverrideDirectory(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "static"), 0o755)
	os.MkdirAll(filepath.Join(dir, "templates"), 0o755)
	os.WriteFile(filepath.Join(dir, "static", "site.css"), []byte("body{color:red}"), 0o644)
	os.WriteFile(filepath.Join(dir, "templates", "notfound.html"), []byte(`{{define "main"}}<h1>Custom 404</h1>{{end}}`), 0o644)
	th, err := Load(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := th.Asset(strings.TrimPrefix(th.URL("site.css"), "/static/"))
	if string(a.Body) != "body{color:red}" {
		t.Fatalf("override style sheet not used: %q", a.Body)
	}
	base, _ := Load("", nil)
	if th.URL("site.css") == base.URL("site.css") {
		t.Fatal("an overridden file kept the embedded file's versioned name")
	}
	if _, err := Load(filepath.Join(dir, "missing"), nil); err == nil {
		t.Fatal("a missing theme directory was accepted")
	}
	os.WriteFile(filepath.Join(dir, "templates", "article.html"), []byte(`{{define "main"}}{{.Broken`), 0o644)
	if _, err := Load(dir, nil); err == nil || !strings.Contains(err.Error(), "article.html") {
		t.Fatalf("a broken override template: %v; want an error naming it at load", err)
	}
}
