package textdiff

import "strings"

// workBudget bounds each search for a shortest edit script (and the
// searches of the changed groups of lines together): it counts the
// diagonals visited and the tokens compared along them. Myers' algorithm
// visits about D²/2 diagonals for an edit distance of D, so a search
// goes to a distance of some fifteen hundred tokens (seven hundred words
// changed), in about ten milliseconds.
const workBudget = 1_000_000

// A chunk is a piece of both texts: a[a0:a1] and b[b0:b1], in bytes.
// Equal chunks hold the same text on both sides; others are a change, a
// deletion of the a side and an insertion of the b side (either can be
// empty).
type chunk struct {
	equal          bool
	a0, a1, b0, b1 int
}

// differ compares texts within a budget of work, reusing its buffers from
// one comparison to the next.
type differ struct {
	limit  int // the budget of each stage: words, lines, changed lines
	budget int // work left before a search gives up

	a, b     []int32 // the units being compared, interned
	del, ins []bool  // the units of a deleted, of b inserted
	vf, vb   []int   // furthest reaching paths, forward and backward
}

// diff compares a and b word by word, falling back to lines and then to
// whole replacement as the budget runs out, and returns the cleaned-up
// chunks.
func (d *differ) diff(a, b string) []chunk {
	if a == b {
		if a == "" {
			return nil
		}
		return []chunk{{equal: true, a1: len(a), b1: len(b)}}
	}
	d.budget = d.limit
	words, ok := d.units(a, b, tokenize(a), tokenize(b))
	if ok {
		return cleanup(a, b, words)
	}
	// Too many differences to search token by token: find the changed
	// lines, then compare each group of them by itself.
	d.budget = d.limit
	byLine, _ := d.units(a, b, lines(a), lines(b))
	changes := 0
	for _, c := range byLine {
		if !c.equal {
			changes++
		}
	}
	if changes <= 1 {
		// The only change holds the middle where the search by token gave
		// up (or is coarser still): words, trimmed, is as fine.
		return cleanup(a, b, words)
	}
	d.budget = d.limit
	var out []chunk
	for _, c := range byLine {
		if c.equal || c.a0 == c.a1 || c.b0 == c.b1 {
			out = appendChunk(out, c)
			continue
		}
		sa, sb := a[c.a0:c.a1], b[c.b0:c.b1]
		sub, _ := d.units(sa, sb, tokenize(sa), tokenize(sb))
		for _, s := range sub {
			s.a0, s.a1, s.b0, s.b1 = s.a0+c.a0, s.a1+c.a0, s.b0+c.b0, s.b1+c.b0
			out = appendChunk(out, s)
		}
	}
	return cleanup(a, b, out)
}

// units compares a and b as sequences of units, tokens or lines, whose
// boundaries are ua and ub (see tokenize). If the search runs out of
// budget, everything between the common prefix and suffix is one change
// and ok is false.
func (d *differ) units(a, b string, ua, ub []int) (cs []chunk, ok bool) {
	na, nb := len(ua)-1, len(ub)-1
	unitA := func(i int) string { return a[ua[i]:ua[i+1]] }
	unitB := func(i int) string { return b[ub[i]:ub[i+1]] }

	// The common prefix and suffix cost nothing to find, and the search
	// and the interning need only the middle.
	p := 0
	for p < na && p < nb && unitA(p) == unitB(p) {
		p++
	}
	s := 0
	for s < na-p && s < nb-p && unitA(na-1-s) == unitB(nb-1-s) {
		s++
	}
	cs = appendChunk(cs, chunk{equal: true, a1: ua[p], b1: ub[p]})

	ma, mb := na-p-s, nb-p-s
	ids := make(map[string]int32, ma+mb)
	intern := func(dst []int32, unit func(int) string, n int) []int32 {
		dst = dst[:0]
		for i := p; i < p+n; i++ {
			u := unit(i)
			id, seen := ids[u]
			if !seen {
				id = int32(len(ids))
				ids[u] = id
			}
			dst = append(dst, id)
		}
		return dst
	}
	d.a, d.b = intern(d.a, unitA, ma), intern(d.b, unitB, mb)
	d.del, d.ins = resetBools(d.del, ma), resetBools(d.ins, mb)
	ok = d.compare(0, ma, 0, mb, true)
	if !ok {
		cs = appendChunk(cs, chunk{a0: ua[p], a1: ua[p+ma], b0: ub[p], b1: ub[p+mb]})
	} else {
		for i, j := 0, 0; i < ma || j < mb; {
			i0, j0 := i, j
			equal := i < ma && j < mb && !d.del[i] && !d.ins[j]
			if equal {
				i, j = i+1, j+1
			} else {
				for i < ma && d.del[i] {
					i++
				}
				for j < mb && d.ins[j] {
					j++
				}
				if i == i0 && j == j0 { // cannot happen: the marks disagree
					i, j = ma, mb
				}
			}
			cs = appendChunk(cs, chunk{equal: equal, a0: ua[p+i0], a1: ua[p+i], b0: ub[p+j0], b1: ub[p+j]})
		}
	}
	cs = appendChunk(cs, chunk{equal: true, a0: ua[na-s], a1: ua[na], b0: ub[nb-s], b1: ub[nb]})
	return cs, ok
}

// appendChunk appends c to cs, merging it into the last chunk if they are
// of the same kind; empty chunks are dropped.
func appendChunk(cs []chunk, c chunk) []chunk {
	if c.a0 == c.a1 && c.b0 == c.b1 {
		return cs
	}
	if n := len(cs); n > 0 && cs[n-1].equal == c.equal {
		cs[n-1].a1, cs[n-1].b1 = c.a1, c.b1
		return cs
	}
	return append(cs, c)
}

func resetBools(s []bool, n int) []bool {
	if cap(s) < n {
		return make([]bool, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// compare marks the deleted units of d.a[alo:ahi] and the inserted units
// of d.b[blo:bhi] of a shortest edit script. If limited, it gives up and
// returns false when the search for the middle snake exhausts the budget;
// the searches of the two halves are not limited, since together they
// cost less than about twice the first.
func (d *differ) compare(alo, ahi, blo, bhi int, limited bool) bool {
	a, b := d.a, d.b
	for alo < ahi && blo < bhi && a[alo] == b[blo] {
		alo, blo = alo+1, blo+1
	}
	for alo < ahi && blo < bhi && a[ahi-1] == b[bhi-1] {
		ahi, bhi = ahi-1, bhi-1
	}
	switch {
	case alo == ahi:
		markAll(d.ins[blo:bhi])
		return true
	case blo == bhi:
		markAll(d.del[alo:ahi])
		return true
	}
	x, y, ok := d.split(alo, ahi, blo, bhi, limited)
	if !ok {
		return false
	}
	if (x == alo && y == blo) || (x == ahi && y == bhi) {
		// Cannot happen once the common prefix and suffix are gone, but a
		// split that makes no progress must not recurse.
		markAll(d.del[alo:ahi])
		markAll(d.ins[blo:bhi])
		return true
	}
	d.compare(alo, x, blo, y, false)
	d.compare(x, ahi, y, bhi, false)
	return true
}

func markAll(s []bool) {
	for i := range s {
		s[i] = true
	}
}

// split finds where a shortest edit script of d.a[alo:ahi] and
// d.b[blo:bhi] crosses its middle (Myers 1986, section 4b): it extends
// the furthest reaching paths from both corners, one edit at a time,
// until they overlap on a diagonal, and returns the end of the forward
// path there. Both halves then have about half the edits.
//
// Coordinates are relative to (alo, blo): x in a, y in b, and diagonal k
// holds the points with x-y = k. The backward search runs the same
// algorithm on the reversed sequences, so its x counts from ahi
// backwards; the backward diagonal of forward diagonal k is delta-k.
// vf[k+off] and vb[k+off] hold the furthest x reached on diagonal k, -1
// if none. The diagonals of a path that would leave the grid are skipped.
func (d *differ) split(alo, ahi, blo, bhi int, limited bool) (x, y int, ok bool) {
	a, b := d.a, d.b
	n, m := ahi-alo, bhi-blo
	delta := n - m
	odd := delta&1 != 0
	off := m + 1
	size := n + m + 3
	if cap(d.vf) < size {
		d.vf, d.vb = make([]int, size), make([]int, size)
	}
	vf, vb := d.vf[:size], d.vb[:size]
	for i := range vf {
		vf[i], vb[i] = -1, -1
	}
	for e := 0; e <= (n+m+1)/2; e++ {
		// Forward: paths of e edits from (0, 0).
		for k := -e; k <= e; k += 2 {
			if k < -m || k > n {
				continue
			}
			x := 0
			if e > 0 {
				x = furthest(vf, off+k, k, n, m)
			}
			if x < 0 {
				continue
			}
			y := x - k
			x0 := x
			for x < n && y < m && a[alo+x] == b[blo+y] {
				x, y = x+1, y+1
			}
			vf[off+k] = x
			if d.budget -= 1 + x - x0; limited && d.budget < 0 {
				return 0, 0, false
			}
			if odd {
				if r := delta - k; r >= -m && r <= n && vb[off+r] >= 0 && x+vb[off+r] >= n {
					return alo + x, blo + y, true
				}
			}
		}
		// Backward: paths of e edits from (n, m).
		for r := -e; r <= e; r += 2 {
			if r < -m || r > n {
				continue
			}
			x := 0
			if e > 0 {
				x = furthest(vb, off+r, r, n, m)
			}
			if x < 0 {
				continue
			}
			y := x - r
			x0 := x
			for x < n && y < m && a[ahi-1-x] == b[bhi-1-y] {
				x, y = x+1, y+1
			}
			vb[off+r] = x
			if d.budget -= 1 + x - x0; limited && d.budget < 0 {
				return 0, 0, false
			}
			if !odd {
				if k := delta - r; k >= -m && k <= n && vf[off+k] >= 0 && x+vf[off+k] >= n {
					fx := vf[off+k]
					return alo + fx, blo + fx - k, true
				}
			}
		}
	}
	return 0, 0, false // cannot happen: the paths meet by (n+m)/2 edits
}

// furthest returns where a path of e > 0 edits can start its final
// snake on diagonal k, given in v the furthest points reached with e-1
// edits (i is off+k): one step down from diagonal k+1 or one step right
// from diagonal k-1, whichever goes further without leaving the n×m
// grid; -1 if neither can. Diagonals -m-1 and n+1 are never reached, so
// their -1 rules them out.
func furthest(v []int, i, k, n, m int) int {
	x := -1
	if p := v[i+1]; p >= 0 && p-k <= m {
		x = p
	}
	if p := v[i-1] + 1; p > 0 && p <= n && p > x {
		x = p
	}
	return x
}

// cleanup folds into the changes around it an equal chunk that holds no
// newline and is only white space, or has at most half as many words as
// each of the two changes (counting the longer side of each), so that a
// rewritten phrase reads as one deletion and one insertion and not as a
// scatter of fragments around the words that happen to recur. A changed
// digit between two others ("3月5日" to "4月6日") stays as it is.
func cleanup(a, b string, cs []chunk) []chunk {
	const most = 16 // equal chunks of more words stay
	size := func(c chunk, limit int) int {
		return max(countWords(a[c.a0:c.a1], limit), countWords(b[c.b0:c.b1], limit))
	}
	for pass, folded := 0, true; folded && pass < 8; pass++ {
		folded = false
		out := cs[:0]
		for i := 0; i < len(cs); i++ {
			c := cs[i]
			if c.equal && len(out) > 0 && i+1 < len(cs) {
				text := a[c.a0:c.a1]
				if !strings.Contains(text, "\n") {
					w := countWords(text, most+1)
					if w == 0 || w <= most && 2*w <= min(size(out[len(out)-1], 2*w), size(cs[i+1], 2*w)) {
						last := &out[len(out)-1]
						last.a1, last.b1 = cs[i+1].a1, cs[i+1].b1
						i++
						folded = true
						continue
					}
				}
			}
			out = append(out, c)
		}
		cs = out
	}
	// Folding can leave a change whose two sides begin or end alike
	// ("It's " for "It is "): what they share goes back to the equal text.
	var out []chunk
	for _, c := range cs {
		if c.equal || c.a0 == c.a1 || c.b0 == c.b1 {
			out = appendChunk(out, c)
			continue
		}
		pre, suf := commonAffixes(a[c.a0:c.a1], b[c.b0:c.b1])
		out = appendChunk(out, chunk{equal: true, a0: c.a0, a1: c.a0 + pre, b0: c.b0, b1: c.b0 + pre})
		out = appendChunk(out, chunk{a0: c.a0 + pre, a1: c.a1 - suf, b0: c.b0 + pre, b1: c.b1 - suf})
		out = appendChunk(out, chunk{equal: true, a0: c.a1 - suf, a1: c.a1, b0: c.b1 - suf, b1: c.b1})
	}
	return out
}

// commonAffixes returns the lengths in bytes of the longest sequences of
// whole tokens that a and b begin with and end with, not overlapping.
func commonAffixes(a, b string) (prefix, suffix int) {
	ta, tb := tokenize(a), tokenize(b)
	na, nb := len(ta)-1, len(tb)-1
	p := 0
	for p < na && p < nb && a[ta[p]:ta[p+1]] == b[tb[p]:tb[p+1]] {
		p++
	}
	s := 0
	for s < na-p && s < nb-p && a[ta[na-1-s]:ta[na-s]] == b[tb[nb-1-s]:tb[nb-s]] {
		s++
	}
	return ta[p], len(a) - ta[na-s]
}
