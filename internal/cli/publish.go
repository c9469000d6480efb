package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"chancery/internal/content"
	"chancery/internal/publish"
	"chancery/internal/store"
)

var publishCommand = command{
	name:    "publish",
	summary: "publish an article, or withdraw one, and render the pages it shows on",
	usage:   "ARTICLE-ID [--withdraw --reason TEXT] [flags]",
	long: `Publish an article now (or schedule it for its publication time, when
that is still to come: a running chancery serve publishes it within two
seconds of that time, or as it starts if none ran then), or with
--withdraw take it out of every listing: it stays at its address with a
withdrawal notice giving --reason, and stays withdrawn (a correction is a
new article). The stored pages the change shows on (its
own, its translations', the listings, archives, feeds and sitemaps it
appears in) are dropped in the same transaction, and servers running on the
same database render them again for the next reader, within a second.`,
	run: runPublish,
}

func runPublish(ctx context.Context, c command, e *env, args []string) error {
	fs := flagSet(c, e)
	data := dataFlag(fs)
	withdraw := fs.Bool("withdraw", false, "withdraw the article instead of publishing it")
	reason := fs.String("reason", "", "with --withdraw (and required there): why the article is withdrawn, shown to readers beside it")
	if help, err := parse(fs, e, args); help || err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usageErr("unexpected argument %q: publish takes one article number, such as: chancery publish 42", fs.Arg(1))
	}
	n, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil || n <= 0 {
		return usageErr("publish needs the number of an article, such as: chancery publish 42")
	}
	why := strings.TrimSpace(*reason)
	switch {
	case *withdraw && why == "":
		return usageErr("--withdraw needs --reason: readers see why beside the article, such as --reason \"Issued in error; see the statement of 3 May.\"")
	case *withdraw && len(why) > 1000:
		return usageErr("--reason is longer than 1,000 characters")
	case !*withdraw && why != "":
		return usageErr("--reason goes with --withdraw")
	}
	st, err := data.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	p := &publish.Publisher{Store: st, Lazy: true}
	act, verb := p.Publish, "Published"
	if *withdraw {
		verb = "Withdrew"
		act = func(ctx context.Context, id int64) (content.Article, publish.Result, error) {
			return p.Withdraw(ctx, id, why, func(q store.Queries, a content.Article) error {
				return q.Accounts().Audit(ctx, store.AuditEntry{At: time.Now(), Email: "command line", SiteID: a.SiteID,
					Action: "withdraw", ArticleID: a.ID, Detail: why})
			})
		}
	}
	a, res, err := act(ctx, n)
	if errors.Is(err, content.ErrNotFound) {
		return fmt.Errorf("there is no article %d", n)
	}
	if err != nil {
		return err
	}
	if a.Status == content.StatusScheduled {
		s, err := st.Site(ctx, a.SiteID)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Scheduled %q for %s (%s); chancery serve publishes it then.\n", a.Title,
			a.PublishedAt.In(s.Location()).Format("2006-01-02 15:04:05"), s.TimeZone)
		return nil
	}
	fmt.Fprintf(e.stdout, "%s %q at %s; %d stored pages will be rendered again when next asked for.\n", verb, a.Title, a.Path, len(res.Removed))
	return nil
}
