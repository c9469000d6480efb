package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"database/sql"

	_ "modernc.org/sqlite"
)

// TestStmtDB: queries through the cache answer as the handle does, from
// many goroutines, past the cache's bound, and with their errors.
func TestStmtDB(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(3)
	if _, err := db.Exec(`CREATE TABLE n (i INTEGER PRIMARY KEY, sq INTEGER); WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 1000) INSERT INTO n SELECT i, i*i FROM c`); err != nil {
		t.Fatal(err)
	}
	d := NewStmtDB(db)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := 1; i <= 900; i++ {
				// A few queries repeated, and more distinct ones than the
				// cache keeps.
				q := "SELECT sq FROM n WHERE i = ?"
				if i%3 == 0 {
					q = fmt.Sprintf("SELECT sq FROM n WHERE i = ? AND %d = %d", i, i)
				}
				var sq int
				if err := d.QueryRowContext(ctx, q, i).Scan(&sq); err != nil || sq != i*i {
					t.Errorf("goroutine %d, %d: %d, %v", g, i, sq, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := len(d.stmts); n != maxStmts {
		t.Errorf("%d statements kept, want the bound %d", n, maxStmts)
	}
	rows, err := d.QueryContext(ctx, "SELECT count(*) FROM n WHERE sq > ?", 100)
	if err != nil {
		t.Fatal(err)
	}
	var count int
	for rows.Next() {
		rows.Scan(&count)
	}
	rows.Close()
	if count != 990 {
		t.Errorf("count = %d, want 990", count)
	}
	if _, err := d.QueryContext(ctx, "SELECT x FROM nowhere"); err == nil || !strings.Contains(err.Error(), "nowhere") {
		t.Errorf("a bad query: %v, want the engine's error", err)
	}
	if err := d.Close(); err != nil || len(d.stmts) != 0 {
		t.Errorf("Close: %v, %d statements left", err, len(d.stmts))
	}
}
