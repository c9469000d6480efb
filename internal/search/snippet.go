package search

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Ellipsis is the Text of the fragments that Snippet puts where it cut
// the text.
const Ellipsis = "…"

// Fragment is a piece of a snippet.
type Fragment struct {
	Text  string
	Match bool // highlight this fragment
}

// Snippet picks the passage of text (at most maxRunes runes, cut at word or character boundaries,
// with "…" fragments where it was cut) that holds the most matched tokens of q's positive terms,
// and splits it into fragments, marking each span that produced a matched token.
// With no match it returns the start of text. Never returns fragments splitting a UTF-8 sequence.
//
// The runes counted are those of the passage; the "…" fragments come on
// top. maxRunes <= 0 means no limit. Matching is by tokens, so a query for
// "cooperate" highlights "cooperation", and 伊朗 highlights the two
// characters as one fragment. Spans that overlap or touch are merged, and
// a phrase is highlighted from its first token to its last, with what
// separates them. Invalid UTF-8 in text is dropped first, as the index
// drops it, so every fragment is valid UTF-8. An empty text gives no fragments.
func Snippet(text string, q Query, maxRunes int) []Fragment {
	if text == "" {
		return nil
	}
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "")
	}
	toks := Tokens(text)
	matched, spans := matchTokens(text, toks, q.Positive())

	start, end := 0, len(text)
	if maxRunes > 0 && utf8.RuneCountInString(text) > maxRunes {
		start, end = passage(text, toks, matched, spans, maxRunes)
	}
	return fragments(text, spans, start, end)
}

type span struct{ start, end int }

// matchTokens finds every occurrence of the terms in toks. It returns the
// indexes of the matched tokens, in order, and the highlighted spans,
// sorted and merged.
func matchTokens(text string, toks []Token, terms []Term) ([]int, []span) {
	hit := make([]bool, len(toks))
	var spans []span
	for _, t := range terms {
		n := len(t.Tokens)
		if n == 0 {
			continue
		}
		prefix := prefixLast(t.Tokens)
		for i := 0; i+n <= len(toks); i++ {
			ok := true
			for k, want := range t.Tokens {
				got := toks[i+k].Text
				if got != want && !(prefix && k == n-1 && strings.HasPrefix(got, want)) {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			for k := range n {
				hit[i+k] = true
			}
			end := toks[i+n-1].End
			if prefix && toks[i+n-1].Text != t.Tokens[n-1] {
				// Only the first character of the bigram matched.
				end = toks[i+n-1].Start + firstCharLen(text[toks[i+n-1].Start:end])
			}
			spans = append(spans, span{toks[i].Start, end})
		}
	}
	var matched []int
	for i, h := range hit {
		if h {
			matched = append(matched, i)
		}
	}
	if len(spans) == 0 {
		return matched, nil
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	merged := spans[:1]
	for _, s := range spans[1:] {
		last := &merged[len(merged)-1]
		if s.start <= last.end {
			if s.end > last.end {
				last.end = s.end
			}
			continue
		}
		merged = append(merged, s)
	}
	return matched, merged
}

// passage chooses the byte range [start, end) of text, at most maxRunes
// runes long, that holds the most matched tokens, with some text before
// the first of them, cut at word boundaries.
func passage(text string, toks []Token, matched []int, spans []span, maxRunes int) (int, int) {
	total := utf8.RuneCountInString(text)
	startRune := 0
	firstByte, lastByte := -1, -1 // the chosen matches, in bytes
	if len(matched) > 0 {
		// Rune offsets of the matched tokens' starts and ends.
		offs := make([]int, 0, 2*len(matched))
		for _, i := range matched {
			offs = append(offs, toks[i].Start, toks[i].End)
		}
		runeAt := runeOffsets(text, offs)
		rs := func(i int) int { return runeAt[toks[matched[i]].Start] }
		re := func(i int) int { return runeAt[toks[matched[i]].End] }

		best, bestN, bestLast := 0, -1, 0
		j := 0
		for i := range matched {
			if j < i {
				j = i
			}
			limit := rs(i) + maxRunes
			for j+1 < len(matched) && re(j+1) <= limit {
				j++
			}
			n := j - i + 1
			if re(i) > limit {
				n = 0 // a token longer than the whole passage
			}
			if n > bestN {
				best, bestN, bestLast = i, n, j
			}
		}
		first, last := rs(best), re(bestLast)
		firstByte, lastByte = toks[matched[best]].Start, toks[matched[bestLast]].End
		if last-first > maxRunes {
			last = first + maxRunes
		}
		// Give a third of the room left as context before the match.
		lead := (maxRunes - (last - first)) / 3
		startRune = max(first-lead, 0)
	}
	if startRune+maxRunes > total {
		startRune = max(total-maxRunes, 0)
	}
	startByte := byteAtRune(text, startRune)
	endByte := byteAtRune(text[startByte:], maxRunes) + startByte

	words := wordSpans(toks)
	s, e := startByte, endByte
	// Move the start forward out of a word or a highlight, and the end
	// back, until both rest at boundaries.
	for range 8 {
		s0 := s
		if sp, ok := inside(words, s); ok {
			s = sp.end
		}
		if sp, ok := inside(spans, s); ok {
			s = sp.end
		}
		for s < e && startsWithMark(text[s:]) {
			_, size := utf8.DecodeRuneInString(text[s:])
			s += size
		}
		if s == s0 {
			break
		}
	}
	for range 8 {
		e0 := e
		if sp, ok := inside(words, e); ok {
			e = sp.start
		}
		if sp, ok := inside(spans, e); ok {
			e = sp.start
		}
		for e > s && startsWithMark(text[e:]) {
			_, size := utf8.DecodeLastRuneInString(text[:e])
			e -= size
		}
		if e == e0 {
			break
		}
	}
	// Prefer to start a clause and to end one: after the first clause
	// punctuation in the first half of the text before the first match,
	// and after the last one in the final quarter of the passage, past
	// the last match.
	if s > 0 && firstByte >= s {
		if p := firstClauseEnd(text, s, s+(firstByte-s)/2); p > s {
			s = p
		}
	}
	if e < len(text) && e > s {
		from := max(lastByte, s+(e-s)*3/4)
		if p := lastClauseEnd(text, from, e); p > from {
			e = p
		}
	}
	if e <= s {
		// One word longer than the passage: cut at a character.
		s = startByte
		e = endByte
		for e > s && startsWithMark(text[e:]) {
			_, size := utf8.DecodeLastRuneInString(text[:e])
			e -= size
		}
		if e <= s {
			e = endByte
		}
	}
	// Trim the spaces (and, at the start, punctuation) at a cut.
	if s > 0 {
		for s < e {
			r, size := utf8.DecodeRuneInString(text[s:])
			if !unicode.IsSpace(r) && !isClausePunct(r) {
				break
			}
			s += size
		}
	}
	if e < len(text) {
		for e > s {
			r, size := utf8.DecodeLastRuneInString(text[:e])
			if !unicode.IsSpace(r) {
				break
			}
			e -= size
		}
	}
	return s, e
}

// isClausePunct reports punctuation that ends a sentence or a clause.
func isClausePunct(r rune) bool {
	switch r {
	case ',', '.', ';', ':', '!', '?', '，', '。', '；', '：', '！', '？', '、', '…':
		return true
	}
	return false
}

// lastClauseEnd returns the position just after the last clause
// punctuation in text[from:to] (an ASCII one must be followed by a space,
// so that 3.5 and 10,000 are not cut), or -1.
func lastClauseEnd(text string, from, to int) int {
	for i := to; i > from; {
		r, size := utf8.DecodeLastRuneInString(text[:i])
		if isClausePunct(r) && (r >= utf8.RuneSelf || i < len(text) && unicode.IsSpace(rune(text[i]))) {
			return i
		}
		i -= size
	}
	return -1
}

// firstClauseEnd returns the position just after the first clause
// punctuation that ends in text[from:to], or -1.
func firstClauseEnd(text string, from, to int) int {
	for i := from; i < to; {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if i <= to && isClausePunct(r) && (r >= utf8.RuneSelf || i < len(text) && unicode.IsSpace(rune(text[i]))) {
			return i
		}
	}
	return -1
}

// runeOffsets maps each byte offset in offs (each at a rune boundary of
// text, or len(text)) to its rune offset.
func runeOffsets(text string, offs []int) map[int]int {
	sorted := append([]int(nil), offs...)
	sort.Ints(sorted)
	m := make(map[int]int, len(sorted))
	b, r := 0, 0
	for _, o := range sorted {
		if _, ok := m[o]; ok {
			continue
		}
		r += utf8.RuneCountInString(text[b:o])
		b = o
		m[o] = r
	}
	return m
}

// byteAtRune returns the byte offset of rune n of s, or len(s).
func byteAtRune(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// wordSpans returns the spans of the word tokens (not Han), which a cut
// may not split; between Han characters a cut is allowed.
func wordSpans(toks []Token) []span {
	var out []span
	for _, tk := range toks {
		r, _ := utf8.DecodeRuneInString(tk.Text)
		if !isHan(r) {
			out = append(out, span{tk.Start, tk.End})
		}
	}
	return out
}

// firstCharLen returns the length of the first character of s with the
// marks and joiners that follow it.
func firstCharLen(s string) int {
	_, n := utf8.DecodeRuneInString(s)
	for n < len(s) && startsWithMark(s[n:]) {
		_, size := utf8.DecodeRuneInString(s[n:])
		n += size
	}
	return n
}

// startsWithMark reports whether s starts with a character that belongs
// to the one before it (a combining mark, a joiner), so no cut before it.
func startsWithMark(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return s != "" && (unicode.IsMark(r) || isIgnorable(r))
}

// inside returns the span that strictly contains byte i.
func inside(spans []span, i int) (span, bool) {
	k := sort.Search(len(spans), func(k int) bool { return spans[k].end > i })
	if k < len(spans) && spans[k].start < i && i < spans[k].end {
		return spans[k], true
	}
	return span{}, false
}

// fragments splits text[start:end] at the highlighted spans, with an
// ellipsis where text was cut.
func fragments(text string, spans []span, start, end int) []Fragment {
	var out []Fragment
	if strings.TrimSpace(text[:start]) != "" {
		out = append(out, Fragment{Text: Ellipsis})
	}
	pos := start
	for _, sp := range spans {
		if sp.end <= pos || sp.start >= end {
			continue
		}
		s, e := max(sp.start, pos), min(sp.end, end)
		if s > pos {
			out = append(out, Fragment{Text: text[pos:s]})
		}
		out = append(out, Fragment{Text: text[s:e], Match: true})
		pos = e
	}
	if pos < end {
		out = append(out, Fragment{Text: text[pos:end]})
	}
	if strings.TrimSpace(text[end:]) != "" {
		out = append(out, Fragment{Text: Ellipsis})
	}
	return out
}
