package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// progress shows how far a long job is: one line redrawn on a terminal,
// a line every tenth elsewhere.
type progress struct {
	w          io.Writer
	verb, noun string
	term       bool
	start      time.Time
	lastTenth  int
	drawn      bool
}

func newProgress(w io.Writer, verb, noun string) *progress {
	return &progress{w: w, verb: verb, noun: noun, term: isTerminal(w), start: time.Now(), lastTenth: -1}
}

func (p *progress) update(done, total int) {
	rate := float64(done) / max(time.Since(p.start).Seconds(), 1e-9)
	if p.term {
		width := 30
		filled := 0
		if total > 0 {
			filled = done * width / total
		}
		fmt.Fprintf(p.w, "\r[%s%s] %s %s of %s %s (%s/s%s)\x1b[K", strings.Repeat("#", filled), strings.Repeat(".", width-filled),
			p.verb, thousands(done), thousands(total), p.noun, thousands(int(rate)), left(done, total, rate))
		p.drawn = true
		return
	}
	tenth := 10
	if total > 0 {
		tenth = done * 10 / total
	}
	if tenth != p.lastTenth {
		p.lastTenth = tenth
		fmt.Fprintf(p.w, "%s %s of %s %s (%s/s%s)\n", p.verb, thousands(done), thousands(total), p.noun, thousands(int(rate)), left(done, total, rate))
	}
}

// left is the expected time to finish at the rate so far, ", about 2m10s
// left", or "" when it cannot be told yet or nothing is left.
func left(done, total int, rate float64) string {
	if done == 0 || done >= total || rate <= 0 {
		return ""
	}
	eta := time.Duration(float64(total-done) / rate * float64(time.Second))
	if eta < time.Second {
		return ""
	}
	return ", about " + eta.Round(time.Second).String() + " left"
}

func (p *progress) done() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}

// thousands writes n with comma separators: 100000 → "100,000".
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
