package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"chancery/internal/migrate"
	"chancery/internal/migrate/mdtree"
	"chancery/internal/migrate/oldsite"
	"chancery/internal/migrate/textcopy"
	"chancery/internal/migrate/wxr"
	"chancery/internal/pages"
	"chancery/internal/publish"
)

var importCommand = command{
	name:    "import",
	summary: "bring an existing site's articles in, keeping every old address answering",
	usage:   "--site HOST [--format FORMAT] [--report FILE] SOURCE...",
	long: `Import the articles of an existing site into the site answering on HOST.
Each SOURCE is a directory, a .zip or .tar.gz archive, or a single file, in
one of these formats, recognised from what the files are:

  oldsite   a saved copy of an old mission site (HTML pages as a mirroring
            tool leaves them, /eng/ and /chn/ channels, GBK or UTF-8)
  text      the text of a page as a reader copied it (a .txt file)
  wxr       a WordPress export file (.xml)
  markdown  a tree of Markdown files with front matter (Hugo or Jekyll)

Every article keeps its old addresses: when the site keeps its old
platform's address scheme (chancery site edit --addresses), an article is
served at its old address itself; otherwise the old address answers with a
permanent redirect to the new one, whatever its case, a trailing index.htm
or a query string. Images and documents the source holds are stored and
linked. Running the same import again updates what changed in the source
and duplicates nothing; an article edited in Chancery since is left alone.

Each item is written whole or not at all. At the end the import prints a
report (imported, updated, unchanged, skipped and failed, with reasons) and
writes it as JSON; it exits with status 1 when any item failed.`,
	run: runImport,
}

// importFormats are the readers, in the order they claim a file.
var importFormats = []migrate.Format{
	{Name: "wxr", Detect: wxr.Detect, Parse: wxr.Parse},
	{Name: "markdown", Detect: mdtree.Detect, Parse: mdtree.Parse},
	{Name: "text", Detect: textcopy.Detect, Parse: textcopy.Parse},
	{Name: "oldsite", Detect: oldsite.Detect, Parse: oldsite.Parse},
}

func runImport(ctx context.Context, c command, e *env, args []string) error {
	fs := flagSet(c, e)
	data := dataFlag(fs)
	host := fs.String("site", "", "host `name` (or key) of the site to import into, such as embassy.example.org (required)")
	format := fs.String("format", "", "read every file as this `format` instead of recognising it: oldsite, text, wxr or markdown")
	report := fs.String("report", "", "`file` to write the JSON report to (default import-KEY-TIME.json in the current directory)")
	maxFile := fs.String("max-file", "64MB", "largest `size` of one file (a page, an image, a document, an archive entry), such as 64MB")
	if help, err := parse(fs, e, args); help || err != nil {
		return err
	}
	if strings.TrimSpace(*host) == "" {
		return usageErr("give the site to import into with --site HOST; \"chancery site list\" shows the sites")
	}
	if fs.NArg() == 0 {
		return usageErr("give at least one SOURCE to import: a directory, a .zip or .tar.gz archive, or a file")
	}
	limit, err := parseSize(*maxFile)
	if err != nil {
		return usageErr("--max-file %q: %v", *maxFile, err)
	}
	for _, src := range fs.Args() {
		if _, err := os.Stat(src); err != nil {
			return fmt.Errorf("cannot read source %s: %w. Nothing was imported", src, errors.Unwrap(err))
		}
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
	lim := migrate.DefaultLimits
	lim.MaxFile = limit
	bar := newProgress(e.stderr, "imported", "files")
	rep, err := migrate.Run(ctx, st, fs.Args(), migrate.Options{Site: s, Formats: importFormats, Format: *format, Limits: lim, Progress: bar.update})
	bar.done()
	if rep == nil {
		return fmt.Errorf("%w. Nothing was imported", err)
	}
	// Whatever was written (also before an interruption) shows on the
	// site's pages: servers render them again when next asked.
	// That holds after an interrupt too, so this does not end with ctx.
	everything := pages.Set{}
	everything.Add(pages.Page{Kind: pages.All})
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	_, perr := (&publish.Publisher{Store: st, Lazy: true}).SiteChanged(dctx, s.ID, everything)
	cancel()
	if perr != nil {
		fmt.Fprintf(e.stderr, "Warning: the site's stored pages could not be dropped (%v), so servers may show pages without the import; run the same import again (it changes nothing else) to drop them.\n", perr)
	}
	rep.WriteText(e.stdout)
	path := *report
	if path == "" {
		path = fmt.Sprintf("import-%s-%s.json", s.Key, time.Now().UTC().Format("20060102-150405"))
	}
	if werr := writeReport(path, rep); werr != nil {
		fmt.Fprintf(e.stderr, "Warning: the report could not be written to %s: %v\n", path, werr)
	} else {
		fmt.Fprintf(e.stdout, "Report written to %s.\n", path)
	}
	if err != nil {
		return fmt.Errorf("the import stopped: %w; what was imported before is kept, and running it again goes on", err)
	}
	if n := rep.Counts[migrate.Failed]; n > 0 {
		return fmt.Errorf("%d items failed; the report says why, and the rest was imported", n)
	}
	return nil
}

func writeReport(path string, rep *migrate.Report) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := rep.WriteJSON(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// parseSize reads a size such as 64MB, 512KB, 2GB or a number of bytes.
func parseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<40)/mult {
		return 0, errors.New("use a positive size such as 64MB, 512KB or 2GB")
	}
	return n * mult, nil
}
