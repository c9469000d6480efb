package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"chancery/internal/content"
	"chancery/internal/store"
)

// micro is t as the store gives it back: UTC, to the microsecond.
func micro(t time.Time) time.Time { return time.UnixMicro(t.UnixMicro()).UTC() }

// mustArticles creates n published articles of a section in one
// transaction and returns their IDs, rising.
func mustArticles(t *testing.T, s store.Store, site content.Site, sec content.Section, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	ids := make([]int64, 0, n)
	err := s.InTx(ctx, func(q store.Queries) error {
		for i := range n {
			a, err := q.CreateArticle(ctx, article(site, sec, "en", fmt.Sprintf("Statement number %d", i), accountsT0.AddDate(0, 0, -i)))
			if err != nil {
				return err
			}
			ids = append(ids, a.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("creating %d articles: %v", n, err)
	}
	return ids
}

// mustMedia stores a file of a site.
func mustMedia(t *testing.T, s store.Store, siteID int64, name, data string) store.Media {
	t.Helper()
	m, err := s.Imports().PutMedia(context.Background(), store.Media{SiteID: siteID, ContentType: "application/pdf", Name: name,
		Data: []byte(data), CreatedAt: accountsT0})
	if err != nil {
		t.Fatalf("PutMedia(%s): %v", name, err)
	}
	return m
}

// testArticleStates stores back-office states whole, replaces them, and
// reads them one at a time and many at once.
func testArticleStates(t *testing.T, s store.Store) {
	ctx := context.Background()
	aq := s.Accounts()
	site := mustSite(t, s, newSite("un", "un.example.org"))
	news := mustSection(t, s, section(site.ID, 0, 1, "news", "xw"))
	a := mustArticle(t, s, article(site, news, "en", "Statement", accountsT0))
	b := mustArticle(t, s, article(site, news, "en", "Remarks", accountsT0))
	ana, bo := mustUser(t, s, "ana@example.org"), mustUser(t, s, "bo@example.org")
	rev := func(art content.Article, title string) store.Revision {
		t.Helper()
		r, err := aq.AddRevision(ctx, store.Revision{ArticleID: art.ID, UserID: ana.ID, CreatedAt: accountsT0, SectionID: news.ID,
			Kind: content.KindStatement, Title: title})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	live, submitted := rev(a, "Statement"), rev(a, "Statement, revised")

	// No state stored: the zero state, with the article's ID.
	for _, id := range []int64{a.ID, 999_999} {
		if got, err := aq.ArticleState(ctx, id); err != nil || !reflect.DeepEqual(got, store.ArticleState{ArticleID: id}) {
			t.Fatalf("ArticleState(%d) with none stored = %+v, %v; want the zero state", id, got, err)
		}
	}

	// Every field round trips; times come back in UTC, to the microsecond.
	zone := time.FixedZone("UTC+8", 8*3600)
	full := store.ArticleState{ArticleID: a.ID, CreatedBy: ana.ID, LiveRevision: live.ID, SubmittedRevision: submitted.ID,
		SubmittedBy: bo.ID, SubmittedAt: accountsT0.Add(789 * time.Nanosecond).In(zone), EditionAt: accountsT0.Add(36 * time.Hour), EditionRevision: submitted.ID,
		WithdrawnAt: accountsT0.Add(-time.Minute).In(zone), WithdrawalReason: "Superseded by the statement of 3 April; 已撤回."}
	if err := aq.PutArticleState(ctx, full); err != nil {
		t.Fatalf("PutArticleState: %v", err)
	}
	want := full
	want.SubmittedAt, want.EditionAt, want.WithdrawnAt = micro(full.SubmittedAt), micro(full.EditionAt), micro(full.WithdrawnAt)
	got, err := aq.ArticleState(ctx, a.ID)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("ArticleState = %+v, %v; want %+v", got, err, want)
	}
	if !got.SubmittedAt.Equal(accountsT0) || got.SubmittedAt.Location() != time.UTC {
		t.Errorf("SubmittedAt read back as %v; want %v in UTC", got.SubmittedAt, accountsT0)
	}
	if other, err := aq.ArticleState(ctx, b.ID); err != nil || !reflect.DeepEqual(other, store.ArticleState{ArticleID: b.ID}) {
		t.Errorf("another article's state = %+v, %v; want the zero state", other, err)
	}

	// A state replaces the whole one stored: what it leaves zero (times
	// included) reads back zero.
	replaced := store.ArticleState{ArticleID: a.ID, CreatedBy: ana.ID, LiveRevision: submitted.ID, EditionAt: accountsT0.Add(time.Hour)}
	if err := aq.PutArticleState(ctx, replaced); err != nil {
		t.Fatalf("PutArticleState replacing: %v", err)
	}
	if got, err := aq.ArticleState(ctx, a.ID); err != nil || !reflect.DeepEqual(got, replaced) ||
		!got.SubmittedAt.IsZero() || !got.WithdrawnAt.IsZero() {
		t.Fatalf("after replacing, ArticleState = %+v, %v; want %+v", got, err, replaced)
	}
	// The zero state stored reads back as the zero state.
	if err := aq.PutArticleState(ctx, store.ArticleState{ArticleID: b.ID}); err != nil {
		t.Fatal(err)
	}
	if got, err := aq.ArticleState(ctx, b.ID); err != nil || !reflect.DeepEqual(got, store.ArticleState{ArticleID: b.ID}) {
		t.Fatalf("a stored zero state reads back as %+v, %v", got, err)
	}
	// The time of the Unix epoch is a time, not none.
	epoch := store.ArticleState{ArticleID: b.ID, WithdrawnAt: time.Unix(0, 0).UTC(), WithdrawalReason: "Withdrawn."}
	if err := aq.PutArticleState(ctx, epoch); err != nil {
		t.Fatal(err)
	}
	if got, err := aq.ArticleState(ctx, b.ID); err != nil || !reflect.DeepEqual(got, epoch) {
		t.Fatalf("a state withdrawn at the epoch reads back as %+v, %v; want %+v", got, err, epoch)
	}

	// A state written in a transaction that fails is not kept; one
	// written in a transaction is read in it.
	err = s.InTx(ctx, func(q store.Queries) error {
		if err := q.Accounts().PutArticleState(ctx, full); err != nil {
			return err
		}
		if got, err := q.Accounts().ArticleState(ctx, a.ID); err != nil || got.SubmittedRevision != submitted.ID {
			return fmt.Errorf("in the transaction, ArticleState = %+v, %v; want the state just written", got, err)
		}
		return errors.New("refused")
	})
	if err == nil || err.Error() != "refused" {
		t.Fatalf("InTx = %v; want fn's error", err)
	}
	if got, _ := aq.ArticleState(ctx, a.ID); !reflect.DeepEqual(got, replaced) {
		t.Fatalf("a rolled-back state was kept: %+v", got)
	}

	// ArticleStates of none.
	for _, ids := range [][]int64{nil, {}} {
		if got, err := aq.ArticleStates(ctx, ids); err != nil || len(got) != 0 {
			t.Fatalf("ArticleStates(%v) = %v, %v; want none", ids, got, err)
		}
	}
	if got, err := aq.ArticleStates(ctx, []int64{999_999}); err != nil || len(got) != 0 {
		t.Fatalf("ArticleStates of an article without one = %v, %v; want none", got, err)
	}

	// ArticleStates of more articles than one statement asks for: every
	// stored state, and none for the articles without one.
	many := mustArticles(t, s, site, news, 620)
	wantMany := map[int64]store.ArticleState{a.ID: replaced, b.ID: epoch}
	err = s.InTx(ctx, func(q store.Queries) error {
		for i, id := range many {
			if i%7 == 5 { // some without a state (none at the chunks' edges)
				continue
			}
			st := store.ArticleState{ArticleID: id, CreatedBy: ana.ID, LiveRevision: int64(i + 1),
				EditionAt: accountsT0.Add(time.Duration(i) * time.Microsecond), WithdrawalReason: fmt.Sprint("reason ", i)}
			if i%2 == 0 {
				st.SubmittedBy, st.SubmittedRevision, st.SubmittedAt = bo.ID, int64(i+2), accountsT0.Add(-time.Duration(i)*time.Second)
			}
			if err := q.Accounts().PutArticleState(ctx, st); err != nil {
				return err
			}
			wantMany[id] = st
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Asked in no particular order, with the two first articles after
	// the many, then articles that do not exist, and one asked twice.
	ids := slices.Clone(many)
	slices.Reverse(ids)
	ids = append(ids, a.ID, b.ID)
	for i := range 500 {
		ids = append(ids, 1_000_000+int64(i))
	}
	ids = append(ids, many[0])
	if len(ids) <= 1000 {
		t.Fatalf("asking for %d articles; want more than two chunks' worth", len(ids))
	}
	gotMany, err := aq.ArticleStates(ctx, ids)
	if err != nil {
		t.Fatalf("ArticleStates of %d articles: %v", len(ids), err)
	}
	if len(gotMany) != len(wantMany) {
		t.Errorf("ArticleStates of %d articles = %d states; want %d", len(ids), len(gotMany), len(wantMany))
	}
	for id, w := range wantMany {
		if g, ok := gotMany[id]; !ok || !reflect.DeepEqual(g, w) {
			t.Errorf("ArticleStates[%d] = %+v (%t); want %+v", id, g, ok, w)
		}
	}
	// Exactly at the chunk's size, and one past it.
	for _, n := range []int{500, 501} {
		got, err := aq.ArticleStates(ctx, many[:n])
		if err != nil {
			t.Fatalf("ArticleStates of %d articles: %v", n, err)
		}
		for i, id := range many[:n] {
			if _, ok := got[id]; ok != (i%7 != 5) {
				t.Errorf("ArticleStates of %d articles: article %d (at %d) found %t; want %t", n, id, i, ok, i%7 != 5)
			}
		}
		if _, ok := got[many[n]]; ok {
			t.Errorf("ArticleStates of %d articles returned one not asked for", n)
		}
	}
}

// testPublicNotes returns the public change notes of an article's
// revisions up to its live one, oldest first.
func testPublicNotes(t *testing.T, s store.Store) {
	ctx := context.Background()
	aq := s.Accounts()
	site := mustSite(t, s, newSite("un", "un.example.org"))
	news := mustSection(t, s, section(site.ID, 0, 1, "news", "xw"))
	a := mustArticle(t, s, article(site, news, "en", "Statement", accountsT0))
	other := mustArticle(t, s, article(site, news, "en", "Other", accountsT0))
	if notes, err := aq.PublicNotes(ctx, a.ID, 999_999); err != nil || len(notes) != 0 {
		t.Fatalf("PublicNotes of an article without revisions = %+v, %v; want none", notes, err)
	}
	var revs []store.Revision
	add := func(art content.Article, note string, public bool) store.Revision {
		t.Helper()
		// Times fall in the opposite order of the revisions' IDs in
		// part, so that the order followed is the revisions'.
		at := accountsT0.Add(time.Duration(len(revs)%3)*time.Hour + 789*time.Nanosecond)
		r, err := aq.AddRevision(ctx, store.Revision{ArticleID: art.ID, CreatedAt: at, SectionID: news.ID, Kind: content.KindStatement,
			Title: art.Title, Note: note, Public: public})
		if err != nil {
			t.Fatal(err)
		}
		revs = append(revs, r)
		return r
	}
	add(a, "", false)                                // the first save
	corrected := add(a, "Corrected a figure.", true) // public
	add(a, "Fixed a typo.", false)                   // minor
	add(other, "Another article's note.", true)      // another article
	add(a, "", true)                                 // public, but no note
	annex := add(a, "Added the annex; 增加了附件。", true) // public
	draft := add(a, "Not yet published.", true)      // after the live revision
	note := func(r store.Revision) store.ChangeNote { return store.ChangeNote{At: r.CreatedAt, Note: r.Note} }
	for _, c := range []struct {
		name string
		upTo int64
		want []store.ChangeNote
	}{
		{"up to the live revision", annex.ID, []store.ChangeNote{note(corrected), note(annex)}},
		{"up to the latest", draft.ID, []store.ChangeNote{note(corrected), note(annex), note(draft)}},
		{"up to the one before the annex", annex.ID - 1, []store.ChangeNote{note(corrected)}},
		{"up to the first public note", corrected.ID, []store.ChangeNote{note(corrected)}},
		{"up to before any public note", corrected.ID - 1, nil},
		{"up to no revision", 0, nil},
	} {
		got, err := aq.PublicNotes(ctx, a.ID, c.upTo)
		if err != nil || len(got) != len(c.want) || (len(got) > 0 && !reflect.DeepEqual(got, c.want)) {
			t.Errorf("PublicNotes %s = %+v, %v; want %+v", c.name, got, err, c.want)
		}
		for _, n := range got {
			if n.At.Location() != time.UTC || n.At.Nanosecond()%1000 != 0 {
				t.Errorf("PublicNotes %s: time %v; want UTC, to the microsecond", c.name, n.At)
			}
		}
	}
	if got, err := aq.PublicNotes(ctx, other.ID, draft.ID); err != nil || len(got) != 1 || got[0].Note != "Another article's note." {
		t.Errorf("PublicNotes of the other article = %+v, %v; want its own note only", got, err)
	}
}

// testMediaTexts keeps a file's title and alternative text per language.
func testMediaTexts(t *testing.T, s store.Store) {
	ctx := context.Background()
	aq := s.Accounts()
	site := mustSite(t, s, newSite("un", "un.example.org"))
	report, photo, bare := mustMedia(t, s, site.ID, "report.pdf", "report"), mustMedia(t, s, site.ID, "photo.jpg", "photo"),
		mustMedia(t, s, site.ID, "bare.pdf", "bare")
	for _, ids := range [][]int64{nil, {}, {report.ID, bare.ID, 999_999}} {
		if got, err := aq.MediaTexts(ctx, ids); err != nil || len(got) != 0 {
			t.Fatalf("MediaTexts(%v) with none stored = %v, %v; want none", ids, got, err)
		}
	}
	for _, x := range []struct {
		id   int64
		lang string
		text store.MediaText
	}{
		{report.ID, "en", store.MediaText{Title: "First title", Alt: "First alt"}},
		{report.ID, "zh", store.MediaText{Title: "年度报告", Alt: "报告封面"}},
		{photo.ID, "en", store.MediaText{Alt: "The ambassador at the podium"}},
		{photo.ID, "fr", store.MediaText{}},
		// Replacing: the last text of a file in a language wins whole.
		{report.ID, "en", store.MediaText{Title: "Annual report 2025"}},
	} {
		if err := aq.PutMediaText(ctx, x.id, x.lang, x.text); err != nil {
			t.Fatalf("PutMediaText(%d, %s): %v", x.id, x.lang, err)
		}
	}
	want := map[int64]map[string]store.MediaText{
		report.ID: {"en": {Title: "Annual report 2025"}, "zh": {Title: "年度报告", Alt: "报告封面"}},
		photo.ID:  {"en": {Alt: "The ambassador at the podium"}, "fr": {}},
	}
	if got, err := aq.MediaTexts(ctx, []int64{bare.ID, photo.ID, report.ID, 999_999}); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("MediaTexts = %v, %v; want %v", got, err, want)
	}
	if got, err := aq.MediaTexts(ctx, []int64{photo.ID}); err != nil || !reflect.DeepEqual(got, map[int64]map[string]store.MediaText{photo.ID: want[photo.ID]}) {
		t.Fatalf("MediaTexts of one file = %v, %v; want only its texts", got, err)
	}
	// More files than one statement asks for, the stored ones on both
	// sides of the chunks.
	ids := make([]int64, 0, 1200)
	for i := range 1200 {
		switch i {
		case 499, 1100:
			ids = append(ids, report.ID)
		case 500:
			ids = append(ids, photo.ID)
		default:
			ids = append(ids, 1_000_000+int64(i))
		}
	}
	if got, err := aq.MediaTexts(ctx, ids); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("MediaTexts of %d files = %v, %v; want %v", len(ids), got, err, want)
	}
}

// testAttachments lists files on an article's page in the order they were
// attached, with their texts.
func testAttachments(t *testing.T, s store.Store) {
	ctx := context.Background()
	aq := s.Accounts()
	site := mustSite(t, s, newSite("un", "un.example.org"))
	news := mustSection(t, s, section(site.ID, 0, 1, "news", "xw"))
	a := mustArticle(t, s, article(site, news, "en", "Statement", accountsT0))
	b := mustArticle(t, s, article(site, news, "en", "Remarks", accountsT0))
	report, photo, annex := mustMedia(t, s, site.ID, "report.pdf", "report"), mustMedia(t, s, site.ID, "photo.jpg", "photo"),
		mustMedia(t, s, site.ID, "annex.pdf", "annex")
	if got, err := aq.Attachments(ctx, a.ID); err != nil || len(got) != 0 {
		t.Fatalf("Attachments of an article with none = %+v, %v; want none", got, err)
	}
	texts := map[int64]map[string]store.MediaText{
		report.ID: {"en": {Title: "Annual report", Alt: ""}, "zh": {Title: "年度报告"}},
		photo.ID:  {"en": {Alt: "The ambassador at the podium"}},
	}
	for id, byLang := range texts {
		for lang, text := range byLang {
			if err := aq.PutMediaText(ctx, id, lang, text); err != nil {
				t.Fatal(err)
			}
		}
	}
	names := func(articleID int64) []string {
		t.Helper()
		got, err := aq.Attachments(ctx, articleID)
		if err != nil {
			t.Fatalf("Attachments(%d): %v", articleID, err)
		}
		out := []string{}
		for _, x := range got {
			out = append(out, x.Name)
		}
		return out
	}
	attach := func(articleID int64, files ...store.Media) {
		t.Helper()
		for _, m := range files {
			if err := aq.Attach(ctx, articleID, m.ID); err != nil {
				t.Fatalf("Attach(%d, %s): %v", articleID, m.Name, err)
			}
		}
	}
	// In the order attached, not the files' order; attaching again
	// changes nothing.
	attach(a.ID, photo, annex, report, photo, annex)
	attach(b.ID, report)
	if got := names(a.ID); !slices.Equal(got, []string{"photo.jpg", "annex.pdf", "report.pdf"}) {
		t.Fatalf("Attachments = %v; want photo, annex, report", got)
	}
	if got := names(b.ID); !slices.Equal(got, []string{"report.pdf"}) {
		t.Fatalf("Attachments of the other article = %v; want the report only", got)
	}
	// Each file whole but for its Data, with its texts.
	got, err := aq.Attachments(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range []store.Media{photo, annex, report} {
		if i >= len(got) {
			break
		}
		if !reflect.DeepEqual(got[i].Media, m) || got[i].Data != nil {
			t.Errorf("Attachments[%d].Media = %+v; want %+v, without Data", i, got[i].Media, m)
		}
		if w := texts[m.ID]; len(w) == 0 && len(got[i].Texts) != 0 || len(w) != 0 && !reflect.DeepEqual(got[i].Texts, w) {
			t.Errorf("Attachments[%d].Texts = %v; want %v", i, got[i].Texts, w)
		}
	}

	// Detach takes a file off one article's page; it stays stored, with
	// its texts, and on the other article's page.
	if err := aq.Detach(ctx, a.ID, report.ID); err != nil {
		t.Fatalf("Detach: %v", err)
	}
	if err := aq.Detach(ctx, a.ID, report.ID); err != nil {
		t.Fatalf("Detach of a file no longer attached: %v", err)
	}
	if err := aq.Detach(ctx, a.ID, 999_999); err != nil {
		t.Fatalf("Detach of a file never attached: %v", err)
	}
	if got := names(a.ID); !slices.Equal(got, []string{"photo.jpg", "annex.pdf"}) {
		t.Fatalf("Attachments after Detach = %v; want photo, annex", got)
	}
	if got := names(b.ID); !slices.Equal(got, []string{"report.pdf"}) {
		t.Fatalf("Detach from one article took the file off another: %v", got)
	}
	if m, err := s.Imports().Media(ctx, site.ID, report.Key); err != nil || string(m.Data) != "report" {
		t.Fatalf("a detached file: %+v, %v; want it still stored", m, err)
	}
	if got, err := aq.MediaTexts(ctx, []int64{report.ID}); err != nil || !reflect.DeepEqual(got[report.ID], texts[report.ID]) {
		t.Fatalf("a detached file's texts = %v, %v; want them kept", got, err)
	}
	// Attached again, a file goes after the ones listed, even after the
	// last one listed was taken off.
	attach(a.ID, report)
	if got := names(a.ID); !slices.Equal(got, []string{"photo.jpg", "annex.pdf", "report.pdf"}) {
		t.Fatalf("Attachments after attaching again = %v; want photo, annex, report", got)
	}
	for _, m := range []store.Media{report, annex} {
		if err := aq.Detach(ctx, a.ID, m.ID); err != nil {
			t.Fatal(err)
		}
	}
	attach(a.ID, annex)
	if got := names(a.ID); !slices.Equal(got, []string{"photo.jpg", "annex.pdf"}) {
		t.Fatalf("Attachments after taking off the last two and attaching one = %v; want photo, annex", got)
	}
	for _, m := range []store.Media{photo, annex} {
		if err := aq.Detach(ctx, a.ID, m.ID); err != nil {
			t.Fatal(err)
		}
	}
	if got := names(a.ID); len(got) != 0 {
		t.Fatalf("Attachments after taking every file off = %v; want none", got)
	}

	// In a transaction, an attachment is listed at once, and is not kept
	// when the transaction fails.
	err = s.InTx(ctx, func(q store.Queries) error {
		if err := q.Accounts().Attach(ctx, a.ID, annex.ID); err != nil {
			return err
		}
		if got, err := q.Accounts().Attachments(ctx, a.ID); err != nil || len(got) != 1 || got[0].ID != annex.ID {
			return fmt.Errorf("in the transaction, Attachments = %+v, %v; want the annex", got, err)
		}
		return errors.New("refused")
	})
	if err == nil || err.Error() != "refused" {
		t.Fatalf("InTx = %v; want fn's error", err)
	}
	if got := names(a.ID); len(got) != 0 {
		t.Fatalf("a rolled-back attachment was kept: %v", got)
	}
}

// testDueEditions finds the articles whose scheduled edition is due, in
// order of ID, a page at a time.
func testDueEditions(t *testing.T, s store.Store) {
	ctx := context.Background()
	aq := s.Accounts()
	site := mustSite(t, s, newSite("un", "un.example.org"))
	news := mustSection(t, s, section(site.ID, 0, 1, "news", "xw"))
	now := accountsT0
	if ids, err := aq.DueEditions(ctx, now, 0, 10); err != nil || len(ids) != 0 {
		t.Fatalf("DueEditions with none stored = %v, %v; want none", ids, err)
	}
	arts := mustArticles(t, s, site, news, 9)
	// Editions set in an order other than the articles'.
	for i, at := range []time.Time{
		now.Add(-time.Hour),                     // 0: due
		{},                                      // 1: none scheduled
		now,                                     // 2: due at now exactly
		now.Add(time.Microsecond),               // 3: not yet
		now.AddDate(-1, 0, 0),                   // 4: due long ago
		now.Add(24 * time.Hour),                 // 5: tomorrow
		now.Add(-time.Microsecond),              // 6: due
		now.In(time.FixedZone("UTC+7", 7*3600)), // 7: due at now, given in another zone
		{},                                      // 8: none, but withdrawn
	} {
		st := store.ArticleState{ArticleID: arts[i], LiveRevision: int64(i + 1), EditionAt: at}
		if i == 8 {
			st.WithdrawnAt, st.WithdrawalReason = now.Add(-time.Hour), "Withdrawn."
		}
		if err := aq.PutArticleState(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	due := []int64{arts[0], arts[2], arts[4], arts[6], arts[7]}
	for _, c := range []struct {
		name  string
		now   time.Time
		after int64
		limit int
		want  []int64
	}{
		{"all", now, 0, 100, due},
		{"given in another zone", now.In(time.FixedZone("UTC-5", -5*3600)), 0, 100, due},
		{"a microsecond later", now.Add(time.Microsecond), 0, 100, []int64{arts[0], arts[2], arts[3], arts[4], arts[6], arts[7]}},
		{"an hour earlier", now.Add(-time.Hour), 0, 100, []int64{arts[0], arts[4]}},
		{"in two days", now.Add(48 * time.Hour), 0, 100, []int64{arts[0], arts[2], arts[3], arts[4], arts[5], arts[6], arts[7]}},
		{"the first two", now, 0, 2, due[:2]},
		{"after the second", now, arts[2], 100, due[2:]},
		{"after one not due", now, arts[3], 2, due[2:4]},
		{"after the last", now, arts[7], 100, nil},
		{"limit exactly the due ones", now, 0, len(due), due},
	} {
		got, err := aq.DueEditions(ctx, c.now, c.after, c.limit)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("DueEditions %s = %v, %v; want %v", c.name, got, err, c.want)
		}
	}
	// Paging one at a time finds each once, in order.
	var paged []int64
	for after := int64(0); ; {
		page, err := aq.DueEditions(ctx, now, after, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		if len(page) != 1 || len(paged) > len(due) {
			t.Fatalf("paging: page %v after %v", page, paged)
		}
		paged = append(paged, page...)
		after = page[0]
	}
	if !slices.Equal(paged, due) {
		t.Errorf("paging one at a time = %v; want %v", paged, due)
	}
	// A state replaced without its edition is no longer due.
	if err := aq.PutArticleState(ctx, store.ArticleState{ArticleID: arts[2], LiveRevision: 9}); err != nil {
		t.Fatal(err)
	}
	if got, err := aq.DueEditions(ctx, now, 0, 100); err != nil || !slices.Equal(got, []int64{arts[0], arts[4], arts[6], arts[7]}) {
		t.Errorf("DueEditions after an edition was unscheduled = %v, %v", got, err)
	}
}
