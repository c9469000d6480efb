package search

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// span is how a test names a token: its Text and the source it covers.
type tokSpan struct{ text, src string }

func spans(text string, toks []Token) []tokSpan {
	out := make([]tokSpan, len(toks))
	for i, tk := range toks {
		out[i] = tokSpan{tk.Text, text[tk.Start:tk.End]}
	}
	return out
}

func TestTokens(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []tokSpan // Text and the source span it came from
	}{
		{"empty", "", nil},
		{"only punctuation", " ,.;!? — … ", nil},
		{"english stems", "Cooperate, cooperation; cooperating!", []tokSpan{
			{"cooper", "Cooperate"}, {"cooper", "cooperation"}, {"cooper", "cooperating"}}},
		{"case folding", "WATER Water water", []tokSpan{{"water", "WATER"}, {"water", "Water"}, {"water", "water"}}},
		{"stop words kept", "the AND of", []tokSpan{{"the", "the"}, {"and", "AND"}, {"of", "of"}}},
		{"apostrophes", "Minister's minister l’Europe it's", []tokSpan{
			{"minist", "Minister's"}, {"minist", "minister"}, {"leurop", "l’Europe"}, {"its", "it's"}}},
		{"leading and trailing apostrophes", "'quoted' ’tis ''", []tokSpan{{"quot", "quoted"}, {"tis", "tis"}}},
		{"hyphens", "COVID-19 Lindqvist-Oduya well-being", []tokSpan{
			{"covid", "COVID"}, {"19", "19"}, {"lindqvist", "Lindqvist"}, {"oduya", "Oduya"},
			{"well", "well"}, {"being", "being"}}},
		{"numbers", "G20 2024 3.5% 1990s", []tokSpan{
			{"g20", "G20"}, {"2024", "2024"}, {"3", "3"}, {"5", "5"}, {"1990s", "1990s"}}},
		{"digits not stemmed", "2024s 19", []tokSpan{{"2024s", "2024s"}, {"19", "19"}}},
		{"chinese bigrams", "中国外交部", []tokSpan{
			{"中国", "中国"}, {"国外", "国外"}, {"外交", "外交"}, {"交部", "交部"}}},
		{"lone han character", "国 。中，", []tokSpan{{"国", "国"}, {"中", "中"}}},
		{"han numbers", "二〇二四年", []tokSpan{{"二〇", "二〇"}, {"〇二", "〇二"}, {"二四", "二四"}, {"四年", "四年"}}},
		{"radicals are symbols", "⺺ ⼈", []tokSpan{{"人", "⼈"}}},
		{"chinese punctuation separates runs", "伊朗、美国。", []tokSpan{{"伊朗", "伊朗"}, {"美国", "美国"}}},
		{"mixed", "UNICEF儿童基金会 and G20峰会", []tokSpan{
			{"unicef", "UNICEF"}, {"儿童", "儿童"}, {"童基", "童基"}, {"基金", "基金"}, {"金会", "金会"},
			{"and", "and"}, {"g20", "G20"}, {"峰会", "峰会"}}},
		{"full-width", "ＵＮ　２０２４年", []tokSpan{{"un", "ＵＮ"}, {"2024", "２０２４"}, {"年", "年"}}},
		{"full-width punctuation", "（联合国）", []tokSpan{{"联合", "联合"}, {"合国", "合国"}}},
		{"diacritics", "Café Türkiye São Paulo Łódź", []tokSpan{
			{"cafe", "Café"}, {"turkiy", "Türkiye"}, {"sao", "São"}, {"paulo", "Paulo"}, {"lodz", "Łódź"}}},
		{"stroke letters and ligatures", "Øresund Œuvre Æsir", []tokSpan{{"oresund", "Øresund"}, {"oeuvr", "Œuvre"}, {"aesir", "Æsir"}}},
		{"combining marks", "Cafe\u0301 q\u0303", []tokSpan{{"cafe", "Cafe\u0301"}, {"q", "q\u0303"}}},
		{"sharp s", "Straße STRASSE", []tokSpan{{"strass", "Straße"}, {"strass", "STRASSE"}}},
		{"traditional chinese", "中華人民共和國與會", []tokSpan{
			{"中华", "中華"}, {"华人", "華人"}, {"人民", "人民"}, {"民共", "民共"},
			{"共和", "共和"}, {"和国", "和國"}, {"国与", "國與"}, {"与会", "與會"}}},
		{"other scripts not stemmed", "Москва ΕΛΛΆΔΑ القاهرة", []tokSpan{
			{"москва", "Москва"}, {"ελλάδα", "ΕΛΛΆΔΑ"}, {"القاهرة", "القاهرة"}}},
		{"japanese kana between han", "日本の外交", []tokSpan{{"日本", "日本"}, {"の", "の"}, {"外交", "外交"}}},
		{"compatibility forms", "㍻ ﬁnance ①", []tokSpan{{"平成", "㍻"}, {"financ", "ﬁnance"}, {"1", "①"}}},
		{"emoji separate", "peace🕊️talks 👍🏽👨‍👩‍👧 1️⃣", []tokSpan{{"peac", "peace"}, {"talk", "talks"}, {"1", "1️⃣"}}},
		{"control characters separate", "water\x00security\ttalks\u0085x", []tokSpan{
			{"water", "water"}, {"secur", "security"}, {"talk", "talks"}, {"x", "x"}}},
		{"invalid utf-8 skipped", "water\xff security\xe4\xb8 wa\xffter", []tokSpan{
			{"water", "water"}, {"secur", "security"}, {"water", "wa\xffter"}}},
		{"invisible joiners inside words", "inter\u00adnational a\u200db", []tokSpan{
			{"intern", "inter\u00adnational"}, {"ab", "a\u200db"}}},
		{"fts syntax is separators", `*:^()+ "NEAR" AND/OR-NOT`, []tokSpan{
			{"near", "NEAR"}, {"and", "AND"}, {"or", "OR"}, {"not", "NOT"}}},
		{"long word dropped", strings.Repeat("a", 65) + " ok " + strings.Repeat("b", 64), []tokSpan{
			{"ok", "ok"}, {strings.Repeat("b", 64), strings.Repeat("b", 64)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := spans(tt.in, Tokens(tt.in))
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("Tokens(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTokenOffsets(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Token
	}{
		{"ascii", "Hi, G20!", []Token{{"hi", 0, 2}, {"g20", 4, 7}}},
		{"bigrams span both characters", "中国外交", []Token{{"中国", 0, 6}, {"国外", 3, 9}, {"外交", 6, 12}}},
		{"full-width bytes", "ＵＮ", []Token{{"un", 0, 6}}},
		{"one source character, two tokens", "½", []Token{{"1", 0, 2}, {"2", 0, 2}}},
		{"apostrophe inside the span", "it’s", []Token{{"its", 0, 6}}},
		{"han then latin", "联合国UN", []Token{{"联合", 0, 6}, {"合国", 3, 9}, {"un", 9, 11}}},
		{"traditional keeps offsets", "國會", []Token{{"国会", 0, 6}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Tokens(tt.in)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("Tokens(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestIndexText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", ""},
		{"english", "The Security Council's resolutions", "the secur council resolut"},
		{"chinese", "中国外交部", "中国 国外 外交 交部"},
		{"mixed", "UNICEF 儿童", "unicef 儿童"},
		{"quotes never survive", `say "no" to 'war'`, "say no to war"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IndexText(tt.in); got != tt.want {
				t.Errorf("IndexText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTraditionalTable(t *testing.T) {
	for trad, simp := range map[rune]rune{'國': '国', '與': '与', '會': '会', '華': '华', '灣': '湾', '發': '发', '髮': '发'} {
		if got := simplify(trad); got != simp {
			t.Errorf("simplify(%c) = %c, want %c", trad, got, simp)
		}
	}
	for _, same := range "中国人民台著" {
		if got := simplify(same); got != same {
			t.Errorf("simplify(%c) = %c, want it unchanged", same, got)
		}
	}
	if len(t2sMap) < 3000 {
		t.Errorf("traditional table has %d characters, want the whole OpenCC table", len(t2sMap))
	}
}

// TestIndexQueryAgreement checks that what a reader types finds the
// documents that contain it: every term of the query, parsed on its own,
// occurs (as adjacent tokens, in order) in the document's tokens.
func TestIndexQueryAgreement(t *testing.T) {
	docs := []string{
		"The Minister's visit strengthened cooperation between the two countries' foreign ministries.",
		"中国外交部发言人就伊朗核问题答记者问。",
		"中華人民共和國駐聯合國代表團舉行國慶招待會",
		"ＵＮＩＣＥＦ与儿童基金会在２０２４年发起COVID-19疫苗合作。",
		"Türkiye and the Café Society: Łódź, São Paulo, Straße.",
		"Ambassador Lindqvist-Oduya met the G20 sherpas on 12 March 2024.",
		"Визит министра в Москву; Η Ελλάδα; القاهرة",
		"Soft\u00adhyphenated words and ﬁnance ligatures; e\u0301te\u0301.",
	}
	queries := map[int][]string{
		0: {"minister", "Minister's", "cooperating", "cooperate", "COOPERATION", `"foreign ministry"`, "countries"},
		1: {"外交部", "发言人", "伊朗", "核问题", "記者", "伊朗核"},
		2: {"中华人民共和国", "联合国", "国庆", "招待会", "代表團"},
		3: {"UNICEF", "unicef", "2024", "２０２４", "COVID-19", "covid", "儿童", "疫苗合作"},
		4: {"turkiye", "TÜRKIYE", "cafe", "lodz", "Sao", "strasse"},
		5: {"Lindqvist-Oduya", "lindqvist", "g20", "March", "2024"},
		6: {"москву", "Ελλάδα", "القاهرة"},
		7: {"softhyphenated", "finance", "été", "ete"},
	}
	for i, doc := range docs {
		toks := Tokens(doc)
		texts := make([]string, len(toks))
		for k, tk := range toks {
			texts[k] = tk.Text
		}
		check := func(q string) {
			t.Helper()
			pq := Parse(q)
			if pq.Empty() {
				t.Errorf("doc %d: query %q is empty", i, q)
				return
			}
			for _, term := range pq.Positive() {
				if !containsTerm(texts, term.Tokens) {
					t.Errorf("doc %d: query %q: term %q not in %q", i, q, term.Tokens, texts)
				}
			}
		}
		for _, q := range queries[i] {
			check(q)
		}
		// Every word of the document, typed as a query, finds it.
		for _, w := range strings.Fields(doc) {
			if len(Tokens(w)) > 0 {
				check(w)
			}
		}
		// Every run of two or more Han characters, too.
		rs := []rune(doc)
		for a := range rs {
			for b := a + 2; b <= len(rs) && b <= a+6; b++ {
				if allHan(rs[a:b]) {
					check(string(rs[a:b]))
				}
			}
		}
	}
}

func allHan(rs []rune) bool {
	for _, r := range rs {
		if !isHan(r) {
			return false
		}
	}
	return true
}

// containsTerm reports whether want occurs in toks as adjacent tokens,
// the last one as a prefix when it is a single Han character.
func containsTerm(toks, want []string) bool {
	prefix := prefixLast(want)
	for i := 0; i+len(want) <= len(toks); i++ {
		ok := true
		for k, w := range want {
			if toks[i+k] != w && !(prefix && k == len(want)-1 && strings.HasPrefix(toks[i+k], w)) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func TestTokensConcurrent(t *testing.T) {
	const text = "國與會 Cooperation 中国外交部 Café"
	want := IndexText(text)
	done := make(chan string)
	for range 8 {
		go func() {
			var s string
			for range 100 {
				s = IndexText(text)
			}
			done <- s
		}()
	}
	for range 8 {
		if got := <-done; got != want {
			t.Errorf("concurrent IndexText = %q, want %q", got, want)
		}
	}
}

// checkTokens verifies the invariants every token list keeps.
func checkTokens(t *testing.T, text string, toks []Token) {
	t.Helper()
	prev := 0
	for _, tk := range toks {
		if tk.Start < 0 || tk.End > len(text) || tk.Start >= tk.End {
			t.Fatalf("Tokens(%q): token %q has span [%d,%d)", text, tk.Text, tk.Start, tk.End)
		}
		if tk.Start < prev {
			t.Fatalf("Tokens(%q): token %q starts at %d, before %d", text, tk.Text, tk.Start, prev)
		}
		prev = tk.Start
		if tk.Text == "" || len(tk.Text) > MaxTokenBytes {
			t.Fatalf("Tokens(%q): token text %q", text, tk.Text)
		}
		if !utf8.ValidString(tk.Text) {
			t.Fatalf("Tokens(%q): token text %q", text, tk.Text)
		}
		for _, r := range tk.Text {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) && !(isHan(r) && unicode.IsNumber(r)) {
				t.Fatalf("Tokens(%q): token text %q has %q", text, tk.Text, r)
			}
		}
	}
	idx := IndexText(text)
	if strings.Contains(idx, `"`) || !utf8.ValidString(idx) {
		t.Fatalf("IndexText(%q) = %q", text, idx)
	}
}

func FuzzTokens(f *testing.F) {
	for _, s := range []string{
		"", "The Minister's cooperation", "中国外交部", "國與會", "ＵＮ ２０２４", "Café Türkiye",
		"COVID-19", "㍻½①ﬁ", "e\u0301\u0301\u0301", "\xff\xfe中\xe4", "a\u200db\u00adc", "👨‍👩‍👧1️⃣",
		"ﷺ", "Москва́", "\u0301start", "中\u0301国", "it's ’tis",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokens(s)
		checkTokens(t, s, toks)
		// Each word of the text, typed as a query, finds the text.
		texts := make([]string, len(toks))
		for i, tk := range toks {
			texts[i] = tk.Text
		}
		for _, w := range strings.Fields(s) {
			r, _ := utf8.DecodeRuneInString(w)
			if isMinus(r) || strings.ContainsFunc(w, isQuote) || utf8.RuneCountInString(w) > MaxQueryRunes {
				continue
			}
			for _, term := range Parse(w).Positive() {
				if !containsTerm(texts, term.Tokens) {
					t.Fatalf("Tokens(%q) = %q: typed word %q gives %q, not found", s, texts, w, term.Tokens)
				}
			}
		}
	})
}

func BenchmarkTokens(b *testing.B) {
	en := strings.Repeat("The Ambassador's visit strengthened cooperation between the two countries' "+
		"foreign ministries, and the Security Council welcomed the agreement on water security. ", 20)[:2048]
	zh := strings.Repeat("中国外交部发言人就伊朗核问题答记者问，表示中方愿同各方加强合作，"+
		"维护地区和平与稳定。联合国儿童基金会发起疫苗合作倡议。", 20)
	zh = zh[:2048-2048%3]
	for _, c := range []struct {
		name string
		text string
		cold bool // empty the stem cache before each run
	}{{"English", en, false}, {"English-uncached", en, true}, {"Chinese", zh, false}} {
		b.Run(c.name, func(b *testing.B) {
			Tokens(c.text) // build the tables outside the timing
			b.SetBytes(int64(len(c.text)))
			b.ReportAllocs()
			for b.Loop() {
				if c.cold {
					stemCache.Lock()
					clear(stemCache.m)
					stemCache.Unlock()
				}
				Tokens(c.text)
			}
		})
	}
}
