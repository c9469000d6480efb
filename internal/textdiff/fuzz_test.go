package textdiff

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzDiff(f *testing.F) {
	for _, seed := range [][2]string{
		{"", ""},
		{"a", ""},
		{"The meeting was held on Monday.", "The meeting was held on Tuesday."},
		{"代表团于2024年3月5日举行会议。", "代表团于2024年4月6日举行会议。"},
		{"para one\n\npara two\n", "para one\n\npara 2\n\npara three"},
		{"It's a well-known fact, 1,000.5 kg", "It is a well-known fact, 1,200.5 kg"},
		{"<script>x</script>", "<b>x</b>"},
		{"👍🏽 ok\u200d", "x\xffy\u0301"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		diff := Diff(a, b)
		checkOps(t, a, b, diff)
		if a == b && len(diff) > 1 {
			t.Fatalf("Diff of equal texts: %q", diff)
		}
		ins, del := Stats(diff)
		if wa, wb := countWords(a, -1), countWords(b, -1); ins-del != wb-wa {
			t.Fatalf("Stats(Diff(%q, %q)) = %d, %d for %d and %d words", a, b, ins, del, wa, wb)
		}
		if utf8.ValidString(a) && utf8.ValidString(b) && !utf8.ValidString(string(HTML(diff))) {
			t.Fatalf("HTML of valid texts is not valid UTF-8: %q", HTML(diff))
		}
		if h := string(HTML(diff)); strings.Count(h, "<") != 2*strings.Count(h, "</") {
			t.Fatalf("HTML has markup of its own: %q", h)
		}
		// The fallbacks must give back the texts too.
		for _, limit := range []int{0, 10, 100} {
			d := differ{limit: limit}
			checkOps(t, a, b, ops(a, b, d.diff(a, b)))
		}
		// Small inputs: the search finds a shortest script of tokens.
		if len(a) < 200 && len(b) < 200 {
			ta, tb := tokenize(a), tokenize(b)
			d := differ{budget: 1 << 62}
			cs, ok := d.units(a, b, ta, tb)
			if !ok {
				t.Fatal("the unlimited search gave up")
			}
			edits := 0
			for _, c := range cs {
				if !c.equal {
					edits += countTokens(a[c.a0:c.a1]) + countTokens(b[c.b0:c.b1])
				}
			}
			if want := tokenDistance(a, ta, b, tb); edits != want {
				t.Fatalf("Diff(%q, %q): %d token edits, want %d", a, b, edits, want)
			}
		}
	})
}

func countTokens(s string) int { return len(tokenize(s)) - 1 }

// tokenDistance is editDistance over tokens.
func tokenDistance(a string, ta []int, b string, tb []int) int {
	ids := map[string]int{}
	seq := func(s string, t []int) []int {
		var out []int
		for i := 0; i+1 < len(t); i++ {
			tok := s[t[i]:t[i+1]]
			id, ok := ids[tok]
			if !ok {
				id = len(ids)
				ids[tok] = id
			}
			out = append(out, id)
		}
		return out
	}
	return editDistance(seq(a, ta), seq(b, tb))
}
