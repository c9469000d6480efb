package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"chancery/internal/store"
	"chancery/internal/store/postgres"
	"chancery/internal/store/storetest"
)

// testURLEnv names the server the tests use: a URL of a database on it
// that the tests connect to in order to create and drop their own.
const testURLEnv = "CHANCERY_TEST_POSTGRES"

// newDatabase creates an empty database for one test, dropped when the
// test ends, and returns its URL.
func newDatabase(t *testing.T) string {
	t.Helper()
	admin := os.Getenv(testURLEnv)
	if admin == "" {
		t.Skip("PostgreSQL tests are off: set " + testURLEnv + "=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable; .ci/run does")
	}
	u, err := url.Parse(admin)
	if err != nil || u.Scheme == "" {
		t.Fatalf("%s must be a postgres:// URL: %q", testURLEnv, admin)
	}
	b := make([]byte, 8)
	rand.Read(b)
	name := "chancery_test_" + hex.EncodeToString(b)
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		db.Close()
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		defer db.Close()
		if _, err := db.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// openNew opens a store on a new database.
func openNew(t *testing.T) (*postgres.Store, string) {
	t.Helper()
	dbURL := newDatabase(t)
	s, err := postgres.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	return s, dbURL
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, _ := openNew(t)
		return s
	})
}
