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

// TestStmtTxShared: on a handle of one connection (SQLite's writer), a
// transaction prepares what its StmtDB does not keep, lists it, and after
// Learn the next transaction takes the kept statements, without waiting
// for a connection the transaction holds.
func TestStmtTxShared(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER)`); err != nil {
		t.Fatal(err)
	}
	shared := NewStmtDB(db)
	defer shared.Close()
	const put, get = `INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v`, `SELECT v FROM kv WHERE k = ?`
	run := func(v int) []string {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		st := NewStmtTx(tx, shared)
		if _, err := st.ExecContext(ctx, put, "a", v); err != nil {
			t.Fatal(err)
		}
		var got int
		if err := st.QueryRowContext(ctx, get, "a").Scan(&got); err != nil || got != v {
			t.Fatalf("read back %d, %v; want %d", got, err, v)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		return st.Missed()
	}
	if missed := run(1); len(missed) != 2 {
		t.Fatalf("first transaction missed %q, want both statements", missed)
	}
	shared.Learn(ctx, []string{put, get})
	if shared.kept(put) == nil || shared.kept(get) == nil {
		t.Fatal("Learn kept nothing")
	}
	if missed := run(2); len(missed) != 0 {
		t.Fatalf("second transaction missed %q, want none", missed)
	}
	var v int
	if err := shared.QueryRowContext(ctx, get, "a").Scan(&v); err != nil || v != 2 {
		t.Fatalf("after the transactions: %d, %v", v, err)
	}
}
