package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"chancery/internal/backup"
	"chancery/internal/store"
	"chancery/internal/store/sqlite"
)

var backupCommand = command{
	name:    "backup",
	summary: "write a consistent copy of the network's database to a file",
	usage:   "--out FILE [flags]",
	long: `Write a consistent copy of the data directory's database to FILE, while
a server may keep running and publishing: the copy is the database as it
was at one moment (SQLite's VACUUM INTO). It is written under a temporary
name beside FILE, checked, synced, and only then renamed to FILE, so a
crash never leaves half a backup under that name. FILE must be outside the
data directory, and is not replaced unless --force is given.

With --db (PostgreSQL), use PostgreSQL's own tools instead:
  pg_dump --format=custom --file=FILE "$CHANCERY_DATABASE_URL"`,
	run: runBackup,
}

var restoreCommand = command{
	name:    "restore",
	summary: "replace the network's database with a backup, keeping the previous one",
	usage:   "--from FILE [flags]",
	long: `Replace the data directory's database with the backup in FILE. The
backup is checked first (an SQLite file, whole and undamaged, made by
Chancery, with a schema this binary knows), then that no server is using
the data directory; if either fails nothing is changed. The previous
database is kept beside the new one as chancery.db.before-restore-<UTC
time>. Stop the server before restoring, start it again after.

With --db (PostgreSQL), use PostgreSQL's own tools instead:
  pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$CHANCERY_DATABASE_URL" FILE`,
	run: runRestore,
}

func runBackup(ctx context.Context, c command, e *env, args []string) error {
	fs := flagSet(c, e)
	data := dataFlag(fs)
	out := fs.String("out", "", "the backup `file` to write (required; outside the data directory)")
	force := fs.Bool("force", false, "replace --out if it exists")
	if help, err := parse(fs, e, args); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q; give the backup file with --out", fs.Arg(0))
	}
	if *data.db != "" {
		return fmt.Errorf("chancery backup copies the embedded database of --data; for %s use PostgreSQL's pg_dump: pg_dump --format=custom --file=FILE \"$%s\" (and pg_restore to put it back)", describeURL(*data.db), databaseEnv)
	}
	if *out == "" {
		return usageErr("give the file to write with --out FILE; run \"chancery backup --help\" for the flags")
	}
	dir := *data.data
	src := filepath.Join(dir, dbFile)
	if _, err := os.Stat(src); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("there is no Chancery network in %s (no %s) to back up. Point --data at an existing data directory", dir, dbFile)
	}
	outDir := filepath.Dir(*out)
	if fi, err := os.Stat(outDir); err != nil || !fi.IsDir() {
		return fmt.Errorf("the directory of --out, %s, does not exist: create it first. Nothing was written", outDir)
	}
	if inside(outDir, dir) {
		return fmt.Errorf("--out %s is inside the data directory %s: write backups elsewhere, so that they survive the loss of the directory. Nothing was written", *out, dir)
	}
	if fi, err := os.Lstat(*out); err == nil {
		if !*force {
			return fmt.Errorf("%s already exists: choose another --out, or add --force to replace it. Nothing was written", *out)
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s exists and is not a regular file; it was not replaced. Choose another --out", *out)
		}
		if wal := liveFiles(*out); wal != "" {
			return fmt.Errorf("%s is a database in use (%s is beside it: a server or another program has it open, or did not close it cleanly); replacing it would destroy that database. It was not replaced. Choose another --out", *out, wal)
		}
	}
	start := time.Now()
	info, err := backup.Backup(ctx, src, *out, *force)
	var pathErr *os.PathError
	switch {
	case err == nil:
	case errors.Is(err, os.ErrExist):
		return fmt.Errorf("%s already exists: choose another --out, or add --force to replace it. Nothing was written", *out)
	case errors.Is(err, os.ErrPermission) && errors.As(err, &pathErr) && filepath.Dir(pathErr.Path) == outDir:
		return fmt.Errorf("cannot write in %s: %v. Nothing was written; choose a directory you may write to", outDir, err)
	case errors.Is(err, store.ErrCorrupt), errors.Is(err, store.ErrNotChancery), errors.Is(err, store.ErrTooNew), errors.Is(err, os.ErrPermission):
		return fmt.Errorf("%v. Nothing was written", explainOpen(src, err))
	default:
		return fmt.Errorf("backup of %s failed: %v. Nothing was written to %s", src, err, *out)
	}
	fmt.Fprintf(e.stdout, "Backed up %s to %s in %.1f s: %s (%d bytes), %d site(s), %d article(s), schema %d.\n",
		src, info.Path, time.Since(start).Seconds(), megabytes(info.Size), info.Size, info.Sites, info.Articles, info.Schema)
	fmt.Fprintf(e.stdout, "Restore it with: chancery restore --data %s --from %s\n", dir, info.Path)
	return nil
}

// inside reports whether dir is root or a directory under it, after
// following symbolic links.
func inside(dir, root string) bool {
	resolve := func(p string) string {
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		return p
	}
	rel, err := filepath.Rel(resolve(root), resolve(dir))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func runRestore(ctx context.Context, c command, e *env, args []string) error {
	fs := flagSet(c, e)
	data := dataFlag(fs)
	from := fs.String("from", "", "the backup `file` to restore (required), as written by chancery backup")
	if help, err := parse(fs, e, args); help || err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q; give the backup file with --from", fs.Arg(0))
	}
	if *data.db != "" {
		return fmt.Errorf("chancery restore replaces the embedded database of --data; for %s use PostgreSQL's pg_restore on a pg_dump file: pg_restore --clean --if-exists --no-owner --single-transaction --dbname=\"$%s\" FILE", describeURL(*data.db), databaseEnv)
	}
	if *from == "" {
		return usageErr("give the backup to restore with --from FILE; run \"chancery restore --help\" for the flags")
	}
	dir := *data.data
	if fi, err := os.Stat(*from); err != nil || fi.IsDir() {
		return fmt.Errorf("there is no backup file %s. Nothing in %s was changed", *from, dir)
	}
	if wal := liveFiles(*from); wal != "" {
		return fmt.Errorf("%s is a database in use, not a backup (%s is beside it, holding changes the file alone lacks). Take a backup of it with \"chancery backup --data %s --out FILE\" and restore that. Nothing in %s was changed", *from, wal, filepath.Dir(*from), dir)
	}
	path := filepath.Join(dir, dbFile)
	res, err := backup.Restore(ctx, *from, path, time.Now())
	if err != nil {
		return explainRestore(*from, dir, err)
	}
	fmt.Fprintf(e.stdout, "Restored %s into %s: %d site(s), %d article(s), schema %d.\n", *from, path, res.Sites, res.Articles, res.Schema)
	if res.Schema < sqlite.SchemaVersion() {
		fmt.Fprintf(e.stdout, "Its schema will be brought up to version %d when Chancery next opens it.\n", sqlite.SchemaVersion())
	}
	if res.Previous != "" {
		fmt.Fprintf(e.stdout, "The previous database is kept as %s; delete it when you no longer need it.\n", res.Previous)
	} else {
		fmt.Fprintf(e.stdout, "There was no previous database in %s.\n", dir)
	}
	return nil
}

// explainRestore turns a refused restore into a sentence naming the file
// and what is wrong with it.
func explainRestore(from, dir string, err error) error {
	unchanged := fmt.Sprintf("Nothing in %s was changed", dir)
	detail := ""
	var p *backup.Problem
	if errors.As(err, &p) && p.Detail != "" {
		detail = " (" + p.Detail + ")"
	}
	var schema *store.SchemaError
	switch {
	case errors.Is(err, backup.ErrInUse):
		return fmt.Errorf("a chancery server seems to be using %s: stop it first, then run restore again%s. %s", dir, detail, unchanged)
	case errors.Is(err, backup.ErrTruncated):
		return fmt.Errorf("%s is not a whole backup: it is truncated%s. %s", from, detail, unchanged)
	case errors.Is(err, store.ErrCorrupt):
		return fmt.Errorf("%s is not a Chancery backup: it is not an SQLite database%s. %s", from, detail, unchanged)
	case errors.Is(err, backup.ErrDamaged):
		return fmt.Errorf("%s is damaged: SQLite's check of it failed%s. %s", from, detail, unchanged)
	case errors.Is(err, store.ErrNotChancery):
		return fmt.Errorf("%s is a database made by another program, not a Chancery backup. %s", from, unchanged)
	case errors.Is(err, backup.ErrEmpty):
		return fmt.Errorf("%s is an empty SQLite database, not a Chancery backup. %s", from, unchanged)
	case errors.As(err, &schema):
		return fmt.Errorf("%s was written by a newer Chancery (schema version %d; this binary knows up to %d): restore it with a chancery binary at least as new. %s", from, schema.Have, schema.Know, unchanged)
	}
	return fmt.Errorf("restore of %s into %s failed: %w", from, dir, err)
}

// liveFiles names the -wal or -shm file beside an SQLite database file,
// which says the database is open or was not closed cleanly: its latest
// changes may live there, and a copy of the main file alone misses them.
// "" when there is none.
func liveFiles(db string) string {
	for _, suffix := range []string{"-wal", "-shm"} {
		if fi, err := os.Stat(db + suffix); err == nil && fi.Mode().IsRegular() {
			return db + suffix
		}
	}
	return ""
}
