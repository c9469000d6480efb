package cli

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chancery/internal/backup"
	"chancery/internal/store/sqlite"
)

// snapshot reads every file in dir, to compare before and after.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = b
	}
	return files
}

func sameFiles(t *testing.T, what string, before, after map[string][]byte) {
	t.Helper()
	if len(before) != len(after) {
		t.Errorf("%s: the data directory held %d files, now %d", what, len(before), len(after))
	}
	for name, b := range before {
		if !bytes.Equal(b, after[name]) {
			t.Errorf("%s: %s was changed", what, name)
		}
	}
}

func TestBackupRestoreHelp(t *testing.T) {
	for cmd, wants := range map[string][]string{
		"backup":  {"Usage: chancery backup", "--data", "--out", "--force", "pg_dump"},
		"restore": {"Usage: chancery restore", "--data", "--from", "pg_restore", "before-restore"},
	} {
		out, _, err := run(t, cmd, "--help")
		if err != nil {
			t.Fatalf("%s --help: %v", cmd, err)
		}
		for _, want := range wants {
			if !strings.Contains(out, want) {
				t.Errorf("%s --help does not mention %q: %s", cmd, want, out)
			}
		}
	}
	if out, _, _ := run(t, "help"); !strings.Contains(out, "backup") || !strings.Contains(out, "restore") {
		t.Errorf("help does not list backup and restore: %s", out)
	}
}

func TestBackupAndRestore(t *testing.T) {
	data := filepath.Join(t.TempDir(), "net")
	if _, _, err := run(t, "init", "--data", data); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "net.backup")
	out, _, err := run(t, "backup", "--data", data, "--out", file)
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	for _, want := range []string{file, "bytes", "2 site(s)", "article(s)", "chancery restore"} {
		if !strings.Contains(out, want) {
			t.Errorf("backup printed %q; missing %q", out, want)
		}
	}
	if _, err := backup.Check(context.Background(), file); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "site", "add", "--data", data, "--key", "paris", "--host", "paris.example.org",
		"--languages", "en", "--name", "en=Embassy in Paris", "--time-zone", "Europe/Paris"); err != nil {
		t.Fatalf("site add: %v", err)
	}
	out, _, err = run(t, "restore", "--data", data, "--from", file)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	if !strings.Contains(out, "Restored "+file) || !strings.Contains(out, "before-restore-") || !strings.Contains(out, "2 site(s)") {
		t.Errorf("restore printed %q", out)
	}
	list, _, err := run(t, "site", "list", "--data", data)
	if err != nil || strings.Contains(list, "paris") || !strings.Contains(list, "un.localhost") {
		t.Fatalf("site list after restore: %q, %v; want the demo sites without paris", list, err)
	}
	prev, _ := filepath.Glob(filepath.Join(data, dbFile+".before-restore-*"))
	if len(prev) != 1 {
		t.Fatalf("previous databases kept: %v; want one", prev)
	}
	info, err := backup.Check(context.Background(), prev[0])
	if err != nil || info.Sites != 3 {
		t.Fatalf("previous database: %+v, %v; want the 3 sites it had", info, err)
	}
}

func TestRestoreRefuses(t *testing.T) {
	data := filepath.Join(t.TempDir(), "net")
	if _, _, err := run(t, "init", "--data", data); err != nil {
		t.Fatal(err)
	}
	files := t.TempDir()
	good := filepath.Join(files, "good.backup")
	if _, _, err := run(t, "backup", "--data", data, "--out", good); err != nil {
		t.Fatal(err)
	}
	whole, _ := os.ReadFile(good)
	write := func(name string, b []byte) string {
		p := filepath.Join(files, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	newer := write("newer.backup", whole)
	db, err := sql.Open("sqlite", "file:"+newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", sqlite.SchemaVersion()+1)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	foreign := filepath.Join(files, "notes.db")
	db, _ = sql.Open("sqlite", "file:"+foreign)
	if _, err := db.Exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('hello')"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	before := snapshot(t, data)
	for _, c := range []struct{ name, path, want string }{
		{"truncated", write("half.backup", whole[:len(whole)/2]), "truncated"},
		{"text", write("notes.txt", []byte("Dear colleagues,\nthe reception is at 7.\n")), "not an SQLite database"},
		{"another program", foreign, "another program"},
		{"newer schema", newer, "newer Chancery"},
		{"missing", filepath.Join(files, "nothing-here"), "no backup file"},
	} {
		_, _, err := run(t, "restore", "--data", data, "--from", c.path)
		if err == nil || !strings.Contains(err.Error(), c.path) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "Nothing in "+data+" was changed") {
			t.Errorf("%s: %v; want a message naming %s and saying %q", c.name, err, c.path, c.want)
		}
		sameFiles(t, c.name, before, snapshot(t, data))
	}
}

func TestRestoreRefusesWhileServing(t *testing.T) {
	data := filepath.Join(t.TempDir(), "net")
	if _, _, err := run(t, "init", "--data", data); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "net.backup")
	if _, _, err := run(t, "backup", "--data", data, "--out", file); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, data)
	// A server in the middle of a write holds the write lock.
	db, err := sql.Open("sqlite", "file:"+filepath.Join(data, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	_, _, err = run(t, "restore", "--data", data, "--from", file)
	if err == nil || !strings.Contains(err.Error(), "a chancery server seems to be using "+data+": stop it first") {
		t.Fatalf("restore during a write: %v; want a refusal", err)
	}
	conn.ExecContext(context.Background(), "ROLLBACK")
	conn.Close()
	db.Close()
	sameFiles(t, "during a write", before, snapshot(t, data))

	// An idle server keeps the database open.
	st, err := sqlite.Open(context.Background(), filepath.Join(data, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Sites(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, _, err = run(t, "restore", "--data", data, "--from", file)
	st.Close()
	if err == nil || !strings.Contains(err.Error(), "stop it first") {
		t.Fatalf("restore with an idle server: %v; want a refusal", err)
	}
	if prev, _ := filepath.Glob(filepath.Join(data, "*before-restore*")); len(prev) != 0 {
		t.Fatalf("refused restore left %v", prev)
	}
	if _, _, err := run(t, "restore", "--data", data, "--from", file); err != nil {
		t.Fatalf("restore once the server stopped: %v", err)
	}
}

func TestBackupRefuses(t *testing.T) {
	data := filepath.Join(t.TempDir(), "net")
	if _, _, err := run(t, "init", "--data", data); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	existing := filepath.Join(dir, "old.backup")
	if err := os.WriteFile(existing, []byte("an older backup"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, data)
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"existing", []string{"--out", existing}, "already exists"},
		{"inside the data directory", []string{"--out", filepath.Join(data, "copy.db")}, "inside the data directory"},
		{"inside, by another path", []string{"--out", filepath.Join(data, "..", filepath.Base(data), "copy.db")}, "inside the data directory"},
		{"missing directory", []string{"--out", filepath.Join(dir, "no", "such", "x.backup")}, "does not exist"},
		{"no --out", nil, "--out"},
		{"postgres", []string{"--out", filepath.Join(dir, "pg.backup"), "--db", "postgres://u@db.example.org/chancery"}, "pg_dump"},
	} {
		_, _, err := run(t, append([]string{"backup", "--data", data}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want %q", c.name, err, c.want)
		}
		sameFiles(t, c.name, before, snapshot(t, data))
	}
	if b, _ := os.ReadFile(existing); string(b) != "an older backup" {
		t.Fatal("the existing backup was changed")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("refused backups left files: %v", entries)
	}
	if out, _, err := run(t, "backup", "--data", data, "--out", existing, "--force"); err != nil || !strings.Contains(out, existing) {
		t.Fatalf("--force: %q, %v", out, err)
	}
	if _, err := backup.Check(context.Background(), existing); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "backup", "--data", filepath.Join(dir, "none"), "--out", filepath.Join(dir, "x")); err == nil || !strings.Contains(err.Error(), "no Chancery network") {
		t.Fatalf("missing data directory: %v", err)
	}
	if _, _, err := run(t, "restore", "--data", data, "--from", existing, "--db", "postgres://u@db.example.org/chancery"); err == nil || !strings.Contains(err.Error(), "pg_restore") {
		t.Fatalf("restore --db: %v", err)
	}
	// A directory the backup may not write in.
	locked := filepath.Join(dir, "locked")
	os.Mkdir(locked, 0o500)
	if f, err := os.CreateTemp(locked, "probe"); err == nil {
		f.Close()
		os.Remove(f.Name())
		t.Log("running with rights that ignore directory permissions; skipping the read-only case")
	} else if _, _, err := run(t, "backup", "--data", data, "--out", filepath.Join(locked, "x.backup")); err == nil || !strings.Contains(err.Error(), "cannot write in") {
		t.Errorf("read-only directory: %v", err)
	}
}

// TestBackupAndRestoreRefuseLiveDatabases: --force does not replace a
// database another server has open (its -wal beside it: replacing the file
// under it destroyed that database), and restore does not take a live
// database file as a backup (its latest changes are in the -wal).
func TestBackupAndRestoreRefuseLiveDatabases(t *testing.T) {
	ctx := context.Background()
	data, other := filepath.Join(t.TempDir(), "net"), filepath.Join(t.TempDir(), "other")
	for _, d := range []string{data, other} {
		if _, _, err := run(t, "init", "--data", d); err != nil {
			t.Fatal(err)
		}
	}
	live := filepath.Join(other, dbFile)
	st, err := sqlite.Open(ctx, live) // a server running on the other network
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Sites(ctx); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, other)
	_, _, err = run(t, "backup", "--data", data, "--out", live, "--force")
	if err == nil || !strings.Contains(err.Error(), "is a database in use") {
		t.Fatalf("backup --force onto a live database: %v; want a refusal", err)
	}
	sameFiles(t, "backup onto a live database", before, snapshot(t, other))
	target := snapshot(t, data)
	_, _, err = run(t, "restore", "--data", data, "--from", live)
	if err == nil || !strings.Contains(err.Error(), "is a database in use, not a backup") {
		t.Fatalf("restore from a live database: %v; want a refusal", err)
	}
	sameFiles(t, "restore from a live database", target, snapshot(t, data))
}
