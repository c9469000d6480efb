package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"chancery/internal/content"
	"chancery/internal/pages"
	"chancery/internal/publish"
	"chancery/internal/store"
)

var siteCommand = command{
	name:    "site",
	summary: "list, add and edit the network's sites",
	usage:   "list|add|edit [flags]",
	long: `Manage the sites of the network.

  chancery site list
  chancery site add --key embassy-paris --host paris.example.org \
      --languages en,zh,fr --name en="Embassy in Paris" --name zh="驻巴黎大使馆" \
      --name fr="Ambassade à Paris" --time-zone Europe/Paris
  chancery site edit embassy-paris --host paris.example.org,www.paris.example.org

A site that cannot be stored (a host or key another site has, an unknown
time zone or language tag) is refused whole: nothing is written.`,
	run: runSite,
}

func runSite(ctx context.Context, c command, e *env, args []string) error {
	return runSubcommands(ctx, c, e, args, []subcommand{
		{"list", "[flags]", "List every site of the network with its hosts, languages and time zone.", siteList},
		{"add", "--key KEY --host HOST --name LANG=NAME… [flags]", `Add a site to the network. Give its key, at least one host, its
languages and a name in each; the time zone defaults to UTC and the default
language to the first of --languages. A site that cannot be stored (a host
or key another site has, an unknown time zone or language tag, a missing
name) is refused whole: nothing is written.`, siteAdd},
		{"edit", "KEY [flags]", `Change a site: only the flags given change. --host and --languages
replace the whole list; --name changes one language's name. A change that
cannot be stored is refused whole: nothing is written.`, siteEdit},
	})
}

func siteList(ctx context.Context, c command, e *env, args []string) error {
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
	sites, err := st.Sites(ctx)
	if err != nil {
		return err
	}
	if len(sites) == 0 {
		fmt.Fprintln(e.stdout, "The network has no sites yet. Add one with \"chancery site add\".")
		return nil
	}
	printSites(e.stdout, sites)
	return nil
}

func printSites(w io.Writer, sites []content.Site) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tHOSTS\tLANGUAGES\tTIME ZONE\tNAME")
	for _, s := range sites {
		langs := make([]string, len(s.Languages))
		for i, l := range s.Languages {
			langs[i] = l
			if l == s.DefaultLanguage {
				langs[i] += "*"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Key, strings.Join(s.Hosts, ","), strings.Join(langs, ","), s.TimeZone, s.Name(s.DefaultLanguage))
	}
	tw.Flush()
	fmt.Fprintln(w, "(* default language)")
}

// siteFlags are the flags add and edit share.
type siteFlags struct {
	data      location
	key       *string
	hosts     listFlag
	languages listFlag
	names     namesFlag
	defLang   *string
	zone      *string
	feed      *string
	addresses *string
	channels  *string
}

func newSiteFlags(fs *flag.FlagSet, withKey bool) *siteFlags {
	f := &siteFlags{data: dataFlag(fs)}
	if withKey {
		f.key = fs.String("key", "", "short `name` of the site for the command line, such as embassy-paris (required)")
	} else {
		f.key = fs.String("key", "", "new short `name` of the site")
	}
	fs.Var(&f.hosts, "host", "host `names` the site answers on, comma-separated or repeated")
	fs.Var(&f.languages, "languages", "language `tags` of the site in switch order, such as en,zh")
	fs.Var(&f.names, "name", "site name in one language, as `LANG=NAME`; repeat for each language")
	f.defLang = fs.String("default-language", "", "`tag` of the language \"/\" leads to (default: the first of --languages)")
	f.zone = fs.String("time-zone", "", "IANA time `zone` the site shows times in, such as Asia/Shanghai")
	f.feed = fs.String("feed", "", "what the site's feeds carry: `full` text of each article, or its summary (default full)")
	f.addresses = fs.String("addresses", "", "form of new articles' addresses: `readable` (/en/news/2024/05/title, the default), or an old platform's\n"+
		"form kept after a migration, such as /{channel}/{section}/{yyyymm}/t{yyyymmdd}_{number}.htm")
	f.channels = fs.String("channels", "", "each language's path segment on the old platform, for {channel}: `LANG=SEGMENT,...` such as en=eng,zh=chn")
	return f
}

// addressing applies --addresses and --channels to s.
func (f *siteFlags) addressing(s *content.Site) error {
	switch *f.addresses {
	case "":
	case "readable":
		s.AddressScheme = ""
	default:
		s.AddressScheme = *f.addresses
	}
	if *f.channels != "" {
		ch, err := content.ParseChannels(*f.channels)
		if err != nil {
			return usageErr("--channels: %v", err)
		}
		s.Channels = ch
	}
	return nil
}

// feedSummary reads --feed: whether the feeds carry summaries only.
func (f *siteFlags) feedSummary(current bool) (bool, error) {
	switch *f.feed {
	case "":
		return current, nil
	case "full":
		return false, nil
	case "summary":
		return true, nil
	}
	return false, usageErr("--feed %q: use full (each article's whole text) or summary", *f.feed)
}

func siteAdd(ctx context.Context, c command, e *env, args []string) error {
	fs := flagSet(c, e)
	f := newSiteFlags(fs, true)
	if help, err := parse(fs, e, args); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q; site add takes only flags", fs.Arg(0))
	}
	s := content.Site{Key: *f.key, Hosts: f.hosts.values, Languages: f.languages.values, Names: f.names.values,
		DefaultLanguage: *f.defLang, TimeZone: *f.zone}
	if len(s.Languages) == 0 {
		s.Languages = sortedKeys(s.Names)
	}
	if s.DefaultLanguage == "" && len(s.Languages) > 0 {
		s.DefaultLanguage = s.Languages[0]
	}
	if s.TimeZone == "" {
		s.TimeZone = "UTC"
	}
	var err error
	if s.FeedSummary, err = f.feedSummary(false); err != nil {
		return err
	}
	if err := f.addressing(&s); err != nil {
		return err
	}
	st, err := f.data.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	created, err := st.CreateSite(ctx, s)
	if err != nil {
		return siteError("add", err)
	}
	// Running servers learn of a site from its page epoch.
	if _, err := st.Pages().BumpPageEpoch(ctx, created.ID); err != nil {
		return fmt.Errorf("the site was added, but running servers were not told: %w; restart them to serve it from the page store", err)
	}
	fmt.Fprintf(e.stdout, "Added site %q (%s), answering on %s.\n", created.Key, created.Name(created.DefaultLanguage), strings.Join(created.Hosts, ", "))
	return nil
}

func siteEdit(ctx context.Context, c command, e *env, args []string) error {
	fs := flagSet(c, e)
	f := newSiteFlags(fs, false)
	if help, err := parse(fs, e, args); help || err != nil {
		return err
	}
	switch {
	case fs.NArg() == 0:
		return usageErr("site edit needs the key of the site to change, such as: chancery site edit un --time-zone America/New_York")
	case fs.NArg() > 1:
		return usageErr("unexpected argument %q: site edit changes one site, such as: chancery site edit un --time-zone America/New_York", fs.Arg(1))
	}
	key := fs.Arg(0)
	st, err := f.data.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := st.SiteByKey(ctx, key)
	if errors.Is(err, content.ErrNotFound) {
		return fmt.Errorf("there is no site with key %q; \"chancery site list\" shows the keys", key)
	}
	if err != nil {
		return err
	}
	old := s
	old.Names, old.Hosts, old.Languages = maps.Clone(s.Names), slices.Clone(s.Hosts), slices.Clone(s.Languages)
	changed := false
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "key", "host", "languages", "name", "default-language", "time-zone", "feed", "addresses", "channels":
			changed = true
		}
	})
	if !changed {
		return usageErr("nothing to change: give at least one of --key, --host, --languages, --name, --default-language, --time-zone, --feed, --addresses, --channels")
	}
	if s.FeedSummary, err = f.feedSummary(s.FeedSummary); err != nil {
		return err
	}
	if err := f.addressing(&s); err != nil {
		return err
	}
	if *f.key != "" {
		s.Key = *f.key
	}
	if f.hosts.set {
		s.Hosts = f.hosts.values
	}
	if f.languages.set {
		s.Languages = f.languages.values
		// A language with articles stays: its articles' addresses,
		// listings, feeds and export would go, and the articles could no
		// longer be edited or withdrawn.
		for _, l := range old.Languages {
			if slices.Contains(s.Languages, l) {
				continue
			}
			n, err := st.CountArticles(ctx, store.ArticleQuery{SiteID: s.ID, Language: l})
			if err != nil {
				return err
			}
			if n > 0 {
				return fmt.Errorf("site %q has %d article(s) in %q: removing the language would take their listings, feeds and exported pages away and leave them impossible to edit or withdraw. Keep %s in --languages. Nothing was changed", s.Key, n, l, l)
			}
		}
	}
	for l, n := range f.names.values {
		s.Names[l] = n
	}
	for l := range s.Names {
		if f.languages.set && !slices.Contains(s.Languages, content.CanonicalLanguage(l)) {
			delete(s.Names, l) // a language removed takes its name with it
		}
	}
	if *f.defLang != "" {
		s.DefaultLanguage = *f.defLang
	}
	if *f.zone != "" {
		s.TimeZone = *f.zone
	}
	// The site changes with the stored pages that show what changed,
	// which are dropped (servers render them again for the next reader),
	// in one transaction: never the one without the other.
	if _, err := (&publish.Publisher{Store: st, Lazy: true}).ChangeSite(ctx, s.ID, func(q store.Queries) (pages.Set, error) {
		if err := q.UpdateSite(ctx, s); err != nil {
			return nil, err
		}
		return pages.ForSite(old, s), nil
	}); err != nil {
		return siteError("change", err)
	}
	fmt.Fprintf(e.stdout, "Changed site %q.\n", s.Key)
	return nil
}

// siteError explains a refused site write; nothing was stored.
func siteError(verb string, err error) error {
	var invalid *content.ValidationError
	if errors.As(err, &invalid) {
		var b strings.Builder
		fmt.Fprintf(&b, "cannot %s the site; nothing was written:", verb)
		for _, k := range sortedKeys(invalid.Fields) {
			fmt.Fprintf(&b, "\n  --%s: %s", flagFor(k), invalid.Fields[k])
		}
		return errors.New(b.String())
	}
	if errors.Is(err, content.ErrConflict) {
		return fmt.Errorf("cannot %s the site; nothing was written: %w", verb, err)
	}
	return err
}

// flagFor names the flag that sets a site field.
func flagFor(field string) string {
	switch field {
	case "hosts":
		return "host"
	case "names":
		return "name"
	case "default_language":
		return "default-language"
	case "time_zone":
		return "time-zone"
	case "address_scheme":
		return "addresses"
	}
	return field
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
