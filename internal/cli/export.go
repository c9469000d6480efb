package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"chancery/internal/content"
	"chancery/internal/export"
	"chancery/internal/theme"
)

var exportCommand = command{
	name:    "export",
	summary: "write one site, every language, as static files for nginx, a CDN or object storage",
	usage:   "--site HOST --out DIR [--incremental] [flags]",
	long: `Write the public site answering on HOST, in every language, as static files
at the same addresses chancery serve answers: pages, feeds, sitemaps,
robots.txt, the theme's files and a 404 page per language, each text file
with a precompressed .gz and .br beside it. Search and the share form
answer what readers type and are not exported.

The export is written beside DIR, in DIR.versions/, and DIR becomes a
symbolic link to it only once it is whole: a crash or an error leaves the
previous export in place and servable. The previous version is kept, older
ones are deleted. With --incremental, pages whose bytes did not change
since the last export are linked from it instead of written again.

docs/nginx-export.conf serves an export with nginx.`,
	run: runExport,
}

func runExport(ctx context.Context, c command, e *env, args []string) error {
	fs := flagSet(c, e)
	data := dataFlag(fs)
	host := fs.String("site", "", "host `name` (or key) of the site to export, such as embassy.example.org (required)")
	out := fs.String("out", "", "`directory` to export to; it becomes a symbolic link to the newest export (required; outside the data directory)")
	incremental := fs.Bool("incremental", false, "link the files of the previous export whose bytes did not change, instead of writing them again")
	scheme := fs.String("scheme", "https", "`scheme` of the absolute addresses in the pages (canonical links, feeds, sitemaps): https or http")
	brotliQuality := fs.Int("brotli-quality", export.DefaultBrotliQuality, "`quality` of the .br files, 1 (fastest) to 11 (smallest, several times slower than 9); 0 writes no .br files")
	networkHost := fs.String("network-host", "localhost", "host `name` of the network's index, as given to serve")
	themeDir := fs.String("theme", "", "`directory` whose templates/ and static/ files override the built-in theme, as given to serve")
	renderAll := fs.Bool("render-all", false, "render every page, instead of writing the pages serve has already rendered and stored (and keeping those the export renders) as they are")
	if help, err := parse(fs, e, args); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q; give the site with --site HOST and the directory with --out DIR", fs.Arg(0))
	}
	var missing []string
	if strings.TrimSpace(*host) == "" {
		missing = append(missing, "the site's host name with --site HOST")
	}
	if strings.TrimSpace(*out) == "" {
		missing = append(missing, "the directory to write with --out DIR")
	}
	if len(missing) > 0 {
		return usageErr("give %s; run \"chancery export --help\" for the flags", strings.Join(missing, " and "))
	}
	if *scheme != "https" && *scheme != "http" {
		return usageErr("--scheme %q: use https or http", *scheme)
	}
	if *brotliQuality < 0 || *brotliQuality > 11 {
		return usageErr("--brotli-quality %d: use 1 to 11, or 0 for no .br files", *brotliQuality)
	}
	if *brotliQuality == 0 {
		*brotliQuality = -1
	}
	dataDir := ""
	if *data.db == "" {
		dataDir = *data.data
	}
	if err := export.CheckTarget(*out, dataDir); err != nil {
		return fmt.Errorf("%w. Nothing was written", err)
	}
	st, err := data.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := findSite(ctx, st, *host)
	if err != nil {
		return err
	}
	th, err := theme.Load(*themeDir, nil)
	if err != nil {
		return err
	}
	// The page store holds pages as serve renders them for its public
	// address; the export takes them only when that is the export's own.
	fingerprint := ""
	if !*renderAll {
		// Exported pages link "suggest to a friend" as a mailto: link (the
		// form is not static): pages serve rendered with the form are not
		// taken.
		if fingerprint, err = renderFingerprint(th, export.PublicOrigin(*scheme), *networkHost, false); err != nil {
			return err
		}
	}
	res, err := export.Run(ctx, export.Options{Store: st, Theme: th, Site: s, Out: *out, Incremental: *incremental,
		Scheme: *scheme, NetworkHost: *networkHost, BrotliQuality: *brotliQuality, Fingerprint: fingerprint})
	if err != nil {
		return fmt.Errorf("export of %s to %s failed: %w. %s was not changed", s.Hosts[0], *out, err, *out)
	}
	fmt.Fprintf(e.stdout, "Exported %s (%s), %s, to %s in %s: %d addresses, %d files, %s.\n",
		s.Key, s.Hosts[0], strings.Join(s.Languages, ", "), *out, res.Duration.Round(time.Millisecond), res.Pages, res.Files, megabytes(res.Bytes))
	if res.Redirects > 0 {
		// Beside the version's site directory, which --out links to: not
		// filepath.Join, which would drop the ".." instead of following
		// the link.
		fmt.Fprintf(e.stdout, "%d old addresses written to %s for nginx (%s through the link): reload nginx for it to answer them.\n",
			res.Redirects, filepath.Join(filepath.Dir(res.Version), "redirects.conf"), filepath.Clean(*out)+"/../redirects.conf")
	}
	switch {
	case *renderAll:
	case res.Stored+res.Kept == 0:
		fmt.Fprintf(e.stdout, "Every page was rendered: the page store holds pages for another public address, network host, theme, build or mail set-up, or no serve has marked it since the site was added (start serve with --public-scheme %s --public-port %d, the same --network-host and --theme and no --smtp-host, from this binary, for the export to use it).\n",
			*scheme, export.PublicOrigin(*scheme).Port)
	default:
		fmt.Fprintf(e.stdout, "Page store: %d pages written as stored, %d rendered and kept there.\n", res.Stored, res.Kept)
	}
	if res.StoreErrors > 0 {
		fmt.Fprintf(e.stderr, "Warning: the page store failed for %d pages, which were rendered (or not kept) instead; the export is whole. First failure: %v\n", res.StoreErrors, res.StoreError)
	}
	switch {
	case *incremental && res.Previous && res.OtherVariants:
		fmt.Fprintf(e.stdout, "Incremental: all %d pages written, none reused: the previous export's .br files are of another --brotli-quality (or its manifest does not say).\n", res.Written)
	case *incremental && res.Previous:
		fmt.Fprintf(e.stdout, "Incremental: %d pages written, %d reused from the previous export.\n", res.Written, res.Reused)
	case *incremental:
		fmt.Fprintf(e.stdout, "Incremental: there was no previous export at %s, so all %d pages were written.\n", *out, res.Written)
	}
	fmt.Fprintf(e.stdout, "%s now points to %s.\n", *out, res.Version)
	return nil
}

// unknownSite explains a --site that names no site, listing the hosts.
// findSite is the site a command's --site names: by a host name, or by
// its key; otherwise an error listing the sites.
func findSite(ctx context.Context, st network, name string) (content.Site, error) {
	s, err := st.SiteByHost(ctx, name)
	if errors.Is(err, content.ErrNotFound) {
		if s, err = st.SiteByKey(ctx, name); errors.Is(err, content.ErrNotFound) {
			return content.Site{}, unknownSite(ctx, st, name)
		}
	}
	return s, err
}

func unknownSite(ctx context.Context, st network, host string) error {
	sites, err := st.Sites(ctx)
	if err != nil {
		return err
	}
	var hosts []string
	for _, s := range sites {
		hosts = append(hosts, s.Hosts...)
	}
	if len(hosts) == 0 {
		return fmt.Errorf("no site answers on %q: the network has no site yet. Add one with \"chancery site add\". Nothing was written", host)
	}
	return fmt.Errorf("no site answers on %q. The network's hosts are: %s. Nothing was written", host, strings.Join(hosts, ", "))
}
