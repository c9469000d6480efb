package cli

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"chancery/internal/testdb"
)

// TestDBCopy moves the demo network from a data directory to PostgreSQL
// and on to a new data directory, serving it at each step, and refuses
// what would lose or mix networks.
func TestDBCopy(t *testing.T) {
	dir := t.TempDir()
	first, back := filepath.Join(dir, "first"), filepath.Join(dir, "back")
	if _, _, err := run(t, "init", "--data", first); err != nil {
		t.Fatal(err)
	}
	pg := testdb.PostgresURL(t)
	out, _, err := run(t, "db", "copy", "--from", first, "--to", pg)
	if err != nil || !strings.Contains(out, "Copied the network") || !strings.Contains(out, "chancery serve --db") {
		t.Fatalf("copy to PostgreSQL: %q, %v", out, err)
	}
	if out, _, err = run(t, "db", "copy", "--from", pg, "--to", back); err != nil || !strings.Contains(out, "indexed for search") {
		t.Fatalf("copy back: %q, %v", out, err)
	}
	for _, args := range [][]string{{"--db", pg}, {"--data", back}} {
		addr := startServe(t, args...)
		resp, page := do(t, addr, http.MethodGet, "un.localhost", "/en/", nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Permanent Mission") {
			t.Errorf("served from %v: %d", args, resp.StatusCode)
		}
		resp, page = do(t, addr, http.MethodGet, "un.localhost", "/en/search/?q=climate", nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, "<mark>") {
			t.Errorf("search served from %v: %d", args, resp.StatusCode)
		}
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--from", first, "--to", back}, "already holds a network; nothing was copied"},
		{[]string{"--from", first, "--to", first + "/."}, "name the same network"},
		{[]string{"--from", filepath.Join(dir, "nothing"), "--to", filepath.Join(dir, "new")}, "there is no Chancery network"},
		{[]string{"--from", first, "--to", "postgres://%zz"}, "not a PostgreSQL URL"},
		{[]string{"--from", first}, "give both --from and --to"},
		{[]string{"--from", first, "--to", "postgress://localhost/chancery"}, "neither a data directory nor a PostgreSQL URL"},
		{[]string{"--from", first, "--to", "host=localhost dbname=chancery"}, "neither a data directory nor a PostgreSQL URL"},
	} {
		if _, _, err := run(t, append([]string{"db", "copy"}, tt.args...)...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("db copy %v: %v; want an error saying %q", tt.args, err, tt.want)
		}
	}
}
