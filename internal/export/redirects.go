package export

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"chancery/internal/content"
	"chancery/internal/store"
)

// redirectsFile is the nginx include that answers a migrated site's old
// addresses, beside manifest.json: outside the public files, and swapped
// in with them. docs/nginx-export.conf includes it.
const redirectsFile = "redirects.conf"

// writeRedirects writes one exact-match location per old address of the
// site (and per form of it the old platform answered alike: with or
// without a trailing slash or index file), each a permanent redirect to
// where chancery serve sends it. Letter case cannot be folded by nginx
// without scripting, so only the recorded case and lower case answer.
func (b *builder) writeRedirects(ctx context.Context, path string) (int, error) {
	s := b.o.Site
	redirects, err := b.o.Store.Imports().Redirects(ctx, s.ID)
	if err != nil {
		return 0, fmt.Errorf("read the old addresses of %s: %w", s.Key, err)
	}
	sections, err := b.o.Store.Sections(ctx, s.ID)
	if err != nil {
		return 0, err
	}
	tree := content.NewTree(sections)
	exported := map[string]bool{}
	for _, e := range b.entries {
		exported[e.Address] = true
	}
	seen := map[string]bool{"/": true}
	var lines []string
	for _, r := range redirects {
		target, err := b.redirectTarget(ctx, tree, r)
		if err != nil {
			return 0, err
		}
		if target == "" {
			continue
		}
		key := store.RedirectKey(r.OldPath)
		for _, from := range []string{r.OldPath, key, key + "/", key + "/index.htm", key + "/index.html"} {
			if seen[from] || from == target || exported[from] || !nginxSafe(from) {
				continue
			}
			seen[from] = true
			lines = append(lines, fmt.Sprintf("location = \"%s\" { return 301 \"%s\"; }\n", from, nginxTarget(target)))
		}
	}
	slices.Sort(lines)
	var text strings.Builder
	text.WriteString("# Old addresses of " + s.Key + ", written by chancery export; included by docs/nginx-export.conf.\n")
	for _, l := range lines {
		text.WriteString(l)
	}
	if err := os.WriteFile(path, []byte(text.String()), 0o644); err != nil {
		return 0, explainWrite(path, err)
	}
	return len(lines), nil
}

// redirectTarget is where an old address leads now, as the site handler
// answers it: "" when its article is not public or its section is gone.
func (b *builder) redirectTarget(ctx context.Context, tree content.Tree, r store.Redirect) (string, error) {
	switch {
	case r.ArticleID != 0:
		a, err := b.o.Store.Article(ctx, r.ArticleID)
		if errors.Is(err, content.ErrNotFound) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		if !a.Visible(b.now) && a.Status != content.StatusWithdrawn {
			return "", nil
		}
		return a.Path, nil
	case r.SectionID != 0:
		if _, ok := tree.Section(r.SectionID); !ok || !b.o.Site.HasLanguage(r.Language) {
			return "", nil
		}
		return content.SectionPath(r.Language, tree.Slugs(r.SectionID, r.Language)), nil
	}
	return r.Target, nil
}

// nginxTarget writes a redirect's target so that it can stand inside
// double quotes in nginx's configuration: what nginxSafe refuses, and a
// space, is percent-encoded, which leads a browser to the same address (a
// kept old address may hold any character).
func nginxTarget(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '"' || c == '\\' || c == '$' || c <= ' ' || c == 0x7f:
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// nginxSafe reports whether a path can be written inside double quotes in
// nginx's configuration: no quote, backslash, dollar (a variable) or
// control character.
func nginxSafe(p string) bool {
	return strings.HasPrefix(p, "/") && !strings.ContainsFunc(p, func(r rune) bool {
		return r == '"' || r == '\\' || r == '$' || r < 0x20 || r == 0x7f
	})
}
