package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"chancery/internal/store/dbcopy"
)

var dbCommand = command{
	name:    "db",
	summary: "move a whole network between the embedded database and PostgreSQL",
	usage:   "copy --from WHERE --to WHERE",
	long: `Work on a network's database as a whole.

  chancery db copy --from ./chancery-data --to postgres://…
  chancery db copy --from postgres://… --to ./new-data

WHERE is a data directory (the embedded SQLite database in it) or a
PostgreSQL URL. The copy takes everything: sites, sections, articles,
old addresses, import records, stored files, the mail outbox and the
network's secrets, with the same numbers, so addresses and links do not
change. The search index is rebuilt on the destination; the page store
fills again as readers ask. The destination must be empty: a new data
directory (made when missing) or a PostgreSQL database with no network in
it (created beforehand, e.g. with createdb). Stop the servers of the source
first, or run the copy from a backup: writes made during the copy are not
in it.`,
	run: runDB,
}

func runDB(ctx context.Context, c command, e *env, args []string) error {
	return runSubcommands(ctx, c, e, args, []subcommand{
		{"copy", "--from WHERE --to WHERE", "Copy the whole network in WHERE (a data directory or a PostgreSQL URL) into an empty one.", dbCopy},
	})
}

// isURL reports whether a location is a PostgreSQL URL rather than a data
// directory.
func isURL(where string) bool {
	return strings.HasPrefix(where, "postgres://") || strings.HasPrefix(where, "postgresql://")
}

// openWhere opens a network named (by flag) as a data directory or a
// URL; with create, a missing data directory is made. Something that looks
// like a database address but is not a PostgreSQL URL is refused rather
// than taken for a directory's name.
func openWhere(ctx context.Context, flag, where string, create bool) (network, error) {
	if isURL(where) {
		return openPostgres(ctx, where, flag)
	}
	if strings.Contains(where, "://") || strings.Contains(where, "=") {
		return network{}, usageErr("%s %q is neither a data directory nor a PostgreSQL URL: write postgres://USER:PASSWORD@HOST:PORT/DATABASE", flag, redact(where))
	}
	s, err := openData(ctx, where, create)
	if err != nil {
		return network{}, err
	}
	return network{Store: s, Name: s.Path(), Data: where}, nil
}

func dbCopy(ctx context.Context, c command, e *env, args []string) error {
	fs := flagSet(c, e)
	from := fs.String("from", "", "the network to copy: a data `directory` or a PostgreSQL URL (required)")
	to := fs.String("to", "", "where to copy it: a new data `directory` or an empty PostgreSQL database's URL (required)")
	if help, err := parse(fs, e, args); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q; give the network with --from and the destination with --to", fs.Arg(0))
	}
	if *from == "" || *to == "" {
		return usageErr("give both --from and --to: a data directory or a PostgreSQL URL each")
	}
	if same(*from, *to) {
		return usageErr("--from and --to name the same network; copy it to another one")
	}
	src, err := openWhere(ctx, "--from", *from, false)
	if err != nil {
		return fmt.Errorf("the network to copy: %w", err)
	}
	defer src.Close()
	dst, err := openWhere(ctx, "--to", *to, true)
	if err != nil {
		return fmt.Errorf("the destination: %w", err)
	}
	defer dst.Close()
	res, err := dbcopy.Copy(ctx, src.Store, dst.Store)
	var index *dbcopy.IndexError
	if errors.Is(err, dbcopy.ErrNotEmpty) {
		return fmt.Errorf("%s already holds a network; nothing was copied. Copy into a new data directory or an empty database", dst.Name)
	}
	if errors.As(err, &index) {
		return fmt.Errorf("%s: %w", dst.Name, err)
	}
	if err != nil {
		return fmt.Errorf("the copy from %s to %s failed, and nothing was written to %s: %w", src.Name, dst.Name, dst.Name, err)
	}
	fmt.Fprintf(e.stdout, "Copied the network from %s to %s:", src.Name, dst.Name)
	for _, t := range []string{"sites", "sections", "articles", "redirects", "media", "mail_outbox"} {
		fmt.Fprintf(e.stdout, " %d %s,", res.Rows[t], strings.ReplaceAll(t, "_", " "))
	}
	fmt.Fprintf(e.stdout, " and the rest; %d articles indexed for search.\n", res.Indexed.Articles)
	if isURL(*to) {
		fmt.Fprintf(e.stdout, "Serve it with: chancery serve --db %s\n", redact(*to))
	} else {
		fmt.Fprintf(e.stdout, "Serve it with: chancery serve --data %s\n", *to)
	}
	return nil
}

// same reports whether two locations name one network.
func same(a, b string) bool {
	if isURL(a) || isURL(b) {
		return a == b
	}
	x, errA := filepath.Abs(a)
	y, errB := filepath.Abs(b)
	return errA == nil && errB == nil && x == y
}
