package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestProgress: off a terminal, a line when work starts and at each tenth,
// with the rate and the time left once it can be told.
func TestProgress(t *testing.T) {
	var out bytes.Buffer
	p := newProgress(&out, "imported", "files")
	p.start = time.Now().Add(-10 * time.Second)
	for i := 1; i <= 100; i++ {
		p.update(i, 100)
	}
	p.done()
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 11 {
		t.Fatalf("%d lines; want the first and one per tenth:\n%s", len(lines), out.String())
	}
	if !strings.HasPrefix(lines[1], "imported 10 of 100 files (") || !strings.Contains(lines[1], "left)") {
		t.Errorf("line %q; want counts and the time left", lines[1])
	}
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "imported 100 of 100 files") || strings.Contains(last, "left") {
		t.Errorf("last line %q; want no time left", last)
	}
}

func TestTimeLeft(t *testing.T) {
	for _, tt := range []struct {
		done, total int
		rate        float64
		want        string
	}{
		{100, 1000, 10, ", about 1m30s left"},
		{0, 1000, 10, ""},
		{1000, 1000, 10, ""},
		{999, 1000, 10000, ""},
	} {
		if got := left(tt.done, tt.total, tt.rate); got != tt.want {
			t.Errorf("left(%d, %d, %v) = %q; want %q", tt.done, tt.total, tt.rate, got, tt.want)
		}
	}
}
