package search

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxTokenBytes is the longest token kept, in bytes of its normalised
// form. Longer words (hashes, run-together strings) are dropped from both
// the index and queries.
const MaxTokenBytes = 64

// Token is one unit of the index.
type Token struct {
	Text       string // normalized form, as indexed and queried
	Start, End int    // byte offsets of the source span in the original text
}

// Tokens splits text into index tokens, in text order. Start and End are
// byte offsets into text (End exclusive); for a Han bigram they span both
// characters. Text is never empty and holds only letters, digits and (in
// words of scripts other than Latin) combining marks. Every character
// that is not part of a word separates tokens; invalid UTF-8 is skipped,
// as Parse drops it.
func Tokens(text string) []Token {
	if !utf8.ValidString(text) {
		return tokensInvalid(text)
	}
	var t tokenizer
	// Room for Chinese, the densest case: a bigram for every 3 bytes.
	t.out = make([]Token, 0, len(text)/3+1)
	t.offs = make([]int, 0, len(text)/3+1)
	t.buf = make([]byte, 0, 2*len(text))
	t.run(text)
	return t.finish()
}

// tokensInvalid tokenizes text without its invalid UTF-8, exactly as
// Parse sees it (dropping the bytes lets a mark compose with the letter
// before them), and maps the offsets back to text.
func tokensInvalid(text string) []Token {
	clean := make([]byte, 0, len(text))
	orig := make([]int, 0, len(text)+1) // orig[i]: offset in text of clean[i]
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && size == 1 {
			i++
			continue
		}
		clean = append(clean, text[i:i+size]...)
		for k := range size {
			orig = append(orig, i+k)
		}
		i += size
	}
	orig = append(orig, len(text))
	var t tokenizer
	t.out = make([]Token, 0, len(clean)/3+1)
	t.run(string(clean))
	toks := t.finish()
	for i := range toks {
		toks[i].Start = orig[toks[i].Start]
		toks[i].End = orig[toks[i].End-1] + 1
	}
	return toks
}

// IndexText returns the Text of Tokens(text) joined by single spaces: the
// string that storage engines store and index (see the package
// documentation for the FTS5 tokenizer to pair it with).
func IndexText(text string) string {
	toks := Tokens(text)
	if len(toks) == 0 {
		return ""
	}
	n := len(toks) - 1
	for _, tk := range toks {
		n += len(tk.Text)
	}
	b := make([]byte, 0, n)
	for i, tk := range toks {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, tk.Text...)
	}
	return string(b)
}

// tokenizer turns a stream of normalised runes, each with the source span
// it came from, into tokens. All token texts are appended to buf and cut
// into strings at the end, in one allocation.
type tokenizer struct {
	out  []Token
	offs []int // for each token in out: the end of its text in buf
	buf  []byte
	seg  []byte // scratch for one NFKC segment
	iter norm.Iter

	// the word being read
	word       []byte
	inWord     bool
	wordStart  int
	wordEnd    int
	wordLatin  bool // every letter so far is Latin script
	wordLetter bool // at least one letter (else digits only: not stemmed)
	lastLatin  bool // the last base character was Latin or a digit: drop marks after it
	apostrophe bool // an apostrophe followed the word; it continues only if a letter comes next
	tooLong    bool

	// the run of Han characters being read
	hanN         int // characters so far in the run
	hanPrev      rune
	hanPrevStart int
	hanPrevEnd   int
	hanLast      int // index in out of the last token emitted for this run, or -1
}

// run feeds text through NFKC and the per-rune folding. Stretches that
// NFKC leaves unchanged (nearly all real text) are read rune by rune;
// anything else is normalised one segment at a time, every output rune
// of a segment getting the whole segment as its span.
func (t *tokenizer) run(text string) {
	pos := 0
	for pos < len(text) {
		// Fast path: ASCII and the main CJK block are unchanged by NFKC
		// and never combine with each other, so a run of them is read
		// directly, stopping one character early when something else
		// follows (it might combine with that last character).
		for pos < len(text) {
			r, size := simpleRune(text[pos:])
			if size == 0 {
				break
			}
			if pos+size < len(text) {
				if _, next := simpleRune(text[pos+size:]); next == 0 {
					break
				}
			}
			t.fold(r, pos, pos+size)
			pos += size
		}
		if pos >= len(text) {
			break
		}
		n := norm.NFKC.QuickSpanString(text[pos:])
		end := pos + n
		for i := pos; i < end; {
			c := text[i]
			if c < utf8.RuneSelf {
				t.fold(rune(c), i, i+1)
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(text[i:end])
			t.fold(r, i, i+size)
			i += size
		}
		pos = end
		if pos >= len(text) {
			break
		}
		// One segment: Next may hand out a long decomposition (㍻ →
		// 平成) in pieces, with Pos still at the segment's start.
		it := &t.iter
		it.InitString(norm.NFKC, text[pos:])
		seg := t.seg[:0]
		used := 0
		for !it.Done() && used == 0 {
			seg = append(seg, it.Next()...)
			used = it.Pos()
		}
		if used <= 0 { // cannot happen; never loop forever
			used = len(text) - pos
		}
		t.seg = seg
		for len(seg) > 0 {
			r, size := utf8.DecodeRune(seg)
			t.fold(r, pos, pos+used)
			seg = seg[size:]
		}
		pos += used
	}
}

// simpleRune decodes the first rune of s if it is ASCII, in the main CJK
// block (U+4E00–U+9FFF), or common Chinese punctuation (returned as a
// space: it only separates), else returns size 0.
func simpleRune(s string) (rune, int) {
	c := s[0]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	if c < 0xE3 || c > 0xEF || len(s) < 3 {
		return 0, 0
	}
	r, size := utf8.DecodeRuneInString(s)
	switch {
	case size != 3:
		return 0, 0
	case r >= 0x4E00 && r <= 0x9FFF:
		return r, 3
	case r == '、' || r == '。' || r >= '《' && r <= '』' || r == '【' || r == '】' ||
		r == '，' || r == '：' || r == '；' || r == '！' || r == '？' || r == '（' || r == '）':
		return ' ', 3
	}
	return 0, 0
}

// fold applies case folding, Latin diacritic removal and traditional to
// simplified Chinese to one NFKC-normalised rune.
func (t *tokenizer) fold(r rune, start, end int) {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		t.feed(r, start, end)
		return
	}
	if isHan(r) {
		t.feed(simplify(r), start, end)
		return
	}
	r, extra := foldRune(r)
	if bare, ok := bareLatin(r); ok {
		for _, c := range bare {
			t.feed(c, start, end)
		}
	} else {
		t.feed(r, start, end)
	}
	if extra != 0 {
		t.feed(extra, start, end)
	}
}

// feed reads one fully normalised rune.
func (t *tokenizer) feed(r rune, start, end int) {
	switch {
	case r < utf8.RuneSelf:
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			t.wordRune(r, start, end, true, r >= 'a')
			return
		}
		if r == '\'' {
			t.apostropheRune()
			return
		}
		t.separator()
	case isHan(r):
		t.hanRune(r, start, end)
	case unicode.IsLetter(r):
		t.wordRune(r, start, end, unicode.Is(unicode.Latin, r), true)
	case unicode.IsDigit(r):
		t.wordRune(r, start, end, true, false)
	case r == '’':
		t.apostropheRune()
	case unicode.IsMark(r):
		t.markRune(r, end)
	case isIgnorable(r):
		t.extend(end)
	default:
		t.separator()
	}
}

// isIgnorable reports format characters that may sit inside a word
// without splitting it: soft hyphen, zero-width (non-)joiner, word
// joiner, byte-order mark. (Variation selectors are marks.)
func isIgnorable(r rune) bool {
	switch r {
	case 0x00AD, 0x200C, 0x200D, 0x2060, 0xFEFF:
		return true
	}
	return false
}

func (t *tokenizer) wordRune(r rune, start, end int, latin, letter bool) {
	if t.hanN > 0 {
		t.flushHan()
	}
	if !t.inWord {
		t.inWord = true
		t.word = t.word[:0]
		t.wordStart = start
		t.wordEnd = end
		t.wordLatin = true
		t.wordLetter = false
		t.tooLong = false
	}
	t.apostrophe = false
	if letter {
		t.wordLetter = true
		if !latin {
			t.wordLatin = false
		}
	}
	t.lastLatin = latin
	t.appendWord(r)
	if end > t.wordEnd {
		t.wordEnd = end
	}
}

func (t *tokenizer) appendWord(r rune) {
	if t.tooLong {
		return
	}
	t.word = utf8.AppendRune(t.word, r)
	if len(t.word) > MaxTokenBytes {
		t.tooLong = true
	}
}

func (t *tokenizer) apostropheRune() {
	if t.inWord && !t.apostrophe {
		t.apostrophe = true
		return
	}
	t.separator()
}

func (t *tokenizer) markRune(r rune, end int) {
	switch {
	case t.inWord && !t.apostrophe:
		if !t.lastLatin {
			t.appendWord(r)
		}
		if end > t.wordEnd {
			t.wordEnd = end
		}
	case t.hanN > 0:
		t.extend(end)
	default:
		t.separator()
	}
}

// extend stretches the current word or Han character over a character
// that does not end it (a mark after a Han character, a zero-width joiner).
func (t *tokenizer) extend(end int) {
	switch {
	case t.inWord && !t.apostrophe:
		if end > t.wordEnd {
			t.wordEnd = end
		}
	case t.hanN > 0:
		if end > t.hanPrevEnd {
			t.hanPrevEnd = end
			if t.hanLast >= 0 {
				t.out[t.hanLast].End = end
			}
		}
	default:
		t.separator()
	}
}

func (t *tokenizer) hanRune(r rune, start, end int) {
	if t.inWord {
		t.flushWord()
	}
	if t.hanN == 0 {
		t.hanLast = -1
	} else {
		s := t.hanPrevStart
		e := end
		if e < t.hanPrevEnd { // both from one NFKC segment
			e = t.hanPrevEnd
		}
		t.buf = utf8.AppendRune(t.buf, t.hanPrev)
		t.buf = utf8.AppendRune(t.buf, r)
		t.emit(s, e)
		t.hanLast = len(t.out) - 1
	}
	t.hanN++
	t.hanPrev, t.hanPrevStart, t.hanPrevEnd = r, start, end
}

func (t *tokenizer) separator() {
	if t.inWord {
		t.flushWord()
	}
	if t.hanN > 0 {
		t.flushHan()
	}
}

func (t *tokenizer) flushHan() {
	if t.hanN == 1 {
		t.buf = utf8.AppendRune(t.buf, t.hanPrev)
		t.emit(t.hanPrevStart, t.hanPrevEnd)
	}
	t.hanN = 0
	t.hanLast = -1
}

func (t *tokenizer) flushWord() {
	t.inWord = false
	t.apostrophe = false
	if t.tooLong || len(t.word) == 0 {
		return
	}
	if t.wordLatin && t.wordLetter {
		s := stem(t.word)
		if s == "" {
			return
		}
		t.buf = append(t.buf, s...)
	} else {
		t.buf = append(t.buf, t.word...)
	}
	t.emit(t.wordStart, t.wordEnd)
}

// emit records a token whose text is the tail of buf not yet claimed.
func (t *tokenizer) emit(start, end int) {
	t.out = append(t.out, Token{Start: start, End: end})
	t.offs = append(t.offs, len(t.buf))
}

func (t *tokenizer) finish() []Token {
	t.separator()
	if len(t.out) == 0 {
		return nil
	}
	all := string(t.buf)
	prev := 0
	for i, off := range t.offs {
		t.out[i].Text = all[prev:off]
		prev = off
	}
	return t.out
}
