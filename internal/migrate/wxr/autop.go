package wxr

import (
	"regexp"
	"strconv"
	"strings"
)

// WordPress keeps a classic post's text as the author typed it, with
// paragraphs as blank-line-separated blocks, and makes the HTML only when
// showing it (wpautop). The expressions below follow wpautop's steps so
// that an imported post reads as it did on the old site. Go's regexp runs
// in linear time, so hostile content costs at most a few passes.

// blocks are the elements wpautop never wraps in a paragraph.
const blocks = `(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)`

var (
	// gutenberg matches a block editor comment, <!-- wp:paragraph {...} -->
	// or <!-- /wp:paragraph -->, which only the editor reads.
	gutenberg = regexp.MustCompile(`<!--\s*/?wp:[\s\S]*?-->`)
	preBlock  = regexp.MustCompile(`(?is)<pre[\s>].*?</pre>`)
	preMark   = regexp.MustCompile(`<pre wp-pre-tag-(\d+)></pre>`)
	doubleBr  = regexp.MustCompile(`(?i)<br\s*/?>\s*<br\s*/?>`)
	blockOpen = regexp.MustCompile(`(?i)(<` + blocks + `[\s/>])`)
	blockEnd  = regexp.MustCompile(`(?i)(</` + blocks + `>)`)
	// paraBreak separates paragraphs: a blank line, or several.
	paraBreak = regexp.MustCompile(`\n\s*\n`)
	emptyP    = regexp.MustCompile(`<p>\s*</p>`)
	openP     = regexp.MustCompile(`(?i)<p>([^<]+)</(div|address|form)>`)
	wrapped   = regexp.MustCompile(`(?i)<p>\s*(</?` + blocks + `[^>]*>)\s*</p>`)
	listItem  = regexp.MustCompile(`(?i)<p>(<li.+?)</p>`)
	quoteOpen = regexp.MustCompile(`(?i)<p><blockquote([^>]*)>`)
	quoteEnd  = regexp.MustCompile(`(?i)</blockquote></p>`)
	pBefore   = regexp.MustCompile(`(?i)<p>\s*(</?` + blocks + `[^>]*>)`)
	pAfter    = regexp.MustCompile(`(?i)(</?` + blocks + `[^>]*>)\s*</p>`)
	lineBreak = regexp.MustCompile(`(?i)(?:<br\s*/?>)?[ \t]*\n`)
	brAfter   = regexp.MustCompile(`(?i)(</?` + blocks + `[^>]*>)\s*<br>`)
	brBefore  = regexp.MustCompile(`(?i)<br>(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)`)
)

// autop converts a post's stored content into HTML as WordPress shows it.
// Content written in the block editor already has its paragraphs, and
// WordPress does not run wpautop on it either: only its block comments go.
func autop(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if gutenberg.MatchString(s) {
		s = gutenberg.ReplaceAllString(s, "")
		return strings.TrimSpace(paraBreak.ReplaceAllString(s, "\n\n"))
	}
	if strings.TrimSpace(s) == "" {
		return ""
	}
	// Preformatted text keeps its blank lines and newlines: set it aside.
	var pres []string
	s = preBlock.ReplaceAllStringFunc(s, func(m string) string {
		pres = append(pres, m)
		return "<pre wp-pre-tag-" + strconv.Itoa(len(pres)-1) + "></pre>"
	})
	s = doubleBr.ReplaceAllString(s+"\n", "\n\n")
	s = blockOpen.ReplaceAllString(s, "\n\n$1")
	s = blockEnd.ReplaceAllString(s, "$1\n\n")
	s = joinTagLines(s)

	var b strings.Builder
	for _, para := range paraBreak.Split(s, -1) {
		if para = strings.TrimSpace(para); para != "" {
			b.WriteString("<p>" + para + "</p>\n")
		}
	}
	s = b.String()
	s = emptyP.ReplaceAllString(s, "")
	s = openP.ReplaceAllString(s, "<p>$1</p></$2>")
	s = wrapped.ReplaceAllString(s, "$1")
	s = listItem.ReplaceAllString(s, "$1")
	s = quoteOpen.ReplaceAllString(s, "<blockquote$1><p>")
	s = quoteEnd.ReplaceAllString(s, "</p></blockquote>")
	s = pBefore.ReplaceAllString(s, "$1")
	s = pAfter.ReplaceAllString(s, "$1")
	s = lineBreak.ReplaceAllString(s, "<br>\n")
	s = brAfter.ReplaceAllString(s, "$1")
	s = brBefore.ReplaceAllString(s, "$1")
	s = strings.TrimSuffix(strings.TrimSpace(s), "<br>")

	s = preMark.ReplaceAllStringFunc(s, func(m string) string {
		i, err := strconv.Atoi(preMark.FindStringSubmatch(m)[1])
		if err != nil || i >= len(pres) {
			return m
		}
		return pres[i]
	})
	return strings.TrimSpace(s)
}

// joinTagLines replaces newlines inside tags (<img\nsrc=…>) with spaces, so
// that only newlines in the text become line breaks.
func joinTagLines(s string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	b := []byte(s)
	inTag := false
	for i, c := range b {
		switch {
		case c == '<':
			inTag = true
		case c == '>':
			inTag = false
		case c == '\n' && inTag:
			b[i] = ' '
		}
	}
	return string(b)
}
