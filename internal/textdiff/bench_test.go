package textdiff

import (
	"strings"
	"testing"
)

// BenchmarkDiffUnrelated compares two unrelated texts of 50 KB: the
// search by word gives up, the lines are compared, then each pair of
// changed paragraphs.
func BenchmarkDiffUnrelated(b *testing.B) {
	x, y := sampleText(1, 50_000), sampleText(2, 50_000)
	b.SetBytes(int64(len(x) + len(y)))
	for b.Loop() {
		Diff(x, y)
	}
}

// BenchmarkDiffOneWord compares a text of 50 KB with itself but for one
// word in the middle.
func BenchmarkDiffOneWord(b *testing.B) {
	x := sampleText(1, 50_000)
	i := strings.Index(x[len(x)/2:], " ") + len(x)/2
	y := x[:i] + " changed" + x[i:]
	b.SetBytes(int64(len(x) + len(y)))
	for b.Loop() {
		Diff(x, y)
	}
}

// BenchmarkDiffEdited compares a text of 50 KB with a copy edited in
// every paragraph.
func BenchmarkDiffEdited(b *testing.B) {
	x := sampleText(1, 50_000)
	paras := strings.Split(x, "\n\n")
	for i := range paras {
		if w := strings.Fields(paras[i]); len(w) > 10 {
			paras[i] = strings.Replace(paras[i], w[5], "amended", 1)
		}
	}
	y := strings.Join(paras, "\n\n")
	b.SetBytes(int64(len(x) + len(y)))
	for b.Loop() {
		Diff(x, y)
	}
}

// BenchmarkDiffNoNewlines compares two unrelated texts of 50 KB without a
// line break, where no fallback but the whole replacement is left.
func BenchmarkDiffNoNewlines(b *testing.B) {
	x := strings.ReplaceAll(sampleText(1, 50_000), "\n", " ")
	y := strings.ReplaceAll(sampleText(2, 50_000), "\n", " ")
	b.SetBytes(int64(len(x) + len(y)))
	for b.Loop() {
		Diff(x, y)
	}
}
