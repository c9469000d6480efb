package textcopy

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// orderedList matches a line that Markdown would read as a numbered list
// item: "1. ", "2) ".
var orderedList = regexp.MustCompile(`^(\d{1,9})([.)])(\s|$)`)

// entity matches what Markdown would read as an HTML entity, "&amp;".
var entity = regexp.MustCompile(`&(#?[A-Za-z0-9]+;)`)

// markdown writes a paragraph of copied text as Markdown that shows the
// same text: the characters that Markdown would read as markup (emphasis,
// links, code, HTML, and at the start of a line headings, quotes and
// lists) are escaped with a backslash.
func markdown(p string) string {
	var b strings.Builder
	for i, r := range p {
		switch r {
		case '\\', '`', '*', '[', ']', '<':
			b.WriteByte('\\')
		case '_':
			// An underscore inside a word (snake_case, a URL) is not
			// emphasis; escaping it there would only clutter the text.
			before, _ := utf8.DecodeLastRuneInString(p[:i])
			after, _ := utf8.DecodeRuneInString(p[i+1:])
			if !wordRune(before) || !wordRune(after) {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
	}
	s := entity.ReplaceAllString(b.String(), `\&$1`)
	if m := orderedList.FindStringSubmatchIndex(s); m != nil {
		return s[:m[4]] + `\` + s[m[4]:]
	}
	if s != "" && strings.ContainsRune("#>-+=|~", rune(s[0])) {
		return `\` + s
	}
	return s
}

// wordRune reports whether r is part of a word.
func wordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
