package sqlite

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
)

// TestIsAccess: SQLite's refusals for want of permission are told from
// damage, so that a data directory this user may not write is not
// reported as a damaged database (as root, the refusal itself cannot be
// made, so a read-only connection stands in for it).
func TestIsAccess(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ro.db")
	rw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rw.Exec("CREATE TABLE t (x)"); err != nil {
		t.Fatal(err)
	}
	rw.Close()
	ro, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	_, err = ro.Exec("INSERT INTO t VALUES (1)")
	if err == nil || !IsAccess(err) {
		t.Errorf("write on a read-only connection: %v; want an access refusal", err)
	}
	junk := filepath.Join(dir, "junk.db")
	if err := os.WriteFile(junk, bytes.Repeat([]byte("not a database "), 400), 0o644); err != nil {
		t.Fatal(err)
	}
	bad, err := sql.Open("sqlite", "file:"+junk)
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	_, err = bad.Exec("SELECT count(*) FROM sqlite_master")
	if err == nil || IsAccess(err) {
		t.Errorf("reading a file that is not a database: %v; want an error that is not an access refusal", err)
	}
}
