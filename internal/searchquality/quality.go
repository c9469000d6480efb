// Package searchquality measures how well search finds what a reader is
// looking for. Its known-item check takes published articles at random,
// makes the query a reader remembering the article would type (three
// distinctive words of an English title, a four-character phrase of a
// Chinese one), and counts how often the article comes back in the top
// three. The test in this package holds the threshold; `chancery
// search-check` prints the figure for any data directory.
package searchquality

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode"

	"chancery/internal/content"
	"chancery/internal/search"
	"chancery/internal/store"
)

// TopN is how high a known item must rank to count as found.
const TopN = 3

// Report is the outcome for one language.
type Report struct {
	Language string
	Samples  int
	Found    int // in the top TopN
	// Misses lists a few queries that did not find their article, for
	// whoever tunes the ranking.
	Misses []Miss
}

// Miss is a query that did not find its article.
type Miss struct {
	ArticleID int64
	Title     string
	Query     string
}

// Rate is the share of samples found.
func (r Report) Rate() float64 {
	if r.Samples == 0 {
		return 0
	}
	return float64(r.Found) / float64(r.Samples)
}

func (r Report) String() string {
	return fmt.Sprintf("%s: %d of %d known items in the top %d (%.1f%%)", r.Language, r.Found, r.Samples, TopN, 100*r.Rate())
}

// KnownItem samples up to n published articles per language of the site
// (English and Chinese; other languages are skipped), chosen with seed,
// and searches for each as a reader would.
func KnownItem(ctx context.Context, st store.Store, siteID int64, n int, seed uint64, now time.Time) ([]Report, error) {
	site, err := st.Site(ctx, siteID)
	if err != nil {
		return nil, err
	}
	var reports []Report
	for _, lang := range site.Languages {
		if lang != "en" && lang != "zh" {
			continue
		}
		arts, err := st.Articles(ctx, store.Published(siteID, lang, now))
		if err != nil {
			return nil, err
		}
		if len(arts) == 0 {
			continue
		}
		r, err := knownItems(ctx, st, site, lang, arts, n, seed, now)
		if err != nil {
			return nil, err
		}
		reports = append(reports, r)
	}
	return reports, nil
}

func knownItems(ctx context.Context, st store.Store, site content.Site, lang string, arts []content.Article, n int, seed uint64, now time.Time) (Report, error) {
	queryFor := englishQueries(arts)
	if lang == "zh" {
		queryFor = chineseQueries(arts)
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	order := rng.Perm(len(arts))
	r := Report{Language: lang}
	for _, i := range order {
		if r.Samples == n {
			break
		}
		a := arts[i]
		q := queryFor(a.Title)
		if q == "" {
			continue // a title too short to make a query of
		}
		res, err := st.Search(ctx, store.SearchQuery{Query: search.Parse(q), SiteID: site.ID, Language: lang, Now: now, Limit: TopN})
		if err != nil {
			return r, fmt.Errorf("search %q: %w", q, err)
		}
		r.Samples++
		found := false
		for _, h := range res.Hits {
			found = found || h.ID == a.ID
		}
		if found {
			r.Found++
		} else if len(r.Misses) < 10 {
			r.Misses = append(r.Misses, Miss{ArticleID: a.ID, Title: a.Title, Query: q})
		}
	}
	return r, nil
}

// englishQueries returns a function that makes, from a title, the query
// a reader who remembers the article would type: three of its words that
// together occur in as few titles as possible (the rarest word first, then
// each time the word that narrows the titles most), in title order.
func englishQueries(arts []content.Article) func(string) string {
	postings := map[string][]int{} // token → titles holding it, ascending
	for i, a := range arts {
		for _, tok := range uniqueTokens(a.Title) {
			postings[tok.Text] = append(postings[tok.Text], i)
		}
	}
	return func(title string) string {
		toks := uniqueTokens(title)
		if len(toks) < 3 {
			return ""
		}
		var chosen []search.Token
		var left []int // titles holding every chosen word
		for range 3 {
			best, bestLeft := -1, []int(nil)
			for i, t := range toks {
				if slices.ContainsFunc(chosen, func(c search.Token) bool { return c.Text == t.Text }) {
					continue
				}
				narrowed := postings[t.Text]
				if chosen != nil {
					narrowed = intersect(left, narrowed)
				}
				if best < 0 || len(narrowed) < len(bestLeft) {
					best, bestLeft = i, narrowed
				}
			}
			chosen = append(chosen, toks[best])
			left = bestLeft
		}
		slices.SortFunc(chosen, func(a, b search.Token) int { return cmp.Compare(a.Start, b.Start) })
		parts := make([]string, len(chosen))
		for i, t := range chosen {
			parts[i] = title[t.Start:t.End]
		}
		return strings.Join(parts, " ")
	}
}

// uniqueTokens returns the first token of each distinct text.
func uniqueTokens(s string) []search.Token {
	var out []search.Token
	seen := map[string]bool{}
	for _, t := range search.Tokens(s) {
		if !seen[t.Text] {
			seen[t.Text] = true
			out = append(out, t)
		}
	}
	return out
}

// intersect returns the elements of two ascending lists found in both.
func intersect(a, b []int) []int {
	var out []int
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}

// chineseQueries returns a function that makes, from a title, the query
// of its most distinctive four-character phrase: four consecutive Han
// characters found in the fewest titles.
func chineseQueries(arts []content.Article) func(string) string {
	df := map[string]int{}
	for _, a := range arts {
		seen := map[string]bool{}
		for _, w := range windows(a.Title) {
			if !seen[w] {
				seen[w] = true
				df[w]++
			}
		}
	}
	return func(title string) string {
		best, bestDF := "", 0
		for _, w := range windows(title) {
			if d := df[w]; best == "" || d < bestDF {
				best, bestDF = w, d
			}
		}
		return best
	}
}

// windows returns every run of four consecutive Han characters.
func windows(s string) []string {
	var out []string
	var run []rune
	flush := func() {
		for i := 0; i+4 <= len(run); i++ {
			out = append(out, string(run[i:i+4]))
		}
		run = run[:0]
	}
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			run = append(run, r)
		} else {
			flush()
		}
	}
	flush()
	return out
}
