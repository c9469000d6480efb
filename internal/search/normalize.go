package search

import (
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/longbridgeapp/opencc"
	"golang.org/x/text/unicode/norm"
)

// This file holds the per-character folding that follows NFKC: case
// folding, removal of diacritics from Latin letters, and traditional to
// simplified Chinese. Each maps one normalised rune to one or more runes
// without looking at its neighbours, so every output rune keeps the
// source span of the character it came from.

// latinBare maps a Latin letter carrying diacritics (after case folding)
// to its bare form: NFD with the combining marks removed ("é" → "e",
// "ǖ" → "u"). Built from the unicode.Latin table on first use (about
// 1,500 runes, under a millisecond), not at program start. Unicode gives no
// decomposition to letters with a stroke, nor to the ligatures æ and œ;
// the common ones are added by hand (latinExtra), so that "Lodz" finds
// "Łódź" and "Oresund" finds "Øresund".
var (
	latinOnce sync.Once
	latinBare map[rune]string
)

func loadLatinBare() { latinBare = buildLatinBare() }

// bareLatin returns the bare form of a Latin letter with diacritics.
func bareLatin(r rune) (string, bool) {
	latinOnce.Do(loadLatinBare)
	s, ok := latinBare[r]
	return s, ok
}

var latinExtra = map[rune]string{
	'ł': "l", 'ø': "o", 'đ': "d", 'ħ': "h", 'ŧ': "t", 'ƀ': "b", 'ɨ': "i",
	'æ': "ae", 'œ': "oe",
}

func buildLatinBare() map[rune]string {
	m := make(map[rune]string)
	buf := make([]byte, 0, 16)
	for _, rng := range unicode.Latin.R16 {
		for r := rune(rng.Lo); r <= rune(rng.Hi); r += rune(rng.Stride) {
			addLatinBare(m, r, buf)
		}
	}
	for _, rng := range unicode.Latin.R32 {
		for r := rune(rng.Lo); r <= rune(rng.Hi); r += rune(rng.Stride) {
			addLatinBare(m, r, buf)
		}
	}
	for r, s := range latinExtra {
		m[r] = s
	}
	return m
}

func addLatinBare(m map[rune]string, r rune, buf []byte) {
	if r < utf8.RuneSelf {
		return
	}
	d := norm.NFD.String(string(r))
	buf = buf[:0]
	for _, c := range d {
		if unicode.Is(unicode.Mn, c) {
			continue
		}
		buf = utf8.AppendRune(buf, c)
	}
	if s := string(buf); s != string(r) && s != "" {
		m[r] = s
	}
}

// foldRune case-folds one rune. ToLower(ToUpper(r)) sends every member
// of a simple case-folding orbit to the same rune (σ, ς, Σ → σ; ı, I → i);
// the sharp s, whose full folding is two letters, becomes "ss" so that
// "Straße" and "Strasse" meet. The second result is the extra rune, or 0.
func foldRune(r rune) (rune, rune) {
	switch r {
	case 'ß', 'ẞ':
		return 's', 's'
	}
	return unicode.ToLower(unicode.ToUpper(r)), 0
}

// Traditional → simplified Chinese, one character for one character.
//
// The table is OpenCC's TSCharacters dictionary as embedded in
// github.com/longbridgeapp/opencc. Only its single-character entries are
// used, and only their first (most common) simplified form, so 乾 always
// becomes 干 and 後 后: the same function runs over documents and queries,
// so both sides always agree, at the price of merging the rare words that
// differ only in such a character. Phrase-level conversion (TSPhrases) is
// deliberately not used: it could change the number of characters and so
// break the source offsets. The dictionary is built on first use (about
// 3 ms), not at program start, so commands that never search pay nothing.
//
// What the dependency costs: about 1.4 MiB of binary (it embeds all of
// OpenCC's dictionaries, not only this one), and its package registers a
// flag named "dir" on the standard library's flag.CommandLine, which
// Chancery does not use.
var (
	t2sOnce sync.Once
	t2sMap  map[rune]rune
)

func loadT2S() {
	m := make(map[rune]rune, 4200)
	defer func() {
		// The package reaches into opencc's exported dictionary
		// structures; should a future version change them, searching
		// goes on without the folding rather than failing.
		if recover() != nil {
			m = nil
		}
		t2sMap = m
		for r := range m {
			if r >= 0x3400 && r < 0xA000 {
				i := r - 0x3400
				t2sBMP[i/64] |= 1 << (i % 64)
			}
		}
	}()
	cc, err := opencc.New("t2s")
	if err != nil {
		m = nil
		return
	}
	for _, g := range cc.DictChains {
		for i, f := range g.Files {
			if f != "TSCharacters.ocd2" || i >= len(g.Dicts) {
				continue
			}
			d := g.Dicts[i]
			for _, id := range d.Trie.PrefixPredict(nil, 0) {
				k, err := d.Trie.Key(id)
				if err != nil {
					continue
				}
				v, err := d.Trie.Value(id)
				if err != nil || v < 0 || v >= len(d.Values) || len(d.Values[v]) == 0 {
					continue
				}
				from, n := utf8.DecodeRune(k)
				if n != len(k) || !isHan(from) {
					continue
				}
				to, n := utf8.DecodeRuneInString(d.Values[v][0])
				if n != len(d.Values[v][0]) || !isHan(to) || to == from {
					continue
				}
				m[from] = to
			}
		}
	}
}

// t2sBMP marks the characters of the main CJK blocks (U+3400–U+9FFF)
// that t2sMap holds, so that the common case, a character with nothing
// to fold, costs a bit test instead of a map look-up.
var t2sBMP [(0xA000 - 0x3400) / 64]uint64

// simplify folds a traditional Chinese character to its simplified form,
// or returns r.
func simplify(r rune) rune {
	t2sOnce.Do(loadT2S)
	if r >= 0x3400 && r < 0xA000 {
		i := r - 0x3400
		if t2sBMP[i/64]&(1<<(i%64)) == 0 {
			return r
		}
	}
	if s, ok := t2sMap[r]; ok {
		return s
	}
	return r
}

// isHan reports whether r is a Han character: an ideograph, or a Han
// number such as 〇. The radicals that NFKC leaves (⺺) are symbols, not
// characters of a word, and separate like punctuation.
func isHan(r rune) bool {
	if r >= 0x4E00 && r <= 0x9FFF {
		return true
	}
	if r < 0x2E80 {
		return false
	}
	return unicode.Is(unicode.Han, r) && (unicode.IsLetter(r) || unicode.Is(unicode.Nl, r))
}

// The English stemmer allocates and converts its suffix lists on every
// call, which makes it most of the cost of tokenizing English. Words
// repeat, so stems are kept in a bounded cache, emptied whenever it
// fills; the stem of a word never changes, so the cache cannot change a
// result.
const stemCacheSize = 1 << 15

var stemCache = struct {
	sync.RWMutex
	m map[string]string
}{m: make(map[string]string)}

// stem returns the English Snowball stem of a folded Latin word.
func stem(word []byte) string {
	stemCache.RLock()
	s, ok := stemCache.m[string(word)]
	stemCache.RUnlock()
	if ok {
		return s
	}
	w := string(word)
	s = english.Stem(w, false)
	stemCache.Lock()
	if len(stemCache.m) >= stemCacheSize {
		clear(stemCache.m)
	}
	stemCache.m[w] = s
	stemCache.Unlock()
	return s
}
