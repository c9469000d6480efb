// Package testdb gives tests real databases: a SQLite file in the test's
// temporary directory always, and a fresh PostgreSQL database when
// CHANCERY_TEST_POSTGRES names a server (.ci/run sets it). Every database
// and store it makes is removed or closed when the test ends.
//
//	func TestOutbox(t *testing.T) {
//		testdb.Each(t, func(t *testing.T, st store.Store) {
//			// runs once on SQLite, once on PostgreSQL (or skips it)
//		})
//	}
//
// It is for tests only. The store engines' own in-package tests cannot use
// it (it imports them); their external tests can.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"chancery/internal/store"
	"chancery/internal/store/postgres"
	"chancery/internal/store/sqlite"
)

// PostgresEnv names the environment variable holding the URL of a database
// on the PostgreSQL server the tests use, for example
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable. The tests
// connect to it to create and drop databases of their own; its user needs
// CREATEDB.
const PostgresEnv = "CHANCERY_TEST_POSTGRES"

// PostgresURL creates an empty database on the server named by
// CHANCERY_TEST_POSTGRES and returns its URL; the database is dropped, even
// with connections still open, when the test ends. Without the variable
// it skips the test, saying how to run it.
func PostgresURL(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(PostgresEnv)
	if admin == "" {
		t.Skip("PostgreSQL tests are off: set " + PostgresEnv + "=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable to run them; .ci/run sets it")
	}
	u, err := url.Parse(admin)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("%s must be a postgres:// URL, not %q", PostgresEnv, admin)
	}
	b := make([]byte, 8)
	rand.Read(b)
	name := "chancery_test_" + hex.EncodeToString(b)
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		db.Close()
		t.Fatalf("create a test database on $%s: %v", PostgresEnv, err)
	}
	t.Cleanup(func() {
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// Engine makes databases and stores of one engine for tests.
type Engine struct {
	// Name is "sqlite" or "postgres", and the subtest's name in Each.
	Name string
	// Driver is the engine's database/sql driver name ("sqlite" or "pgx"),
	// for a test that must look at a table directly.
	Driver string
	// New makes an empty database for the test and returns where it is: a
	// file path for SQLite, a URL for PostgreSQL. The PostgreSQL engine
	// skips the test when CHANCERY_TEST_POSTGRES is not set.
	New func(t testing.TB) string
	// OpenAt opens a store on a database made by New, migrating it, and
	// closes it when the test ends. A test may close the store itself and
	// call OpenAt again on the same database, as a restarted process would.
	OpenAt func(t testing.TB, db string) store.Store
}

// Open opens a store on a new, empty database, closed when the test ends.
func (e Engine) Open(t testing.TB) store.Store {
	t.Helper()
	return e.OpenAt(t, e.New(t))
}

// Engines returns every engine: SQLite, then PostgreSQL.
func Engines() []Engine {
	return []Engine{
		{
			Name:   "sqlite",
			Driver: "sqlite",
			New: func(t testing.TB) string {
				return filepath.Join(t.TempDir(), "chancery.db")
			},
			OpenAt: func(t testing.TB, path string) store.Store {
				t.Helper()
				s, err := sqlite.Open(context.Background(), path)
				if err != nil {
					t.Fatalf("open SQLite store %s: %v", path, err)
				}
				t.Cleanup(func() { s.Close() })
				return s
			},
		},
		{
			Name:   "postgres",
			Driver: "pgx",
			New:    PostgresURL,
			OpenAt: func(t testing.TB, dbURL string) store.Store {
				t.Helper()
				s, err := postgres.Open(context.Background(), dbURL)
				if err != nil {
					t.Fatalf("open PostgreSQL store: %v", err)
				}
				t.Cleanup(func() { s.Close() })
				return s
			},
		},
	}
}

// Each runs fn as a subtest on a new store of every engine, named after
// the engine; the PostgreSQL subtest is skipped when CHANCERY_TEST_POSTGRES
// is not set.
func Each(t *testing.T, fn func(t *testing.T, st store.Store)) {
	t.Helper()
	for _, e := range Engines() {
		t.Run(e.Name, func(t *testing.T) {
			fn(t, e.Open(t))
		})
	}
}
