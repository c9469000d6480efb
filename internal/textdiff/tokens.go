package textdiff

import (
	"unicode"
	"unicode/utf8"
)

// tokenize splits s into tokens (see the package documentation) and
// returns their boundaries: token i is s[b[i]:b[i+1]]. The tokens cover s
// exactly; the empty string has none (b is [0]).
func tokenize(s string) []int {
	b := make([]int, 0, len(s)/3+2)
	for i := 0; i < len(s); i = tokenEnd(s, i) {
		b = append(b, i)
	}
	return append(b, len(s))
}

// lines splits s into lines, each with its newline, and returns their
// boundaries like tokenize.
func lines(s string) []int {
	b := []int{0}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			b = append(b, i+1)
		}
	}
	if b[len(b)-1] != len(s) {
		b = append(b, len(s))
	}
	return b
}

// countWords counts the tokens of s that are not white space, stopping at
// limit if limit is not negative.
func countWords(s string, limit int) int {
	n := 0
	for i := 0; i < len(s) && n != limit; {
		j := tokenEnd(s, i)
		if r, _ := utf8.DecodeRuneInString(s[i:]); !unicode.IsSpace(r) {
			n++
		}
		i = j
	}
	return n
}

// tokenEnd returns the end of the token that starts at s[i].
func tokenEnd(s string, i int) int {
	r, n := utf8.DecodeRuneInString(s[i:])
	j := i + n
	switch {
	case r == utf8.RuneError && n <= 1: // an invalid byte
		return j
	case unicode.IsSpace(r):
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if !unicode.IsSpace(r) {
				break
			}
			j += n
		}
		return j
	case isIdeograph(r):
		return skipMarks(s, j)
	case isWordRune(r):
		return wordEnd(s, j, r)
	default:
		return skipMarks(s, j)
	}
}

// wordEnd returns the end of the word whose first rune, prev, ends at
// s[j].
func wordEnd(s string, j int, prev rune) int {
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		if isWordRune(r) && !isIdeograph(r) || r == zwnj || r == zwj {
			j, prev = j+n, r
			continue
		}
		if j+n < len(s) && joins(prev, r) {
			next, m := utf8.DecodeRuneInString(s[j+n:])
			if isWordRune(next) && !isIdeograph(next) && (!isDigitSep(r) || unicode.IsDigit(next)) {
				j, prev = j+n+m, next
				continue
			}
		}
		break
	}
	return j
}

// joins reports whether r, after the rune prev of a word, may join it to
// what follows: an apostrophe or hyphen after a letter or digit, a full
// stop or comma after a digit. (wordEnd also requires what follows to be
// part of a word, and a digit after a full stop or comma.)
func joins(prev, r rune) bool {
	switch r {
	case '\'', '’', '-', '‐':
		return true
	case '.', ',':
		return unicode.IsDigit(prev)
	}
	return false
}

// isDigitSep reports whether r is one of the separators that join only
// digits.
func isDigitSep(r rune) bool { return r == '.' || r == ',' }

// skipMarks returns the end of a one-character token whose character ends
// at s[j]: the combining marks, variation selectors and emoji modifiers
// that follow belong to it, and so does a zero width joiner with the
// character after it (as in emoji sequences).
func skipMarks(s string, j int) int {
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		switch {
		case unicode.IsMark(r), r >= 0x1F3FB && r <= 0x1F3FF: // skin tones
			j += n
		case r == zwj:
			j += n
			if j < len(s) {
				if r, n := utf8.DecodeRuneInString(s[j:]); !unicode.IsSpace(r) {
					j += n
				}
			}
		default:
			return j
		}
	}
	return j
}

const (
	zwnj = '\u200c'
	zwj  = '\u200d'
)

// isWordRune reports whether r can be part of a word.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

// isIdeograph reports whether r is written without spaces between words
// and so is a token by itself: Han, Hiragana, Katakana or Hangul.
func isIdeograph(r rune) bool {
	return r >= 0x1100 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}
