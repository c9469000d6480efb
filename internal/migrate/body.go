package migrate

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"chancery/internal/markup"
	"chancery/internal/store"
)

// body is an article's text as stored: what an editor edits (Markdown, or
// the cleaned HTML of an old page) and what readers are served.
type body struct{ source, html string }

// body renders and cleans an item's text, storing the images and
// documents it links that the source holds and pointing the links at
// them. Links to files the source does not hold are left as they were,
// with a note.
func (im *importer) body(ctx context.Context, q store.Queries, w *parsed, file string, it *Item) (body, []string, error) {
	raw := it.Body
	if !it.HTML {
		rendered, err := markup.Render(it.Body)
		if err != nil {
			return body{}, nil, err
		}
		raw = rendered
	}
	attachments := map[string]string{}
	for _, a := range it.Attachments {
		attachments[a.Ref] = a.Title
	}
	var notes []string
	moved := map[string]string{} // link as written → stored file's address
	link := func(ref string, image bool) (string, error) {
		if to, ok := moved[ref]; ok {
			return to, nil
		}
		_, listed := attachments[ref]
		if !image && !listed && !isDocument(ref) {
			return "", nil
		}
		name, found := resolveRef(w.files, file, ref)
		if !found {
			if name != "" {
				notes = append(notes, fmt.Sprintf("%s is not in the source; the link was left as it was", ref))
			}
			return "", nil
		}
		to, note, err := im.store(ctx, q, w.files[name])
		if note != "" {
			notes = append(notes, fmt.Sprintf("%s: %s", ref, note))
		}
		if to != "" {
			moved[ref] = to
		}
		return to, err
	}
	cleaned, linked, err := rewriteLinks(raw, link)
	if err != nil {
		return body{}, nil, err
	}
	// Documents the page lists outside its text are listed after it.
	var extra strings.Builder
	for _, a := range it.Attachments {
		if linked[a.Ref] {
			continue
		}
		to, err := link(a.Ref, false)
		if err != nil {
			return body{}, nil, err
		}
		if to == "" {
			to = a.Ref
		}
		title := a.Title
		if strings.TrimSpace(title) == "" {
			title = path.Base(to)
		}
		fmt.Fprintf(&extra, "<li><a href=\"%s\">%s</a></li>", html.EscapeString(to), html.EscapeString(title))
	}
	if extra.Len() > 0 {
		cleaned += "\n<ul>" + extra.String() + "</ul>"
	}
	safe := markup.Sanitize(cleaned)
	out := body{html: safe, source: compactHTML(safe)}
	if !it.HTML {
		// The Markdown links the same files, as Markdown links, reference
		// definitions or raw HTML.
		src := it.Body
		for from, to := range moved {
			for _, form := range []string{"](%s", "]: %s", "=\"%s\"", "='%s'", "](<%s>"} {
				src = strings.ReplaceAll(src, fmt.Sprintf(form, from), fmt.Sprintf(form, to))
			}
		}
		if extra.Len() > 0 {
			src += "\n\n<ul>" + extra.String() + "</ul>"
		}
		out.source = src
	}
	return out, notes, nil
}

var documentExt = regexp.MustCompile(`(?i)\.(pdf|docx?|xlsx?|pptx?|odt|ods|zip|rtf|txt)$`)

func isDocument(ref string) bool {
	u, err := url.Parse(ref)
	return err == nil && documentExt.MatchString(u.Path)
}

// resolveRef finds the file a link of the page in file points at, among
// the source's files. It returns the source name it tried, "" for links
// that cannot name a file of the source (other sites, mail, fragments),
// and whether the file is there.
func resolveRef(files map[string]sourceFile, file, ref string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https") || u.Path == "" {
		return "", false
	}
	p := u.Path
	if !strings.HasPrefix(p, "/") {
		p = path.Join(path.Dir("/"+file), p)
	}
	name := strings.TrimPrefix(path.Clean(p), "/")
	if _, ok := files[name]; ok {
		return name, true
	}
	// A saved copy often keeps the old host as its top directory.
	for n := range files {
		if strings.HasSuffix(n, "/"+name) && strings.Count(n, "/") == strings.Count(name, "/")+1 {
			return n, true
		}
	}
	if u.Host != "" {
		return "", false // on another server; nothing to find here
	}
	return name, false
}

// store keeps a file of the source and records its old address; it
// returns the file's new address, or a note saying why it was not kept.
func (im *importer) store(ctx context.Context, q store.Queries, f sourceFile) (string, string, error) {
	data, err := f.read()
	if err != nil {
		return "", "cannot be read: " + err.Error(), nil
	}
	ctype, ok := store.FileType(f.name, data)
	if !ok {
		return "", fmt.Sprintf("a %s file, which is not kept (images, PDF and office documents are); the link was left as it was", ctype), nil
	}
	m, err := q.Imports().PutMedia(ctx, store.Media{SiteID: im.site.ID, ContentType: ctype, Name: store.FileName(f.name, ctype), Data: data})
	if err != nil {
		return "", "", err
	}
	if err := q.Imports().PutRedirect(ctx, store.Redirect{SiteID: im.site.ID, OldPath: "/" + f.name, Target: m.Path()}); err != nil {
		return "", "", err
	}
	if !im.files[m.Key] {
		set(im, im.files, m.Key, true)
		im.count(&im.rep.Files, 1)
	}
	return m.Path(), "", nil
}

// rewriteLinks gives every image and link of a fragment to link, which
// returns the new address or "" to leave it; it returns the fragment
// again and which links it holds.
func rewriteLinks(fragment string, link func(ref string, image bool) (string, error)) (string, map[string]bool, error) {
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), ctx)
	if err != nil {
		return "", nil, fmt.Errorf("the text cannot be read as HTML: %w", err)
	}
	linked := map[string]bool{}
	var walk func(n *html.Node) error
	walk = func(n *html.Node) error {
		if n.Type == html.ElementNode && (n.DataAtom == atom.Img || n.DataAtom == atom.A) {
			attr := "href"
			if n.DataAtom == atom.Img {
				attr = "src"
			}
			for i, a := range n.Attr {
				if a.Key != attr {
					continue
				}
				linked[a.Val] = true
				to, err := link(a.Val, n.DataAtom == atom.Img)
				if err != nil {
					return err
				}
				if to != "" {
					n.Attr[i].Val = to
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	var out strings.Builder
	for _, n := range nodes {
		if err := walk(n); err != nil {
			return "", nil, err
		}
		if err := html.Render(&out, n); err != nil {
			return "", nil, err
		}
	}
	return out.String(), linked, nil
}

var blankLines = regexp.MustCompile(`\n[ \t]*\n+`)

// compactHTML writes cleaned HTML so that, read again as Markdown, it is
// the same HTML: no blank lines (which would end an HTML block) and no
// indentation (which would make code).
func compactHTML(s string) string {
	s = blankLines.ReplaceAllString(strings.TrimSpace(s), "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimLeft(l, " \t")
	}
	return strings.Join(lines, "\n")
}
