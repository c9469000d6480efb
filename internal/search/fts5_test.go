package search

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	_ "modernc.org/sqlite" // the engine the expressions are written for
)

// TestFTS5Engine runs the expressions through SQLite's FTS5, over an
// in-memory table of IndexText, as the SQLite store does: every query is
// valid FTS5, and finds the documents it should.
func TestFTS5Engine(t *testing.T) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize = 'ascii')`); err != nil {
		t.Fatal(err)
	}
	docs := []struct{ title, body string }{
		1: {"Water security", "The Security Council discussed water and drought in the Sahel."},
		2: {"外交部发言人答记者问", "中国外交部发言人就伊朗核问题答记者问。"},
		3: {"中華人民共和國", "駐聯合國代表團舉行國慶招待會。"},
		4: {"UNICEF 儿童", "ＵＮＩＣＥＦ与儿童基金会在２０２４年发起COVID-19疫苗合作。"},
		5: {"Cooperation", "Ambassador Lindqvist-Oduya cooperated with Türkiye on trade."},
		6: {"Near and far", "NOT an operator: AND, OR, NEAR are words here."},
		7: {"国", "国"},
	}
	for id, d := range docs {
		if id == 0 {
			continue
		}
		if _, err := db.Exec(`INSERT INTO docs (rowid, title, body) VALUES (?, ?, ?)`,
			id, IndexText(d.title), IndexText(d.body)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name  string
		query string
		want  []int
	}{
		{"word", "water", []int{1}},
		{"stemmed", "cooperating", []int{5}},
		{"phrase", `"security council"`, []int{1}},
		{"phrase out of order", `"council security"`, nil},
		{"exclusion", "security -drought", nil},
		{"excluded phrase", `water -"civil war"`, []int{1}},
		{"chinese word", "外交部", []int{2}},
		{"chinese two characters", "伊朗", []int{2}},
		{"chinese not adjacent", "外部", nil},
		{"traditional query finds simplified", "外交部發言人", []int{2}},
		{"simplified query finds traditional", "联合国", []int{3}},
		{"one han character", "国", []int{2, 3, 7}},
		{"mixed scripts", "UNICEF 儿童", []int{4}},
		{"full-width", "２０２４ covid-19", []int{4}},
		{"hyphenated name", "lindqvist-oduya", []int{5}},
		{"diacritics", "turkiye", []int{5}},
		{"operators are words", "NOT AND OR NEAR", []int{6}},
		{"fts5 syntax", `*:^() NEAR(are words) near:`, []int{6}},
		{"column filter is a word", "title:near", nil},
		{"injection", `'; DROP TABLE docs; --`, nil},
		{"quotes", `"" """ "water`, []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expr := Parse(tt.query).FTS5()
			rows, err := db.Query(`SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rowid`, expr)
			if err != nil {
				t.Fatalf("query %q → %s: %v", tt.query, expr, err)
			}
			defer rows.Close()
			var got []int
			for rows.Next() {
				var id int
				if err := rows.Scan(&id); err != nil {
					t.Fatal(err)
				}
				got = append(got, id)
			}
			if err := rows.Err(); err != nil {
				t.Fatalf("query %q → %s: %v", tt.query, expr, err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("query %q → %s\n found %v, want %v", tt.query, expr, got, tt.want)
			}
		})
	}
	// Hostile input never makes an invalid expression.
	for i, q := range []string{
		`"`, `-`, `*`, `NEAR(`, `a OR`, `(((`, `")`, `^a`, `a:b:c`, `+`, "\x00", `"a" * "b"`,
		"-国", "国 国国 国", fmt.Sprint(make([]int, 300)), strings.Repeat("外交", 5000),
		strings.Repeat(`-"a b" `, 100), strings.Repeat("x", 10000),
	} {
		expr := Parse(q).FTS5()
		if expr == "" {
			continue
		}
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM docs WHERE docs MATCH ?`, expr).Scan(&n); err != nil {
			t.Errorf("hostile %d %q → %s: %v", i, q, expr, err)
		}
	}
}
