package search

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func term(source string, toks ...string) Term { return Term{Tokens: toks, Source: source} }
func excl(source string, toks ...string) Term {
	return Term{Tokens: toks, Source: source, Exclude: true}
}

// showTerms prints terms as -source=[tokens], one after the other.
func showTerms(terms []Term) string {
	var b strings.Builder
	for _, t := range terms {
		if t.Exclude {
			b.WriteByte('-')
		}
		fmt.Fprintf(&b, "%q=%q ", t.Source, t.Tokens)
	}
	return b.String()
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Term
	}{
		{"empty", "", nil},
		{"only spaces", " \t\u3000\u00a0 ", nil},
		{"words are all required", "water security", []Term{term("water", "water"), term("security", "secur")}},
		{"ideographic space separates", "伊朗\u3000核问题", []Term{term("伊朗", "伊朗"), term("核问题", "核问", "问题")}},
		{"phrase", `"security council" water`, []Term{term("security council", "secur", "council"), term("water", "water")}},
		{"chinese quotes", "“security council”", []Term{term("security council", "secur", "council")}},
		{"full-width quotes", "＂外交部＂", []Term{term("外交部", "外交", "交部")}},
		{"unbalanced quote is a phrase to the end", `water "security council`, []Term{
			term("water", "water"), term("security council", "secur", "council")}},
		{"quote inside a word starts a phrase", `water"security council"`, []Term{
			term("water", "water"), term("security council", "secur", "council")}},
		{"empty phrase dropped", `"" "  " water`, []Term{term("water", "water")}},
		{"exclusion", "water -drought", []Term{term("water", "water"), excl("drought", "drought")}},
		{"excluded phrase", `water -"civil war"`, []Term{term("water", "water"), excl("civil war", "civil", "war")}},
		{"full-width minus", "water －drought", []Term{term("water", "water"), excl("drought", "drought")}},
		{"lone minus ignored", "water - drought -", []Term{term("water", "water"), term("drought", "drought")}},
		{"hyphenated word is a phrase", "Lindqvist-Oduya", []Term{term("Lindqvist-Oduya", "lindqvist", "oduya")}},
		{"covid", "COVID-19", []Term{term("COVID-19", "covid", "19")}},
		{"chinese word is a phrase of bigrams", "外交部", []Term{term("外交部", "外交", "交部")}},
		{"traditional query", "外交部長", []Term{term("外交部長", "外交", "交部", "部长")}},
		{"mixed scripts", "UNICEF 儿童", []Term{term("UNICEF", "unicef"), term("儿童", "儿童")}},
		{"mixed in one word", "UNICEF儿童", []Term{term("UNICEF儿童", "unicef", "儿童")}},
		{"stemmed", "Cooperating ministers'", []Term{term("Cooperating", "cooper"), term("ministers'", "minist")}},
		{"full-width latin", "ＵＮ ２０２４", []Term{term("ＵＮ", "un"), term("２０２４", "2024")}},
		{"fts5 syntax is words", `*:^()NEAR AND OR NOT +x`, []Term{term("*:^()NEAR", "near"), term("+x", "x")}},
		{"stop words dropped beside other words", "the statement of the mission", []Term{term("statement", "statement"), term("mission", "mission")}},
		{"stop words kept alone", "to be or not", []Term{term("to", "to"), term("be", "be"), term("or", "or"), term("not", "not")}},
		{"stop words kept in phrases", `"the council"`, []Term{term("the council", "the", "council")}},
		{"near with parentheses", `NEAR(a b, 3)`, []Term{term("NEAR(a", "near", "a"), term("b,", "b"), term("3)", "3")}},
		{"column filter syntax", `title:water {title body}:x`, []Term{
			term("title:water", "titl", "water"), term("{title", "titl"), term("body}:x", "bodi", "x")}},
		{"control characters separate", "water\x00security\x07\x1b[31m", []Term{
			term("water", "water"), term("security", "secur"), term("[31m", "31m")}},
		{"bidirectional controls separate", "abc\u202edef\u2066x", []Term{
			term("abc", "abc"), term("def", "def"), term("x", "x")}},
		{"invalid utf-8 dropped", "wa\xffter \xe4\xb8", []Term{term("water", "water")}},
		{"sql injection is words", `'; DROP TABLE articles; --`, []Term{
			term("DROP", "drop"), term("TABLE", "tabl"), term("articles;", "articl")}},
		{"sql quote", `x' OR '1'='1`, []Term{term("x'", "x"), term("'1'='1", "1", "1")}},
		{"duplicates removed", "water Water WATER -water -Water", []Term{term("water", "water"), excl("water", "water")}},
		{"stem duplicates removed", "cooperate cooperation", []Term{term("cooperate", "cooper")}},
		{"only exclusions", "-water -\"civil war\"", []Term{excl("water", "water"), excl("civil war", "civil", "war")}},
		{"punctuation only", `"" - -- ... ，。`, nil},
		{"lone han character", "国", []Term{term("国", "国")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse(tt.in)
			if showTerms(got.Terms) != showTerms(tt.want) {
				t.Errorf("Parse(%q)\n got %s\nwant %s", tt.in, showTerms(got.Terms), showTerms(tt.want))
			}
		})
	}
}

func TestParseLimits(t *testing.T) {
	t.Run("10,000 characters", func(t *testing.T) {
		q := Parse(strings.Repeat("外交", 5000))
		if len(q.Terms) != 1 || len(q.Terms[0].Tokens) != MaxQueryRunes-1 {
			t.Fatalf("got %d terms, first with %d tokens; want 1 term of %d bigrams",
				len(q.Terms), len(q.Terms[0].Tokens), MaxQueryRunes-1)
		}
	})
	t.Run("10,000 characters of words", func(t *testing.T) {
		var b strings.Builder
		for i := 0; b.Len() < 10000; i++ {
			fmt.Fprintf(&b, "w%d ", i)
		}
		q := Parse(b.String())
		if len(q.Terms) != MaxTerms {
			t.Fatalf("got %d terms, want %d", len(q.Terms), MaxTerms)
		}
		if q.Terms[MaxTerms-1].Source != fmt.Sprint("w", MaxTerms-1) {
			t.Errorf("last term %q, want the first %d typed", q.Terms[MaxTerms-1].Source, MaxTerms)
		}
	})
	t.Run("rune cap", func(t *testing.T) {
		// 499 runes of padding, then a word: only its first letter is read.
		q := Parse(strings.Repeat(" ", MaxQueryRunes-1) + "water")
		if len(q.Terms) != 1 || q.Terms[0].Source != "w" {
			t.Errorf("got %s, want the single term w", showTerms(q.Terms))
		}
	})
	t.Run("duplicates do not count against the cap", func(t *testing.T) {
		q := Parse(strings.Repeat("alpha ", 100) + "b")
		if len(q.Terms) != 2 {
			t.Errorf("got %s, want a and b", showTerms(q.Terms))
		}
	})
}

func TestEmptyAndPositive(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		empty    bool
		positive int
	}{
		{"empty", "", true, 0},
		{"spaces", "   ", true, 0},
		{"punctuation", "?!", true, 0},
		{"only exclusions", "-water -drought", true, 0},
		{"one word", "water", false, 1},
		{"mixed", "water -drought 中国", false, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := Parse(tt.in)
			if q.Empty() != tt.empty {
				t.Errorf("Parse(%q).Empty() = %v, want %v", tt.in, q.Empty(), tt.empty)
			}
			if got := q.Positive(); len(got) != tt.positive {
				t.Errorf("Parse(%q).Positive() = %s, want %d terms", tt.in, showTerms(got), tt.positive)
			}
			for _, term := range q.Positive() {
				if term.Exclude {
					t.Errorf("Positive() returned excluded %q", term.Source)
				}
			}
			if tt.empty && q.FTS5() != "" {
				t.Errorf("Parse(%q).FTS5() = %q, want empty", tt.in, q.FTS5())
			}
		})
	}
}

func TestFTS5(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", ""},
		{"only exclusions", "-water", ""},
		{"one word", "water", `("water")`},
		{"example", `water "security council" -drought 中国`, `("water" AND "secur council" AND "中国") NOT "drought"`},
		{"chinese phrase of bigrams", "外交部", `("外交 交部")`},
		{"one han character is a prefix", "国", `("国" *)`},
		{"phrase ending in one han character", "UN国", `("un 国" *)`},
		{"excluded one han character", "外交 -国", `("外交") NOT "国" *`},
		{"operators are words", "NOT AND OR NEAR", `("near")`},
		{"operators alone are still words", "NOT AND OR", `("not" AND "and" AND "or")`},
		{"several exclusions", `x -b -"c d"`, `("x") NOT "b" NOT "c d"`},
		{"mixed", "UNICEF 儿童", `("unicef" AND "儿童")`},
		{"injection", `'; DROP TABLE articles; --`, `("drop" AND "tabl" AND "articl")`},
		{"quotes and stars", `"x*" b"c" *`, `("x" AND "b" AND "c")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Parse(tt.in).FTS5(); got != tt.want {
				t.Errorf("Parse(%q).FTS5()\n got %s\nwant %s", tt.in, got, tt.want)
			}
		})
	}
	// A token with a quote cannot come from Parse; the escaping is there anyway.
	q := Query{Terms: []Term{{Tokens: []string{`a"b`}}}}
	if got, want := q.FTS5(), `("a""b")`; got != want {
		t.Errorf("FTS5 with a quote = %s, want %s", got, want)
	}
}

// checkFTS5 verifies that expr has exactly the shape FTS5 builds: quoted
// strings joined by the fixed operators, each string holding one term's
// tokens, quotes doubled.
func checkFTS5(t *testing.T, q Query, expr string) {
	t.Helper()
	if !utf8.ValidString(expr) {
		t.Fatalf("FTS5() is not valid UTF-8: %q", expr)
	}
	if q.Empty() {
		if expr != "" {
			t.Fatalf("empty query gave %q", expr)
		}
		return
	}
	var strs []string
	rest := expr
	expect := func(s string) {
		t.Helper()
		if !strings.HasPrefix(rest, s) {
			t.Fatalf("FTS5() = %q: want %q at %q", expr, s, rest)
		}
		rest = rest[len(s):]
	}
	readString := func() {
		t.Helper()
		expect(`"`)
		var b strings.Builder
		for {
			i := strings.IndexByte(rest, '"')
			if i < 0 {
				t.Fatalf("FTS5() = %q: unterminated string", expr)
			}
			b.WriteString(rest[:i])
			rest = rest[i+1:]
			if strings.HasPrefix(rest, `"`) {
				b.WriteByte('"')
				rest = rest[1:]
				continue
			}
			break
		}
		strs = append(strs, b.String())
		if strings.HasPrefix(rest, " *") {
			rest = rest[2:]
		}
	}
	expect("(")
	readString()
	for strings.HasPrefix(rest, " AND ") {
		rest = rest[5:]
		readString()
	}
	expect(")")
	for strings.HasPrefix(rest, " NOT ") {
		rest = rest[5:]
		readString()
	}
	if rest != "" {
		t.Fatalf("FTS5() = %q: trailing %q", expr, rest)
	}
	var want []string
	for _, term := range q.Positive() {
		want = append(want, strings.Join(term.Tokens, " "))
	}
	for _, term := range q.Terms {
		if term.Exclude {
			want = append(want, strings.Join(term.Tokens, " "))
		}
	}
	if fmt.Sprintf("%q", strs) != fmt.Sprintf("%q", want) {
		t.Fatalf("FTS5() = %q: strings %q, want the terms' tokens %q", expr, strs, want)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "water", `water "security council" -drought 中国`, `"unbalanced`, `-"x`, "-", "--x",
		`*:^()NEAR AND OR NOT`, `'; DROP TABLE articles; --`, "\x00\xff", "国", "UN国 -国",
		"“外交部” ＂a＂ －b", `"""""`, "a\"b\"c\"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := Parse(s)
		if len(q.Terms) > MaxTerms {
			t.Fatalf("Parse(%q): %d terms", s, len(q.Terms))
		}
		for _, term := range q.Terms {
			if len(term.Tokens) == 0 || !utf8.ValidString(term.Source) {
				t.Fatalf("Parse(%q): term %s", s, showTerms([]Term{term}))
			}
			for _, tok := range term.Tokens {
				if tok == "" || strings.ContainsAny(tok, " \"") || !utf8.ValidString(tok) {
					t.Fatalf("Parse(%q): token %q", s, tok)
				}
			}
		}
		checkFTS5(t, q, q.FTS5())
	})
}
