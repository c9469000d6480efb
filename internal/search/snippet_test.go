package search

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// show renders fragments as text with [matches] and the ellipses.
func show(frags []Fragment) string {
	var b strings.Builder
	for _, f := range frags {
		if f.Match {
			b.WriteString("[" + f.Text + "]")
		} else {
			b.WriteString(f.Text)
		}
	}
	return b.String()
}

const (
	enDoc = "Geneva, 12 March 2024. The Permanent Mission welcomed the adoption of the resolution on water " +
		"security. In a statement, Ambassador Lindqvist-Oduya said cooperation between upstream and downstream " +
		"states was essential, and that the Security Council should consider drought as a threat multiplier. " +
		"The delegation also held bilateral meetings with Türkiye and the United Kingdom on trade."
	zhDoc = "2024年3月12日，中国常驻联合国日内瓦代表团欢迎通过关于水安全的决议。大使在发言中表示，上下游国家之间的合作" +
		"至关重要，安理会应将干旱视为威胁倍增器。代表团还与土耳其和英国就贸易问题举行了双边会谈。伊朗核问题也在会上讨论。"
)

func TestSnippet(t *testing.T) {
	long := strings.Repeat("Lorem ipsum dolor sit amet. ", 20)
	tests := []struct {
		name     string
		text     string
		query    string
		maxRunes int
		want     string
	}{
		{"empty text", "", "water", 100, ""},
		{"short text whole", "Water security matters.", "water", 100, "[Water] security matters."},
		{"stemmed match", "Both sides pledged deeper cooperation on trade.", "cooperate", 100,
			"Both sides pledged deeper [cooperation] on trade."},
		{"every occurrence", "Cooperate, cooperating, co-operation.", "cooperation", 100,
			"[Cooperate], [cooperating], co-operation."},
		{"chinese bigram merged", "美国与伊朗就核问题举行会谈。", "伊朗", 100, "美国与[伊朗]就核问题举行会谈。"},
		{"chinese phrase merged", "美国与伊朗核问题会谈", "伊朗核问题", 100, "美国与[伊朗核问题]会谈"},
		{"traditional text, simplified query", "美國與伊朗會談", "美国 会谈", 100, "[美國]與伊朗[會談]"},
		{"one han character", "中国与各国合作", "国", 100, "中[国]与各[国]合作"},
		{"phrase highlighted whole", "The Security Council met.", `"security council"`, 100,
			"The [Security Council] met."},
		{"hyphenated name", "Ambassador Lindqvist-Oduya spoke.", "Lindqvist-Oduya", 100,
			"Ambassador [Lindqvist-Oduya] spoke."},
		{"full-width match", "ＵＮ大会", "UN", 100, "[ＵＮ]大会"},
		{"excluded terms not highlighted", "water and drought", "water -drought", 100, "[water] and drought"},
		{"no match gives the start", long, "zebra", 30, "Lorem ipsum dolor sit amet.…"},
		{"empty query gives the start", long, "", 12, "Lorem ipsum…"},
		{"cut around the match", long + "The treaty on water security was signed. " + long, "water", 40,
			"…treaty on [water] security was signed.…"},
		{"best passage has the most matches", "water " + long + "water security water " + long, "water", 40,
			"…amet. [water] security [water] Lorem ipsum…"},
		{"match at the end", long + "water", "water", 20, "…sit amet. [water]"},
		{"chinese cut at characters", strings.Repeat("各方", 30) + "伊朗核问题" + strings.Repeat("会谈", 30), "伊朗", 12,
			"…方各方[伊朗]核问题会谈会谈…"},
		{"starts after clause punctuation", zhDoc, "伊朗", 40,
			"…代表团还与土耳其和英国就贸易问题举行了双边会谈。[伊朗]核问题也在会上讨论。"},
		{"two chinese terms", zhDoc, "合作 安理会", 40, "…上下游国家之间的[合作]至关重要，[安理会]应将干旱视为威胁倍增器。…"},
		{"english context", enDoc, "resolution", 100,
			"…welcomed the adoption of the [resolution] on water security. In a statement,…"},
		{"stems and phrase in a passage", enDoc, `cooperate "security council"`, 100,
			"…[cooperation] between upstream and downstream states was essential, and that the [Security Council]…"},
		{"word longer than the passage", "Donaudampfschifffahrtsgesellschaftskapitän water", "zebra", 10,
			"Donaudampf…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			frags := Snippet(tt.text, Parse(tt.query), tt.maxRunes)
			got := show(frags)
			if got != tt.want {
				t.Errorf("Snippet(…, %q, %d)\n got %q\nwant %q", tt.query, tt.maxRunes, got, tt.want)
			}
			checkSnippet(t, tt.text, frags, tt.maxRunes)
		})
	}
}

func TestSnippetFragments(t *testing.T) {
	frags := Snippet("伊朗与伊朗", Parse("伊朗"), 0)
	want := []Fragment{{"伊朗", true}, {"与", false}, {"伊朗", true}}
	if len(frags) != len(want) {
		t.Fatalf("got %v, want %v", frags, want)
	}
	for i := range want {
		if frags[i] != want[i] {
			t.Errorf("fragment %d = %v, want %v", i, frags[i], want[i])
		}
	}
}

func TestSnippetNeverSplitsUTF8(t *testing.T) {
	texts := []string{
		"中国外交部发言人就伊朗核问题答记者问。Café e\u0301te\u0301 👨‍👩‍👧 ＵＮ ２０２４ water security",
		"\xff\xfe中\xe4国 water \xc3",
		strings.Repeat("é\u0301", 50),
	}
	for _, text := range texts {
		for _, q := range []string{"", "water", "伊朗", "国", "cafe ete"} {
			for n := 0; n <= utf8.RuneCountInString(text)+1; n++ {
				checkSnippet(t, text, Snippet(text, Parse(q), n), n)
			}
		}
	}
}

// checkSnippet verifies what every snippet keeps: valid UTF-8, no empty
// fragment, the fragments (without the ellipses at either end) are one
// piece of the text, and that piece is at most maxRunes runes.
func checkSnippet(t *testing.T, text string, frags []Fragment, maxRunes int) {
	t.Helper()
	clean := strings.ToValidUTF8(text, "")
	body := frags
	if len(body) > 0 && body[0] == (Fragment{Text: Ellipsis}) {
		body = body[1:]
	}
	if len(body) > 0 && body[len(body)-1] == (Fragment{Text: Ellipsis}) {
		body = body[:len(body)-1]
	}
	var b strings.Builder
	for _, f := range frags {
		if !utf8.ValidString(f.Text) {
			t.Fatalf("Snippet(%q, %d): fragment %q is not valid UTF-8", text, maxRunes, f.Text)
		}
		if f.Text == "" {
			t.Fatalf("Snippet(%q, %d): empty fragment in %v", text, maxRunes, frags)
		}
	}
	for _, f := range body {
		b.WriteString(f.Text)
	}
	got := b.String()
	if !strings.Contains(clean, got) {
		t.Fatalf("Snippet(%q, %d) = %q: not a piece of the text", text, maxRunes, got)
	}
	if maxRunes > 0 && utf8.RuneCountInString(got) > maxRunes {
		t.Fatalf("Snippet(%q, %d) = %q: %d runes", text, maxRunes, got, utf8.RuneCountInString(got))
	}
	if text != "" && len(frags) == 0 && strings.TrimSpace(clean) != "" && maxRunes != 0 {
		t.Fatalf("Snippet(%q, %d): no fragments", text, maxRunes)
	}
}

func FuzzSnippet(f *testing.F) {
	f.Add("Both sides pledged deeper cooperation on trade.", "cooperate", 20)
	f.Add("美国与伊朗就核问题举行会谈。", "伊朗", 5)
	f.Add("\xff\xfe中\xe4国 water \xc3", "国 water", 3)
	f.Add(strings.Repeat("é\u0301 ", 20), "e", 7)
	f.Add("The Security Council met.", `"security council"`, 8)
	f.Fuzz(func(t *testing.T, text, query string, maxRunes int) {
		if maxRunes > 1000 || maxRunes < -1 {
			maxRunes %= 1000
		}
		checkSnippet(t, text, Snippet(text, Parse(query), maxRunes), maxRunes)
	})
}
