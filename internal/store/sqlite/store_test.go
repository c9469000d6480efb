package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"chancery/internal/store"
	"chancery/internal/store/sqlite"
	"chancery/internal/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "chancery.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
