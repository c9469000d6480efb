package cli

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"chancery/internal/benchdata"
	"chancery/internal/store"
)

// maxBenchArticles bounds --articles: two million pieces make a database
// of roughly 20 GB.
const maxBenchArticles = 2_000_000

var benchDataCommand = command{
	name:    "bench-data",
	summary: "fill an empty data directory with a generated network for benchmarks",
	usage:   "--articles N [flags]",
	long: `Fill an empty data directory with a generated, deterministic network for
benchmarks and search tests: one site ("bench", answering on
bench.localhost) with about twenty sections in the reference navigation,
and N pieces of content (statements, readouts, news, press releases,
documents) spread over the years 2010–2026. With both languages, about 85%
of the pieces are published in English and Chinese, the rest in English
only and a few in Chinese only.

The same --articles, --languages and --seed always give the same network.
bench-data refuses a data directory whose database already holds a site:
give a new --data directory.

  chancery bench-data --data /tmp/bench --articles 100000
  chancery serve --data /tmp/bench`,
	run: runBenchData,
}

func runBenchData(ctx context.Context, c command, e *env, args []string) error {
	fs := flagSet(c, e)
	data := dataFlag(fs)
	articles := fs.Int("articles", 0, "`number` of pieces of content to generate, 1 to 2,000,000 (required)")
	languages := listFlag{values: []string{"en", "zh"}}
	fs.Var(&languages, "languages", "language `tags` of the site, en and/or zh; the first is the default language (default en,zh)")
	seed := fs.Uint64("seed", 1, "`number` choosing the network: the same seed gives the same network")
	if help, err := parse(fs, e, args); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q; bench-data takes only flags, such as --articles 10000", fs.Arg(0))
	}
	articlesSet := false
	fs.Visit(func(f *flag.Flag) { articlesSet = articlesSet || f.Name == "articles" })
	switch {
	case !articlesSet:
		return usageErr("bench-data needs --articles N: how many pieces of content to generate, such as --articles 10000")
	case *articles < 1 || *articles > maxBenchArticles:
		return usageErr("--articles %d is out of range: give a number from 1 to %s", *articles, thousands(maxBenchArticles))
	}
	langs, err := benchLanguages(languages)
	if err != nil {
		return err
	}
	if *seed == 0 {
		return usageErr("--seed 0 is not a seed: give a number from 1, such as --seed 1")
	}

	st, err := data.open(ctx, true)
	if err != nil {
		return err
	}
	defer st.Close()
	empty, err := st.Empty(ctx)
	if err != nil {
		return err
	}
	if !empty {
		return fmt.Errorf("%s already holds a network; bench-data fills an empty database: give a new --data directory (or --db database). Nothing was written", st.Name)
	}

	total := *articles
	start := time.Now()
	bar := newProgress(e.stdout, "generated", "articles")
	err = benchdata.Generate(ctx, st, benchdata.Options{Articles: total, Languages: langs, Seed: *seed}, bar.update)
	bar.done()
	if err != nil {
		return fmt.Errorf("bench-data stopped: %w. %s holds a partial network: delete it and run bench-data again", err, st.Name)
	}
	elapsed := time.Since(start)

	site, err := st.SiteByKey(ctx, benchdata.SiteKey)
	if err != nil {
		return err
	}
	var counts []string
	versions := 0
	for _, l := range site.Languages {
		n, err := st.CountArticles(ctx, store.ArticleQuery{SiteID: site.ID, Language: l})
		if err != nil {
			return err
		}
		versions += n
		counts = append(counts, fmt.Sprintf("%s in %s", thousands(n), languageName(l)))
	}
	fmt.Fprintf(e.stdout, "Generated %s articles in %s (%s/s): %s, %s language versions in all.\n",
		thousands(total), elapsed.Round(100*time.Millisecond), thousands(int(float64(total)/max(elapsed.Seconds(), 1e-3))),
		strings.Join(counts, ", "), thousands(versions))
	fmt.Fprintf(e.stdout, "Serve it with: chancery serve %s\nthen open http://%s:8080/\n", data.args(), site.Hosts[0])
	return nil
}

// benchLanguages checks --languages: en and zh only, each once.
func benchLanguages(l listFlag) ([]string, error) {
	var langs []string
	for _, v := range l.values {
		v = strings.ToLower(v)
		switch {
		case v != "en" && v != "zh":
			return nil, usageErr("--languages %s: bench-data writes English and Chinese only: give en, zh or en,zh", l.String())
		case slices.Contains(langs, v):
			return nil, usageErr("--languages %s gives %s twice", l.String(), v)
		}
		langs = append(langs, v)
	}
	if len(langs) == 0 {
		return nil, usageErr("--languages is empty: give en, zh or en,zh")
	}
	return langs, nil
}

func languageName(tag string) string {
	switch tag {
	case "en":
		return "English"
	case "zh":
		return "Chinese"
	}
	return tag
}
