// Package theme holds the public site's templates and style sheets,
// embedded in the binary. A directory given at start-up may override any
// of them file by file, so a ministry can restyle its network without a
// rebuild. Every template is parsed when the theme loads: a broken
// override stops the server at start-up, not at the first reader.
package theme

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
)

//go:embed templates/*.html static/*
var embedded embed.FS

// Pages are the page templates every theme provides; each is parsed
// together with layout.html.
var Pages = []string{"index", "home", "section", "article", "notfound", "search", "share"}

// Theme is a parsed set of templates and the static files they link to.
// It is read-only after Load and safe for concurrent use.
type Theme struct {
	pages  map[string]*template.Template
	static map[string]Asset // by versioned name
	urls   map[string]string
	// fingerprint hashes every template and static file.
	fingerprint string
}

// Fingerprint is a hash of every file of the theme: pages rendered with
// another fingerprint may look different.
func (t *Theme) Fingerprint() string { return t.fingerprint }

// Asset is a static file ready to serve.
type Asset struct {
	Name        string // versioned name: site.3f9a1c2b.css
	ContentType string
	Body        []byte
}

// Load parses the embedded theme, with files from overrideDir taking the
// place of embedded files of the same name. overrideDir may be "".
func Load(overrideDir string, funcs template.FuncMap) (*Theme, error) {
	var fsys fs.FS = embedded
	if overrideDir != "" {
		if _, err := os.Stat(overrideDir); err != nil {
			return nil, fmt.Errorf("theme directory: %w", err)
		}
		fsys = layered{top: os.DirFS(overrideDir), bottom: embedded}
	}
	t := &Theme{pages: map[string]*template.Template{}, static: map[string]Asset{}, urls: map[string]string{}}
	whole := sha256.New()
	for _, name := range append([]string{"layout"}, Pages...) {
		b, err := fs.ReadFile(fsys, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("theme: %w", err)
		}
		whole.Write(b)
	}
	names, err := fs.Glob(embedded, "static/*")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("theme: %w", err)
		}
		sum := sha256.Sum256(b)
		whole.Write(sum[:])
		base := path.Base(name)
		ext := path.Ext(base)
		versioned := strings.TrimSuffix(base, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		t.static[versioned] = Asset{Name: versioned, ContentType: contentType(ext), Body: b}
		t.urls[base] = "/static/" + versioned
	}
	t.fingerprint = hex.EncodeToString(whole.Sum(nil)[:12])
	all := template.FuncMap{"asset": t.URL}
	for k, v := range funcs {
		all[k] = v
	}
	layout, err := template.New("layout.html").Funcs(all).ParseFS(fsys, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("theme: %w", err)
	}
	for _, p := range Pages {
		clone, err := layout.Clone()
		if err != nil {
			return nil, err
		}
		if t.pages[p], err = clone.ParseFS(fsys, "templates/"+p+".html"); err != nil {
			return nil, fmt.Errorf("theme: %w", err)
		}
	}
	return t, nil
}

func contentType(ext string) string {
	switch ext {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".ico":
		return "image/x-icon"
	}
	return "application/octet-stream"
}

// URL returns the versioned address of a static file ("site.css" becomes
// "/static/site.3f9a1c2b.css"), or "" when the theme has no such file.
func (t *Theme) URL(name string) string { return t.urls[name] }

// Asset returns the static file with a versioned name.
func (t *Theme) Asset(versioned string) (Asset, bool) {
	a, ok := t.static[versioned]
	return a, ok
}

// Render executes page with data into w. Callers render into a buffer so
// that a failing template never sends half a page.
func (t *Theme) Render(w io.Writer, page string, data any) error {
	tmpl, ok := t.pages[page]
	if !ok {
		return fmt.Errorf("theme: no page template %q", page)
	}
	return tmpl.ExecuteTemplate(w, "layout.html", data)
}

// RenderBytes is Render into a new buffer.
func (t *Theme) RenderBytes(page string, data any) ([]byte, error) {
	var buf bytes.Buffer
	if err := t.Render(&buf, page, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// layered reads from top, and from bottom where top lacks the file.
type layered struct{ top, bottom fs.FS }

func (l layered) Open(name string) (fs.File, error) {
	f, err := l.top.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return l.bottom.Open(name)
	}
	return f, err
}
