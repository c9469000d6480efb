package site

import (
	"cmp"
	"context"
	"database/sql"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"chancery/internal/search"
	"chancery/internal/store"
	"chancery/internal/store/sqlite"
	"chancery/internal/theme"
)

// The search benchmarks run on a generated network, not in the normal
// test run: point CHANCERY_BENCH_DATA at a data directory made by
// "chancery bench-data" (bench/search.sh does all of it).

// benchQueries are the queries the benchmarks send, by language: one to
// three words of English titles, and two to six characters (one to three
// two-character words) of Chinese ones, drawn with a fixed seed. Runs of
// function words alone ("of the") are not what readers look for and are
// left out.
func benchQueries(b *testing.B, st store.Store, siteID int64, lang string, n int) []string {
	b.Helper()
	arts, err := st.Articles(context.Background(), store.ArticleQuery{SiteID: siteID, Language: lang, Limit: 5000})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, uint64(len(lang))))
	var qs []string
	for len(qs) < n && len(arts) > 0 {
		title := arts[rng.IntN(len(arts))].Title
		words := rng.IntN(3) + 1
		if lang == "zh" {
			var han []rune
			for _, r := range title {
				if unicode.Is(unicode.Han, r) {
					han = append(han, r)
				}
			}
			size := 2 * words
			if len(han) < size {
				continue
			}
			start := rng.IntN(len(han) - size + 1)
			qs = append(qs, string(han[start:start+size]))
			continue
		}
		fields := strings.FieldsFunc(title, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if len(fields) < words {
			continue
		}
		start := rng.IntN(len(fields) - words + 1)
		q := strings.Join(fields[start:start+words], " ")
		if !slices.ContainsFunc(search.Tokens(q), func(t search.Token) bool { return !search.StopWord(t.Text) }) {
			continue
		}
		qs = append(qs, q)
	}
	return qs
}

func benchStore(b *testing.B) (*sqlite.Store, int64, string) {
	b.Helper()
	dir := os.Getenv("CHANCERY_BENCH_DATA")
	if dir == "" {
		b.Skip("set CHANCERY_BENCH_DATA to a data directory made by chancery bench-data (see bench/search.sh)")
	}
	path := filepath.Join(dir, "chancery.db")
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	sites, err := st.Sites(context.Background())
	if err != nil || len(sites) == 0 {
		b.Fatalf("no site in %s: %v", dir, err)
	}
	return st, sites[0].ID, sites[0].Hosts[0]
}

// reportLatency adds percentiles of the measured latencies to the output.
func reportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

type slowQuery struct {
	q string
	d time.Duration
}

// BenchmarkSearchHTTP sends search queries to the real handler through a
// loopback HTTP server, one at a time, and reports latency percentiles.
func BenchmarkSearchHTTP(b *testing.B) {
	st, siteID, host := benchStore(b)
	th, err := theme.Load("", nil)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(New(Options{Store: st, Theme: th}))
	defer srv.Close()
	client := srv.Client()
	for _, lang := range []string{"en", "zh"} {
		queries := benchQueries(b, st, siteID, lang, 300)
		b.Run(lang, func(b *testing.B) {
			var lat []time.Duration
			var slow []slowQuery
			i := 0
			for b.Loop() {
				q := queries[i%len(queries)]
				i++
				req, _ := http.NewRequest(http.MethodGet, srv.URL+"/"+lang+"/search/?q="+url.QueryEscape(q), nil)
				req.Host = host
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				lat = append(lat, time.Since(start))
				slow = append(slow, slowQuery{q, lat[len(lat)-1]})
				if err != nil || resp.StatusCode != http.StatusOK {
					b.Fatalf("%q: %d %v", q, resp.StatusCode, err)
				}
			}
			reportLatency(b, lat)
			slices.SortFunc(slow, func(x, y slowQuery) int { return cmp.Compare(y.d, x.d) })
			for _, s := range slow[:min(5, len(slow))] {
				b.Logf("slow: %q %v", s.q, s.d)
			}
		})
	}
}

// BenchmarkSearchFTS5Plain runs the same queries as plain FTS5 statements
// on the same index, without our layer: no HTTP, no filters or join, no
// snippets; only the MATCH expression and the ranking.
func BenchmarkSearchFTS5Plain(b *testing.B) {
	st, siteID, _ := benchStore(b)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(os.Getenv("CHANCERY_BENCH_DATA"), "chancery.db")+"?mode=ro")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for _, lang := range []string{"en", "zh"} {
		queries := benchQueries(b, st, siteID, lang, 300)
		exprs := make([]string, len(queries))
		for i, q := range queries {
			exprs[i] = search.Parse(q).FTS5()
		}
		b.Run(lang, func(b *testing.B) {
			var lat []time.Duration
			i := 0
			for b.Loop() {
				expr := exprs[i%len(exprs)]
				i++
				start := time.Now()
				rows, err := db.Query(`SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY bm25(search_fts, 10.0, 1.0) LIMIT 20`, expr)
				if err != nil {
					b.Fatal(err)
				}
				for rows.Next() {
				}
				rows.Close()
				lat = append(lat, time.Since(start))
			}
			reportLatency(b, lat)
		})
	}
}
