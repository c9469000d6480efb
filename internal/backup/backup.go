// Package backup takes consistent copies of the embedded SQLite database
// while a server may be running and writing, checks such copies, and puts
// one back in place of a data directory's database.
//
// A backup is one SQLite file made with VACUUM INTO: a snapshot of one
// read transaction, so it is consistent whatever writers do meanwhile. It
// is written under a temporary name in the destination directory, checked,
// synced and only then renamed, so a crash never leaves a half file under
// the final name. Restore checks the file before it touches the data
// directory and keeps the previous database beside the new one.
package backup

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"chancery/internal/store"
	"chancery/internal/store/sqlite"
)

// ApplicationID is the SQLite application_id of a Chancery database ("CHNC").
const ApplicationID = 0x43484e43

// requiredTables are the tables every Chancery schema has had since its
// first version.
var requiredTables = []string{"sites", "site_languages", "site_hosts", "sections", "section_names", "articles"}

// Errors a check returns, wrapped with the file's name and the details.
var (
	// ErrTruncated means the file is shorter than its header says.
	ErrTruncated = errors.New("the file is truncated")
	// ErrDamaged means SQLite's own check found the file damaged.
	ErrDamaged = errors.New("the database is damaged")
	// ErrEmpty means the file is an empty database, not a backup.
	ErrEmpty = errors.New("the database is empty")
	// ErrInUse means another process has the data directory's database
	// open.
	ErrInUse = errors.New("the database is in use")
)

// Problem is why a file was refused: Kind is one of the errors above,
// store.ErrCorrupt, store.ErrNotChancery or a *store.SchemaError, and
// Detail, when not empty, says more.
type Problem struct {
	Path   string
	Kind   error
	Detail string
}

func (p *Problem) Error() string {
	if p.Detail == "" {
		return p.Path + ": " + p.Kind.Error()
	}
	return p.Path + ": " + p.Kind.Error() + " (" + p.Detail + ")"
}

func (p *Problem) Unwrap() error { return p.Kind }

func problem(path string, kind error, detail string, args ...any) error {
	return &Problem{Path: path, Kind: kind, Detail: fmt.Sprintf(detail, args...)}
}

// Info describes a checked Chancery database file.
type Info struct {
	Path     string
	Size     int64
	Schema   int
	Sites    int
	Articles int
}

// sqliteMagic starts every SQLite database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// dsn is a database/sql name for path with query parameters.
func dsn(path, query string) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + query
}

// readHeader checks the 100-byte header of the file at path and that the
// file is as long as the header says.
func readHeader(path string) (size int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if !fi.Mode().IsRegular() {
		return 0, problem(path, store.ErrCorrupt, "not a regular file")
	}
	header := make([]byte, 100)
	n, err := io.ReadFull(f, header)
	if n < len(sqliteMagic) || !bytes.Equal(header[:len(sqliteMagic)], sqliteMagic) {
		return 0, problem(path, store.ErrCorrupt, "no SQLite header")
	}
	if err != nil {
		return 0, problem(path, ErrTruncated, "the file ends inside its %d-byte header", len(header))
	}
	pageSize := int64(binary.BigEndian.Uint16(header[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	if pageSize < 512 || pageSize&(pageSize-1) != 0 {
		return 0, problem(path, store.ErrCorrupt, "page size %d in the header", pageSize)
	}
	pages := int64(binary.BigEndian.Uint32(header[28:32]))
	changes := binary.BigEndian.Uint32(header[24:28])
	validFor := binary.BigEndian.Uint32(header[92:96])
	if pages > 0 && changes == validFor && fi.Size() < pages*pageSize {
		return 0, problem(path, ErrTruncated, "%d bytes; its header says %d", fi.Size(), pages*pageSize)
	}
	if fi.Size()%pageSize != 0 {
		return 0, problem(path, ErrTruncated, "%d bytes is not a whole number of %d-byte pages", fi.Size(), pageSize)
	}
	return fi.Size(), nil
}

// Check checks that the file at path is a whole, undamaged Chancery
// database that this binary can open: SQLite header and length, PRAGMA
// quick_check, application_id, schema version and tables. It only reads
// the file, as it is on disk: a -wal file beside it is ignored, as a copy
// of the file alone would ignore it. The errors wrap store.ErrCorrupt,
// store.ErrNotChancery, *store.SchemaError, ErrTruncated, ErrDamaged or
// ErrEmpty, and name the file.
func Check(ctx context.Context, path string) (Info, error) {
	size, err := readHeader(path)
	if err != nil {
		return Info{}, err
	}
	db, err := sql.Open("sqlite", dsn(path, "mode=ro&immutable=1"))
	if err != nil {
		return Info{}, fmt.Errorf("%s: %w", path, err)
	}
	defer db.Close()
	info := Info{Path: path, Size: size}
	var appID int
	err = db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID)
	if err == nil {
		err = db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&info.Schema)
	}
	if err != nil {
		return Info{}, problem(path, store.ErrCorrupt, "%v", err)
	}
	if err := quickCheck(ctx, db); err != nil {
		return Info{}, problem(path, ErrDamaged, "%v", err)
	}
	tables := map[string]bool{}
	rows, err := db.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type = 'table'")
	if err != nil {
		return Info{}, problem(path, ErrDamaged, "%v", err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return Info{}, problem(path, ErrDamaged, "%v", err)
		}
		tables[name] = true
	}
	rows.Close()
	switch {
	case appID != ApplicationID && len(tables) == 0:
		return Info{}, problem(path, ErrEmpty, "")
	case appID != ApplicationID:
		return Info{}, problem(path, store.ErrNotChancery, "")
	case info.Schema > sqlite.SchemaVersion():
		return Info{}, problem(path, &store.SchemaError{Have: info.Schema, Know: sqlite.SchemaVersion()}, "")
	}
	var missing []string
	for _, t := range requiredTables {
		if !tables[t] {
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		return Info{}, problem(path, ErrDamaged, "tables missing: %s", strings.Join(missing, ", "))
	}
	err = db.QueryRowContext(ctx, "SELECT count(*) FROM sites").Scan(&info.Sites)
	if err == nil {
		err = db.QueryRowContext(ctx, "SELECT count(*) FROM articles").Scan(&info.Articles)
	}
	if err != nil {
		return Info{}, problem(path, ErrDamaged, "%v", err)
	}
	return info, nil
}

// quickCheck runs PRAGMA quick_check and returns its findings as an error.
func quickCheck(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, "PRAGMA quick_check(5)")
	if err != nil {
		return err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// inspectSource checks, reading only, that the database at path is a
// Chancery one this binary knows, as sqlite.Open would before writing.
func inspectSource(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	header := make([]byte, len(sqliteMagic))
	_, err = io.ReadFull(f, header)
	f.Close()
	if err != nil || !bytes.Equal(header, sqliteMagic) {
		return problem(path, store.ErrCorrupt, "")
	}
	db, err := sql.Open("sqlite", dsn(path, "mode=ro&_pragma=busy_timeout(10000)"))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer db.Close()
	var appID, version int
	err = db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID)
	if err == nil {
		err = db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version)
	}
	switch {
	case err != nil && sqlite.IsAccess(err):
		return fmt.Errorf("%s: %w (%v)", path, fs.ErrPermission, err)
	case err != nil:
		return problem(path, store.ErrCorrupt, "%v", err)
	case appID != ApplicationID:
		return problem(path, store.ErrNotChancery, "")
	case version > sqlite.SchemaVersion():
		return problem(path, &store.SchemaError{Have: version, Know: sqlite.SchemaVersion()}, "")
	}
	return nil
}

// Backup writes a consistent copy of the Chancery database at src to dst
// and returns what the copy holds. src may be in use by a server that
// writes meanwhile. The copy is made under a temporary name in dst's
// directory, checked with Check, synced, and renamed to dst; on any error
// nothing is left at dst. An existing dst is replaced only with force.
func Backup(ctx context.Context, src, dst string, force bool) (Info, error) {
	if _, err := os.Stat(src); err != nil {
		return Info{}, err
	}
	if err := inspectSource(ctx, src); err != nil {
		return Info{}, err
	}
	if fi, err := os.Lstat(dst); err == nil {
		if !force {
			return Info{}, fmt.Errorf("%s: %w", dst, os.ErrExist)
		}
		if !fi.Mode().IsRegular() {
			return Info{}, fmt.Errorf("%s exists and is not a regular file", dst)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return Info{}, err
	}
	dir := filepath.Dir(dst)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(dst)+".tmp-*")
	if err != nil {
		return Info{}, err
	}
	tmpName := tmp.Name()
	tmp.Close()
	done := false
	defer func() {
		if !done {
			os.Remove(tmpName)
		}
	}()
	db, err := sql.Open("sqlite", dsn(src, "_pragma=busy_timeout(10000)"))
	if err != nil {
		return Info{}, fmt.Errorf("%s: %w", src, err)
	}
	db.SetMaxOpenConns(1)
	_, err = db.ExecContext(ctx, "VACUUM INTO ?", tmpName)
	db.Close()
	if err != nil {
		return Info{}, fmt.Errorf("copy %s: %w", src, err)
	}
	if err := syncFile(tmpName); err != nil {
		return Info{}, err
	}
	info, err := Check(ctx, tmpName)
	if err != nil {
		return Info{}, fmt.Errorf("the copy failed its check: %w", err)
	}
	if err := place(tmpName, dst, force); err != nil {
		return Info{}, err
	}
	done = true
	syncDir(dir)
	info.Path = dst
	return info, nil
}

// place renames tmp to dst. Without force it never replaces a file that
// appeared at dst meanwhile: it links tmp to dst, which fails when dst
// exists, and falls back to a rename only where links are not allowed.
func place(tmp, dst string, force bool) error {
	if !force {
		err := os.Link(tmp, dst)
		if err == nil {
			os.Remove(tmp) // dst is whole; a leftover name is harmless
			return nil
		}
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s: %w", dst, os.ErrExist)
		}
	}
	return os.Rename(tmp, dst)
}

// syncFile flushes the file at path to stable storage.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir flushes a directory's entries (a rename) where the system allows.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Restored says what Restore did.
type Restored struct {
	Info
	// Previous is where the database that was replaced is kept, "" when
	// there was none.
	Previous string
}

// Restore replaces the database file db with a copy of the backup at
// from. It first checks the backup with Check, then that no other process
// has db open (ErrInUse), and changes nothing when either fails. The
// previous database is kept beside it as db.before-restore-<UTC time>,
// checkpointed so that it is whole without its -wal file. The new file is
// written under a temporary name and renamed into place.
func Restore(ctx context.Context, from, db string, now time.Time) (Restored, error) {
	info, err := Check(ctx, from)
	if err != nil {
		return Restored{}, err
	}
	dir := filepath.Dir(db)
	_, statErr := os.Stat(db)
	exists := statErr == nil
	if statErr != nil && !errors.Is(statErr, os.ErrNotExist) {
		return Restored{}, statErr
	}
	mode := os.FileMode(0o644)
	if exists {
		if fi, err := os.Stat(db); err == nil {
			mode = fi.Mode().Perm()
		}
		if err := quiesce(ctx, db); err != nil {
			return Restored{}, err
		}
	} else if err := os.MkdirAll(dir, 0o750); err != nil {
		return Restored{}, err
	}

	tmpName, err := copyTemp(from, dir, "."+filepath.Base(db)+".restore-*", mode)
	if err != nil {
		return Restored{}, err
	}
	done := false
	defer func() {
		if !done {
			os.Remove(tmpName)
		}
	}()
	copied, err := Check(ctx, tmpName)
	if err != nil || copied.Sites != info.Sites || copied.Articles != info.Articles || copied.Schema != info.Schema {
		return Restored{}, fmt.Errorf("the copy of %s in %s does not match it (%v); nothing was replaced", from, dir, err)
	}

	res := Restored{Info: info}
	if exists {
		prev := db + ".before-restore-" + now.UTC().Format("20060102T150405Z")
		for i := 2; ; i++ {
			if _, err := os.Lstat(prev); errors.Is(err, os.ErrNotExist) {
				break
			}
			prev = fmt.Sprintf("%s.before-restore-%s-%d", db, now.UTC().Format("20060102T150405Z"), i)
		}
		// A hard link keeps the previous database while the rename below
		// replaces db in one step; where links are not allowed, move it.
		moved := false
		if err := os.Link(db, prev); err != nil {
			if err := os.Rename(db, prev); err != nil {
				return Restored{}, fmt.Errorf("keep the previous database as %s: %w", prev, err)
			}
			moved = true
		}
		if err := os.Rename(tmpName, db); err != nil {
			if moved {
				os.Rename(prev, db)
			} else {
				os.Remove(prev)
			}
			return Restored{}, err
		}
		res.Previous = prev
	} else if err := os.Rename(tmpName, db); err != nil {
		return Restored{}, err
	}
	done = true
	syncDir(dir)
	res.Path = db
	return res, nil
}

// quiesce checks that no other process has the database at path open,
// and checkpoints its WAL into the file so that the file alone is whole.
// It writes nothing else.
func quiesce(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", dsn(path, "_pragma=busy_timeout(500)"))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	inUse := func(why error) error {
		conn.Close()
		db.Close()
		return problem(path, ErrInUse, "%v", why)
	}
	// A file SQLite cannot read is no server's database: it is only moved
	// aside. A lock held by another connection means a server.
	_, err = conn.ExecContext(ctx, "BEGIN EXCLUSIVE")
	if err == nil {
		_, err = conn.ExecContext(ctx, "ROLLBACK")
	}
	if err == nil {
		var busy, logFrames, checkpointed int
		err = conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &checkpointed)
		if err == nil && busy != 0 {
			return inUse(errors.New("the checkpoint was blocked by a reader"))
		}
	}
	if err != nil && isBusy(err) {
		return inUse(err)
	}
	conn.Close()
	if err := db.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	// The last connection to close removes the -wal and -shm files; when
	// they remain, another process still has the database open.
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(path + suffix); err == nil {
			return problem(path, ErrInUse, "%s%s is still there after closing", filepath.Base(path), suffix)
		}
	}
	return nil
}

// isBusy reports whether err is SQLite's "database is locked".
func isBusy(err error) bool {
	s := err.Error()
	return strings.Contains(s, "SQLITE_BUSY") || strings.Contains(s, "database is locked") || strings.Contains(s, "SQLITE_LOCKED")
}

// copyTemp copies src into a new file in dir named after pattern, synced,
// and returns its name.
func copyTemp(src, dir, pattern string, mode os.FileMode) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Chmod(mode)
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		return "", err
	}
	return out.Name(), nil
}
