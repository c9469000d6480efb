package publish_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"chancery/internal/benchdata"
	"chancery/internal/content"
	"chancery/internal/markup"
	"chancery/internal/publish"
	"chancery/internal/store"
	"chancery/internal/store/sqlite"
	"chancery/internal/theme"
)

// TestPublishLatency times publishing one new article, again and again,
// into a network made by chancery bench-data: set CHANCERY_BENCH_DATA to
// its data directory (bench/publishing.sh does, for 1,000 and 100,000
// articles). It adds articles to that network. CHANCERY_BENCH_PUBLISHES
// sets how many (default 200).
func TestPublishLatency(t *testing.T) {
	dir := os.Getenv("CHANCERY_BENCH_DATA")
	if dir == "" {
		t.Skip("set CHANCERY_BENCH_DATA to a data directory made by chancery bench-data to time publishing; bench/publishing.sh does")
	}
	n := 200
	if v, err := strconv.Atoi(os.Getenv("CHANCERY_BENCH_PUBLISHES")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "chancery.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := st.SiteByKey(ctx, benchdata.SiteKey)
	if err != nil {
		t.Fatal(err)
	}
	secs, err := st.Sections(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	tree := content.NewTree(secs)
	// The deepest section: a publish there touches the most listings.
	var leaf content.Section
	for _, sec := range secs {
		if len(tree.Ancestry(sec.ID)) > len(tree.Ancestry(leaf.ID)) {
			leaf = sec
		}
	}
	th, err := theme.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	pub := &publish.Publisher{Store: st, Theme: th, NetworkHost: "localhost"}
	body, _ := markup.Render("A statement of some length.\n\nIt has two paragraphs, as most do.")
	var took []time.Duration
	pages := 0
	for i := range n + 5 {
		a, err := st.CreateArticle(ctx, content.Article{SiteID: s.ID, SectionID: leaf.ID, Language: s.DefaultLanguage, Kind: content.KindStatement,
			Status: content.StatusDraft, Title: fmt.Sprintf("Timing statement %d of %s", i, time.Now().Format(time.RFC3339Nano)),
			Summary: "A statement.", Body: "A statement.", BodyHTML: body})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, res, err := pub.Publish(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if i >= 5 { // the first few warm the caches
			took = append(took, time.Since(start))
			pages = len(res.Rendered)
		}
	}
	slices.Sort(took)
	median, p99 := took[len(took)/2], took[len(took)*99/100]
	count, _ := st.CountArticles(ctx, store.ArticleQuery{SiteID: s.ID})
	fmt.Printf("publish-latency articles=%d publishes=%d pages=%d median_ms=%.2f p99_ms=%.2f\n", count, len(took), pages,
		float64(median.Microseconds())/1000, float64(p99.Microseconds())/1000)
}
