package searchquality

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"chancery/internal/benchdata"
	"chancery/internal/store/sqlite"
)

// threshold is the share of known items that must come back in the top
// three, in each language.
const threshold = 0.95

// TestKnownItem generates a 10,000-article bilingual site and checks that
// 500 articles per language, each looked for as a reader remembering it
// would, come back in the top three at least 95% of the time.
func TestKnownItem(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a 10,000-article site (about half a minute); run without -short")
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "chancery.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := benchdata.Generate(ctx, st, benchdata.Options{Articles: 10000}, nil); err != nil {
		t.Fatal(err)
	}
	site, err := st.SiteByKey(ctx, benchdata.SiteKey)
	if err != nil {
		t.Fatal(err)
	}
	reports, err := KnownItem(ctx, st, site.ID, 500, 1, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) != 2 {
		t.Fatalf("reports for %d languages; want English and Chinese", len(reports))
	}
	for _, r := range reports {
		t.Log(r)
		if r.Samples != 500 {
			t.Errorf("%s: %d samples; want 500", r.Language, r.Samples)
		}
		if r.Rate() < threshold {
			for _, m := range r.Misses {
				t.Logf("  missed %q for %q", m.Query, m.Title)
			}
			t.Errorf("%s: %.1f%% of known items in the top %d; want at least %.0f%%", r.Language, 100*r.Rate(), TopN, 100*threshold)
		}
	}
}

func TestQueriesLookLikeAReadersQuery(t *testing.T) {
	en := englishQueries(nil)
	if q := en("Statement by Ambassador Mara Lindqvist-Oduya on Water Security"); len(q) == 0 {
		t.Fatal("no English query")
	}
	if q := en("Two words"); q != "" {
		t.Fatalf("a two-word title gave %q; want no query", q)
	}
	if got := windows("关于水安全的发言（2024年）"); len(got) != 5 || got[0] != "关于水安" || got[4] != "全的发言" {
		t.Fatalf("windows = %q", got)
	}
}
