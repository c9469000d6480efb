package postgres_test

import (
	"context"
	"testing"

	"chancery/internal/store"
	"chancery/internal/store/postgres"
	"chancery/internal/store/storetest"
	"chancery/internal/testdb"
)

// newDatabase creates an empty database for one test, dropped when the
// test ends, and returns its URL; it skips the test when
// CHANCERY_TEST_POSTGRES is not set.
func newDatabase(t *testing.T) string {
	t.Helper()
	return testdb.PostgresURL(t)
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
