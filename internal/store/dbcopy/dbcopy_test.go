package dbcopy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"chancery/internal/account"
	"chancery/internal/content"
	"chancery/internal/demo"
	"chancery/internal/migrate"
	"chancery/internal/migrate/oldsite"
	"chancery/internal/search"
	"chancery/internal/store"
	"chancery/internal/testdb"
)

// network fills st with everything a network holds: the demo sites, an
// imported old site (old addresses, import records, stored files), a
// message in the outbox, a used token, a secret, and the back office's
// users, roles, sessions, tokens, failed sign-ins, audit log, revisions,
// articles' states, files' texts and attachments.
func network(t *testing.T, st store.Store) {
	t.Helper()
	ctx := context.Background()
	if err := demo.Load(ctx, st, demo.Build()); err != nil {
		t.Fatal(err)
	}
	site, err := st.CreateSite(ctx, content.Site{Key: "valdoria", Hosts: []string{"valdoria.localhost", "www.valdoria.localhost"},
		Languages: []string{"en", "zh"}, DefaultLanguage: "en", TimeZone: "Asia/Shanghai", FeedSummary: true,
		Names:         map[string]string{"en": "Embassy in Valdoria", "zh": "驻瓦尔多利亚使馆"},
		AddressScheme: "/{channel}/{section}/{yyyymm}/t{yyyymmdd}_{number}.htm", Channels: map[string]string{"en": "eng", "zh": "chn"}})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := migrate.Run(ctx, st, []string{"../../migrate/oldsite/testdata/site"}, migrate.Options{Site: site,
		Formats: []migrate.Format{{Name: "oldsite", Detect: oldsite.Detect, Parse: oldsite.Parse}}})
	if err != nil || rep.Counts[migrate.Imported] == 0 || rep.Files == 0 {
		t.Fatalf("import: %v, %+v", err, rep)
	}
	// A section moved under one made after it: its parent has a higher
	// number than it has.
	older, err := st.CreateSection(ctx, content.Section{SiteID: site.ID, Names: map[string]string{"en": "Older", "zh": "旧"},
		Slugs: map[string]string{"en": "older", "zh": "jiu"}})
	if err != nil {
		t.Fatal(err)
	}
	newer, err := st.CreateSection(ctx, content.Section{SiteID: site.ID, Names: map[string]string{"en": "Newer", "zh": "新"},
		Slugs: map[string]string{"en": "newer", "zh": "xin"}})
	if err != nil {
		t.Fatal(err)
	}
	older.ParentID = newer.ID
	if err := st.UpdateSection(ctx, older); err != nil {
		t.Fatal(err)
	}
	// An empty file reads back from SQLite as no value at all.
	if _, err := st.Imports().PutMedia(ctx, store.Media{SiteID: site.ID, ContentType: "application/pdf", Name: "empty.pdf"}); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	if _, err := st.Mail().QueueMail(ctx, store.Mail{SiteID: site.ID, ArticleID: 1, Client: "c", From: "news@valdoria.example",
		To: "reader@example.org", Message: []byte("Subject: x\r\n\r\nBody\r\n"), NextAttempt: now, RecipientKey: "reader@example.org"}); err != nil {
		t.Fatal(err)
	}
	if err := st.Mail().UseToken(ctx, "token-1", now.Add(time.Hour), now); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Mail().Secret(ctx, "forms", func() []byte { return []byte("0123456789abcdef") }); err != nil {
		t.Fatal(err)
	}
	backOffice(t, st, site, now)
}

// backOffice fills every table of the back office, with the NULLs and
// booleans of each.
func backOffice(t *testing.T, st store.Store, site content.Site, now time.Time) {
	t.Helper()
	ctx := context.Background()
	aq := st.Accounts()
	arts, err := st.Articles(ctx, store.ArticleQuery{SiteID: site.ID, Limit: 2})
	if err != nil || len(arts) < 2 {
		t.Fatalf("articles for revisions: %d, %v", len(arts), err)
	}
	// One user with a second factor and recovery codes, one without.
	ana, err := aq.CreateUser(ctx, account.User{Email: "ana@valdoria.example", Name: "Ana", PasswordHash: "$argon2id$x",
		TOTPSecret: []byte("12345678901234567890"), TOTPStep: 7, RecoveryCodes: []string{"h1", "h2"}, NetworkAdmin: true, Language: "zh"})
	if err != nil {
		t.Fatal(err)
	}
	bo, err := aq.CreateUser(ctx, account.User{Email: "bo@valdoria.example", Disabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := aq.SetRole(ctx, bo.ID, site.ID, account.RoleEditor); err != nil {
		t.Fatal(err)
	}
	for _, s := range []store.Session{
		{Hash: []byte("session-hash-1"), UserID: ana.ID, Verified: true, CreatedAt: now, SeenAt: now, ExpiresAt: now.Add(time.Hour),
			Address: "192.0.2.1", UserAgent: "Firefox"},
		{Hash: []byte("session-hash-2"), UserID: bo.ID, CreatedAt: now, SeenAt: now, ExpiresAt: now.Add(time.Hour)},
	} {
		if err := aq.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	for _, tok := range []store.Token{
		{Hash: []byte("token-hash-1"), Purpose: store.TokenPreview, ArticleID: arts[0].ID, CreatedBy: ana.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)},
		{Hash: []byte("token-hash-2"), Purpose: store.TokenPassword, UserID: bo.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)},
	} {
		if err := aq.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := aq.SignInFailure(ctx, "addr:192.0.2.9", now, now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, e := range []store.AuditEntry{
		{At: now, UserID: ana.ID, Email: ana.Email, Action: "sign-in", Address: "192.0.2.1"},
		{At: now, UserID: ana.ID, Email: ana.Email, SiteID: site.ID, Action: "publish", ArticleID: arts[0].ID, Detail: "now"},
	} {
		if err := aq.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	src, err := aq.AddRevision(ctx, store.Revision{ArticleID: arts[0].ID, CreatedAt: now, SectionID: arts[0].SectionID,
		Kind: arts[0].Kind, Title: arts[0].Title, Body: "Body."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := aq.AddRevision(ctx, store.Revision{ArticleID: arts[1].ID, UserID: ana.ID, CreatedAt: now, SectionID: arts[1].SectionID,
		Kind: arts[1].Kind, Title: arts[1].Title, Body: "Translated body.", Note: "Corrected.", Public: true, Source: src.ID}); err != nil {
		t.Fatal(err)
	}
	if err := aq.PutArticleState(ctx, store.ArticleState{ArticleID: arts[0].ID, CreatedBy: ana.ID, LiveRevision: src.ID,
		WithdrawnAt: now, WithdrawalReason: "Superseded."}); err != nil {
		t.Fatal(err)
	}
	// Files' texts in both languages, and two files attached to an
	// article in order.
	files, err := st.Imports().MediaList(ctx, site.ID)
	if err != nil || len(files) < 2 {
		t.Fatalf("files for attachments: %d, %v", len(files), err)
	}
	for _, x := range []struct {
		id   int64
		lang string
		text store.MediaText
	}{
		{files[0].ID, "en", store.MediaText{Title: "Annual report", Alt: "The report's cover"}},
		{files[0].ID, "zh", store.MediaText{Title: "年度报告"}},
		{files[1].ID, "en", store.MediaText{Alt: "A photograph"}},
	} {
		if err := aq.PutMediaText(ctx, x.id, x.lang, x.text); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range []int64{files[1].ID, files[0].ID} {
		if err := aq.Attach(ctx, arts[0].ID, m); err != nil {
			t.Fatal(err)
		}
	}
}

// dump reads every copied table of a store as text, row by row in key
// order, the columns both engines have, each value with its Go type, with
// booleans as 0 and 1.
func dump(t *testing.T, st store.Store) map[string][]string {
	t.Helper()
	ctx := context.Background()
	db, engine, err := raw(st)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	out := map[string][]string{}
	for _, table := range tables {
		cols, err := columns(ctx, tx, engine, table)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range cols {
			if !derived[c.name] && !(table == "site_hosts" && c.name == "position") {
				names = append(names, c.name)
			}
		}
		order := "1, 2"
		if names[0] == "id" {
			order = "id"
		}
		if table == "site_hosts" {
			order = "site_id, host"
		}
		rows, err := tx.QueryContext(ctx, fmt.Sprintf("SELECT %s FROM %s ORDER BY %s", strings.Join(names, ", "), table, order))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			vals, err := scanValues(rows, len(names))
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for i, v := range vals {
				switch x := v.(type) {
				case bool:
					if x {
						v = int64(1)
					} else {
						v = int64(0)
					}
				}
				// The Go type too: text must not come back as bytes, nor
				// numbers as text.
				fmt.Fprintf(&b, "%s=%T:%v|", names[i], v, v)
			}
			out[table] = append(out[table], b.String())
		}
		rows.Close()
	}
	return out
}

// TestRoundTrip copies a whole network from SQLite to PostgreSQL and back
// to a new SQLite file, and finds every row of every table the same at
// each step, the hosts in their order; each copy answers searches and
// numbers new rows after the copied ones.
func TestRoundTrip(t *testing.T) {
	engines := testdb.Engines()
	sqliteEngine, pgEngine := engines[0], engines[1]
	ctx := context.Background()
	first := sqliteEngine.Open(t)
	network(t, first)
	pg := pgEngine.Open(t) // skips without CHANCERY_TEST_POSTGRES
	back := sqliteEngine.Open(t)

	want := dump(t, first)
	for _, table := range tables {
		if len(want[table]) == 0 {
			t.Fatalf("the network has no %s to copy", table)
		}
	}
	for i, step := range []struct {
		name     string
		from, to store.Store
	}{{"sqlite to postgres", first, pg}, {"postgres to sqlite", pg, back}} {
		res, err := Copy(ctx, step.from, step.to)
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		got := dump(t, step.to)
		for _, table := range tables {
			if !reflect.DeepEqual(got[table], want[table]) {
				t.Errorf("%s: table %s differs:\n got %d rows, first %.300q\nwant %d rows, first %.300q", step.name, table,
					len(got[table]), first1(got[table]), len(want[table]), first1(want[table]))
			}
			if res.Rows[table] != len(want[table]) {
				t.Errorf("%s: %d rows of %s reported; want %d", step.name, res.Rows[table], table, len(want[table]))
			}
		}
		site, err := step.to.SiteByHost(ctx, "valdoria.localhost")
		if err != nil || site.Hosts[1] != "www.valdoria.localhost" || site.AddressScheme == "" || !site.FeedSummary {
			t.Errorf("%s: site %+v, %v", step.name, site, err)
		}
		found, err := step.to.Search(ctx, store.SearchQuery{Query: search.Parse("laboratory"), Now: time.Now()})
		if err != nil || found.Total == 0 {
			t.Errorf("%s: search after the copy: %+v, %v", step.name, found, err)
		}
		// New rows are numbered after the copied ones (PostgreSQL's
		// sequences were moved past them, or the insert would clash).
		slug := fmt.Sprintf("added-%d", i)
		sec, err := step.to.CreateSection(ctx, content.Section{SiteID: site.ID, Names: map[string]string{"en": "New", "zh": "新"},
			Slugs: map[string]string{"en": slug, "zh": slug}})
		if err != nil {
			t.Fatalf("%s: a new section after the copy: %v", step.name, err)
		}
		if _, err := step.to.Accounts().CreateUser(ctx, account.User{Email: slug + "@valdoria.example"}); err != nil {
			t.Fatalf("%s: a new user after the copy: %v", step.name, err)
		}
		if err := step.to.Accounts().Audit(ctx, store.AuditEntry{SiteID: site.ID, Action: slug}); err != nil {
			t.Fatalf("%s: a new audit entry after the copy: %v", step.name, err)
		}
		arts, err := step.to.Articles(ctx, store.ArticleQuery{SiteID: site.ID, Limit: 1})
		if err != nil || len(arts) == 0 {
			t.Fatalf("%s: articles after the copy: %v, %v", step.name, arts, err)
		}
		latest, err := step.to.Accounts().AddRevision(ctx, store.Revision{ArticleID: arts[0].ID, SectionID: sec.ID, Kind: content.KindNews, Title: slug})
		if err != nil || latest.ID <= int64(len(want["revisions"])) {
			t.Fatalf("%s: a new revision after the copy: %+v, %v", step.name, latest, err)
		}
		want = dump(t, step.to) // the next step copies the new rows too
	}
	if _, err := Copy(ctx, first, back); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("copy onto a network: %v; want ErrNotEmpty", err)
	}
	// A table the copy does not know (a later feature's, say) stops it:
	// nothing is lost without a word.
	db, _, _ := raw(first)
	if _, err := db.ExecContext(ctx, `CREATE TABLE later_feature (id INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	if _, err := Copy(ctx, first, sqliteEngine.Open(t)); err == nil || !strings.Contains(err.Error(), `table "later_feature"`) {
		t.Errorf("copy of a network with an unknown table: %v", err)
	}
}

func first1(rows []string) string {
	if len(rows) == 0 {
		return ""
	}
	return rows[0]
}
