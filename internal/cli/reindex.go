package cli

import (
	"context"
	"fmt"
	"time"
)

var reindexCommand = command{
	name:    "reindex",
	summary: "rebuild the search index from the articles",
	usage:   "[flags]",
	long: `Rebuild the search index from every published article. The server may
keep running: readers search the old index until the new one is complete,
and it is replaced in one step. Publishing keeps the index up to date by
itself; reindex is for after a change of the tokenizer, or to check the
index's size.`,
	run: runReindex,
}

func runReindex(ctx context.Context, c command, e *env, args []string) error {
	fs := flagSet(c, e)
	data := dataFlag(fs)
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	st, err := data.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	bar := newProgress(e.stdout, "indexed", "articles")
	stats, err := st.Reindex(ctx, bar.update)
	bar.done()
	if err != nil {
		return fmt.Errorf("reindex: %w; the previous index is kept", err)
	}
	secs := time.Since(start).Seconds()
	ratio := 0.0
	if stats.TextBytes > 0 {
		ratio = float64(stats.IndexBytes) / float64(stats.TextBytes)
	}
	fmt.Fprintf(e.stdout, "Indexed %d articles in %.1f s (%.0f articles/s). Text %s, index %s (%.2f × the text).\n",
		stats.Articles, secs, float64(stats.Articles)/max(secs, 1e-9), megabytes(stats.TextBytes), megabytes(stats.IndexBytes), ratio)
	return nil
}

func megabytes(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
