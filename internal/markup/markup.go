// Package markup turns what authors write (Markdown, or HTML pasted from a
// word processor) into the sanitised HTML readers are served. Nothing an
// author types can run script in a reader's browser: whatever the
// Markdown renderer lets through is filtered by an allow-list afterwards.
package markup

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"

	"chancery/internal/content"
)

var (
	md = goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		// Raw HTML passes the renderer so that pasted HTML keeps its
		// structure; the policy below removes anything unsafe.
		goldmark.WithRendererOptions(html.WithUnsafe()),
	)
	policy = newPolicy()
)

func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	// Official documents link where they must; nofollow is for comments.
	p.RequireNoFollowOnLinks(false)
	p.RequireNoReferrerOnLinks(true)
	p.AllowAttrs("id").Matching(regexp.MustCompile(`^[a-z0-9-]{1,100}$`)).OnElements("h1", "h2", "h3", "h4", "h5", "h6")
	p.AllowAttrs("dir").Matching(regexp.MustCompile(`^(ltr|rtl|auto)$`)).Globally()
	p.AllowAttrs("lang").Matching(regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)).Globally()
	return p
}

// Render converts Markdown (which may hold pasted HTML) to sanitised HTML.
// It is safe for concurrent use.
func Render(source string) (string, error) {
	var buf bytes.Buffer
	ctx := parser.NewContext(parser.WithIDs(&headingIDs{seen: map[string]int{}}))
	if err := md.Convert([]byte(source), &buf, parser.WithContext(ctx)); err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	return policy.Sanitize(buf.String()), nil
}

// Sanitize filters HTML through the same allow-list as Render.
func Sanitize(html string) string { return policy.Sanitize(html) }

// headingIDs gives each heading an anchor: a readable one for Latin
// headings, "section-N" for the rest. (goldmark's default would give every
// all-Chinese heading the same id.)
type headingIDs struct {
	n    int
	seen map[string]int
}

func (h *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	h.n++
	id := content.Slugify(string(value))
	if len(id) > 60 {
		id = id[:60]
	}
	if id == "" {
		id = "section-" + strconv.Itoa(h.n)
	}
	if n := h.seen[id]; n > 0 {
		h.seen[id] = n + 1
		id += "-" + strconv.Itoa(n+1)
	} else {
		h.seen[id] = 1
	}
	return []byte(id)
}

func (h *headingIDs) Put(value []byte) { h.seen[string(value)]++ }
