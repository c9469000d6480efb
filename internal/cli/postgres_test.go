package cli

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"chancery/internal/testdb"
)

// testDatabase makes an empty PostgreSQL database for one test and
// returns its URL, or skips when CHANCERY_TEST_POSTGRES is not set.
func testDatabase(t *testing.T) string {
	t.Helper()
	return testdb.PostgresURL(t)
}

// TestCommandsOnPostgres runs init, site and reindex against a PostgreSQL
// database given with --db, and serve from the environment variable.
func TestCommandsOnPostgres(t *testing.T) {
	dbURL := testDatabase(t)
	out, _, err := run(t, "init", "--db", dbURL)
	if err != nil || !strings.Contains(out, "loaded the demo network") || !strings.Contains(out, "PostgreSQL database") {
		t.Fatalf("init --db: %q, %v", out, err)
	}
	out, _, err = run(t, "site", "list", "--db", dbURL)
	if err != nil || !strings.Contains(out, "un.localhost") || !strings.Contains(out, "embassy.localhost") {
		t.Fatalf("site list --db: %q, %v", out, err)
	}
	if _, _, err := run(t, "site", "add", "--db", dbURL, "--key", "dup", "--host", "un.localhost", "--name", "en=Dup"); err == nil || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("duplicate host on PostgreSQL: %v", err)
	}
	out, _, err = run(t, "reindex", "--db", dbURL)
	if err != nil || !strings.Contains(out, "Indexed 144 articles") {
		t.Fatalf("reindex --db: %q, %v", out, err)
	}
	if strings.Contains(out+dbURL, "password") {
		t.Fatal("a password leaked into the output")
	}

	t.Setenv(databaseEnv, dbURL)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	so := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- Run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, so, &syncBuffer{}) }()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(so.String(), "Press Ctrl+C") {
		if time.Now().After(deadline) {
			t.Fatalf("serve on $%s printed no addresses: %q", databaseEnv, so.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if strings.Contains(so.String(), "loaded the demo network") {
		t.Fatal("serve loaded the demo again into a database that had it")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestBadDatabaseURL checks the messages for a URL that is malformed,
// names no server, or a database that does not exist.
func TestBadDatabaseURL(t *testing.T) {
	cases := map[string]struct{ url, want string }{
		"not a URL":      {"postgres://user@host:notaport/db", "not a PostgreSQL URL"},
		"nobody listens": {"postgres://postgres:secret@127.0.0.1:1/chancery?connect_timeout=2", "cannot reach"},
	}
	if admin := os.Getenv("CHANCERY_TEST_POSTGRES"); admin != "" {
		u, _ := url.Parse(admin)
		u.Path = "/chancery_no_such_database"
		cases["missing database"] = struct{ url, want string }{u.String(), "Create it first"}
	}
	for name, c := range cases {
		_, _, err := run(t, "site", "list", "--db", c.url)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want a message with %q", name, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: the password is in the message: %v", name, err)
		}
	}
}
