package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"chancery/internal/content"
	"chancery/internal/searchquality"
)

var searchCheckCommand = command{
	name:    "search-check",
	summary: "measure how often search finds a known article in its top three",
	usage:   "[flags]",
	long: `Pick published articles of a site at random and search for each as a
reader who remembers it would: three distinctive words of an English title,
or a four-character phrase of a Chinese one. Print, per language, how often
the article comes back in the top three, and a few of the queries that
missed. The figure to expect is 95% or more.`,
	run: runSearchCheck,
}

func runSearchCheck(ctx context.Context, c command, e *env, args []string) error {
	fs := flagSet(c, e)
	data := dataFlag(fs)
	siteKey := fs.String("site", "", "`key` of the site to check (default: the first site)")
	samples := fs.Int("samples", 500, "`number` of articles to try per language")
	seed := fs.Uint64("seed", 1, "`seed` that picks the articles")
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	if *samples < 1 {
		return usageErr("--samples must be at least 1")
	}
	st, err := data.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	var site content.Site
	if *siteKey == "" {
		sites, err := st.Sites(ctx)
		if err != nil {
			return err
		}
		if len(sites) == 0 {
			return errors.New("the network has no sites to check")
		}
		site = sites[0]
	} else if site, err = st.SiteByKey(ctx, *siteKey); errors.Is(err, content.ErrNotFound) {
		return fmt.Errorf("there is no site with key %q; \"chancery site list\" shows the keys", *siteKey)
	} else if err != nil {
		return err
	}
	reports, err := searchquality.KnownItem(ctx, st, site.ID, *samples, *seed, time.Now())
	if err != nil {
		return err
	}
	if len(reports) == 0 {
		return fmt.Errorf("site %q has no published English or Chinese articles to check", site.Key)
	}
	fmt.Fprintf(e.stdout, "Known-item search on %s:\n", site.Key)
	for _, r := range reports {
		fmt.Fprintf(e.stdout, "  %s\n", r)
		for _, m := range r.Misses {
			fmt.Fprintf(e.stdout, "    missed %q for article %d %q\n", m.Query, m.ArticleID, m.Title)
		}
	}
	return nil
}
