package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what Parse reads.
const (
	MaxQueryRunes = 500 // runes of the query read; the rest is ignored
	MaxTerms      = 32  // terms kept after duplicates are removed
)

// Term is one condition of a query: a word or a phrase that must (or,
// when Exclude is set, must not) appear.
type Term struct {
	Tokens  []string // normalized tokens; more than one means a phrase: adjacent and in order
	Exclude bool     // the reader wrote -word or -"phrase"
	Source  string   // the words as the reader typed them, for messages
}

// Query is a parsed search: all positive terms must match and no excluded
// term may.
type Query struct{ Terms []Term }

// Parse reads a reader's query. It never fails: what cannot be searched
// (punctuation alone, invalid UTF-8, a lone "-") is dropped, control
// characters separate words like spaces, and only the first MaxQueryRunes
// runes and the first MaxTerms distinct terms are kept.
//
// Words separated by spaces (any Unicode space) must all match. Text in
// double quotes (", “…”, ＂) is a phrase; an unclosed quote runs to the
// end. A leading "-" (also － and −) excludes the word or phrase that
// follows it. A typed word that gives several tokens ("COVID-19",
// "外交部") is a phrase. Source holds the word or the text inside the
// quotes, without the "-" and the quotes.
//
// FTS5 syntax has no meaning here: *, :, ^, (, ), + separate words and
// AND, OR, NOT, NEAR are ordinary words.
func Parse(q string) Query {
	rs := cleanQuery(q)
	var query Query
	seen := make(map[string]bool)
	add := func(source string, exclude bool) bool {
		toks := Tokens(source)
		if len(toks) == 0 {
			return true
		}
		texts := make([]string, len(toks))
		for i, tk := range toks {
			texts[i] = tk.Text
		}
		key := strings.Join(texts, " ")
		if exclude {
			key = "-" + key
		}
		if seen[key] {
			return true
		}
		seen[key] = true
		query.Terms = append(query.Terms, Term{
			Tokens:  texts,
			Exclude: exclude,
			Source:  strings.TrimSpace(source),
		})
		return len(query.Terms) < MaxTerms
	}

	for i := 0; i < len(rs); {
		r := rs[i]
		if unicode.IsSpace(r) {
			i++
			continue
		}
		exclude := false
		if isMinus(r) {
			if i+1 >= len(rs) || unicode.IsSpace(rs[i+1]) {
				i++ // a lone "-"
				continue
			}
			exclude = true
			i++
			r = rs[i]
		}
		var source string
		if isQuote(r) {
			j := i + 1
			for j < len(rs) && !isQuote(rs[j]) {
				j++
			}
			source = string(rs[i+1 : j])
			i = j + 1 // past the closing quote, or the end
		} else {
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && !isQuote(rs[j]) {
				j++
			}
			source = string(rs[i:j])
			i = j
		}
		if !add(source, exclude) {
			break
		}
	}
	query.dropStopWords()
	return query
}

// stopWords are English function words. A query that has other words to
// look for does not need them: nearly every English article holds them,
// so requiring them narrows nothing, while reading their long posting
// lists is what makes a search slow. The index keeps them, so that
// "exact phrases" still match word for word.
var stopWords = map[string]bool{
	"a": true, "an": true, "and": true, "are": true, "as": true, "at": true, "be": true, "been": true, "but": true,
	"by": true, "for": true, "from": true, "has": true, "have": true, "in": true, "into": true, "is": true, "it": true,
	"its": true, "not": true, "of": true, "on": true, "or": true, "that": true, "the": true, "this": true, "to": true,
	"was": true, "were": true, "will": true, "with": true,
}

// StopWord reports whether a token is an English function word, which a
// query drops when it has other words to look for.
func StopWord(token string) bool { return stopWords[token] }

// dropStopWords removes positive one-word terms that are stop words, when
// a positive term that is not one remains.
func (q *Query) dropStopWords() {
	isStop := func(t Term) bool { return !t.Exclude && len(t.Tokens) == 1 && stopWords[t.Tokens[0]] }
	keep := false
	for _, t := range q.Terms {
		keep = keep || (!t.Exclude && !isStop(t))
	}
	if !keep {
		return
	}
	q.Terms = slices.DeleteFunc(q.Terms, isStop)
}

// cleanQuery drops invalid UTF-8, turns control characters (and the
// bidirectional formatting characters, which could garble a message that
// quotes Source) into spaces, and keeps at most MaxQueryRunes runes.
func cleanQuery(q string) []rune {
	q = strings.ToValidUTF8(q, "")
	n := utf8.RuneCountInString(q)
	if n > MaxQueryRunes {
		n = MaxQueryRunes
	}
	rs := make([]rune, 0, n)
	for _, r := range q {
		if len(rs) == MaxQueryRunes {
			break
		}
		if unicode.IsControl(r) || isBidiControl(r) {
			r = ' '
		}
		rs = append(rs, r)
	}
	return rs
}

func isBidiControl(r rune) bool {
	return r == 0x200E || r == 0x200F || r == 0x061C ||
		r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

func isQuote(r rune) bool {
	switch r {
	case '"', '“', '”', '＂':
		return true
	}
	return false
}

func isMinus(r rune) bool {
	switch r {
	case '-', '－', '−':
		return true
	}
	return false
}

// Empty reports whether q has no positive (non-excluded) term: there is
// nothing to search for, whatever it excludes.
func (q Query) Empty() bool {
	for _, t := range q.Terms {
		if !t.Exclude {
			return false
		}
	}
	return true
}

// Positive returns the terms that must match, in the order typed.
func (q Query) Positive() []Term {
	var out []Term
	for _, t := range q.Terms {
		if !t.Exclude {
			out = append(out, t)
		}
	}
	return out
}

// FTS5 returns the query as an SQLite FTS5 MATCH expression over a column
// holding IndexText, or "" when q is Empty. Each term is one FTS5 string
// (a phrase when it has several tokens); positive terms are joined with
// AND inside parentheses and each excluded term follows as NOT:
//
//	("water" AND "secur council" AND "中国") NOT "drought"
//
// A term ending in a single Han character is a prefix query on that
// token ("国" *), so that 国 also finds 国家 and 国际; see the package
// documentation for what it still misses.
func (q Query) FTS5() string {
	if q.Empty() {
		return ""
	}
	var b strings.Builder
	b.WriteByte('(')
	first := true
	for _, t := range q.Terms {
		if t.Exclude {
			continue
		}
		if !first {
			b.WriteString(" AND ")
		}
		first = false
		writeFTS5Term(&b, t)
	}
	b.WriteByte(')')
	for _, t := range q.Terms {
		if t.Exclude {
			b.WriteString(" NOT ")
			writeFTS5Term(&b, t)
		}
	}
	return b.String()
}

func writeFTS5Term(b *strings.Builder, t Term) {
	b.WriteByte('"')
	for i, tok := range t.Tokens {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strings.ReplaceAll(tok, `"`, `""`))
	}
	b.WriteByte('"')
	if prefixLast(t.Tokens) {
		b.WriteString(" *")
	}
}

// prefixLast reports whether the last token is a single Han character,
// to be matched as a prefix of the indexed tokens.
func prefixLast(toks []string) bool {
	if len(toks) == 0 {
		return false
	}
	last := toks[len(toks)-1]
	r, n := utf8.DecodeRuneInString(last)
	return n == len(last) && isHan(r)
}

// Clean returns the query as it will be searched and may be shown back to
// the reader: valid UTF-8, control and bidirectional formatting characters
// turned into spaces, at most MaxQueryRunes runes, trimmed.
func Clean(q string) string { return strings.TrimSpace(string(cleanQuery(q))) }
