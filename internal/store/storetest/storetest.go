// Package storetest is the suite every storage engine must pass. An
// engine's test calls Run with a function that opens a new, empty store.
package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"chancery/internal/content"
	"chancery/internal/search"
	"chancery/internal/store"
)

// Opener returns a new, empty store for one test; the test closes it.
type Opener func(t *testing.T) store.Store

// Run runs the whole suite against stores made by open.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, store.Store)
	}{
		{"SiteRoundTrip", testSiteRoundTrip},
		{"SiteRejectsBadInput", testSiteRejectsBadInput},
		{"SiteUpdate", testSiteUpdate},
		{"SectionTree", testSectionTree},
		{"SectionRejectsBadInput", testSectionRejectsBadInput},
		{"ArticleAddress", testArticleAddress},
		{"ArticleAddressNeverMoves", testArticleAddressNeverMoves},
		{"ArticleTranslations", testArticleTranslations},
		{"ArticleListing", testArticleListing},
		{"ArticleRejectsBadInput", testArticleRejectsBadInput},
		{"TransactionRollsBack", testTransactionRollsBack},
		{"SearchFollowsPublishing", testSearchFollowsPublishing},
		{"SearchFilters", testSearchFilters},
		{"SearchFollowsEdits", testSearchFollowsEdits},
		{"Reindex", testReindex},
		{"Outbox", testOutbox},
		{"OutboxLimits", testOutboxLimits},
		{"TokensAndSecrets", testTokensAndSecrets},
		{"PageStore", testPageStore},
		{"AddressScheme", testAddressScheme},
		{"Redirects", testRedirects},
		{"ImportRecords", testImportRecords},
		{"Media", testMedia},
		{"Users", testUsers},
		{"Roles", testRoles},
		{"Sessions", testSessions},
		{"AccountTokens", testAccountTokens},
		{"SignInFailures", testSignInFailures},
		{"AuditLog", testAuditLog},
		{"Revisions", testRevisions},
		{"ArticleStates", testArticleStates},
		{"PublicNotes", testPublicNotes},
		{"MediaTexts", testMediaTexts},
		{"Attachments", testAttachments},
		{"DueEditions", testDueEditions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tt.fn(t, s)
		})
	}
}

// newSite is a valid bilingual site for tests, in a zone far from UTC.
func newSite(key, host string) content.Site {
	return content.Site{
		Key:             key,
		Names:           map[string]string{"en": "Mission of Example", "zh": "示例代表团"},
		Hosts:           []string{host},
		Languages:       []string{"en", "zh"},
		DefaultLanguage: "en",
		TimeZone:        "America/New_York",
	}
}

func mustSite(t *testing.T, s store.Store, site content.Site) content.Site {
	t.Helper()
	site, err := s.CreateSite(context.Background(), site)
	if err != nil {
		t.Fatalf("CreateSite(%s): %v", site.Key, err)
	}
	return site
}

func section(siteID, parent int64, pos int, en, zh string) content.Section {
	return content.Section{SiteID: siteID, ParentID: parent, Position: pos, InNav: parent == 0,
		Names: map[string]string{"en": en, "zh": zh + "名"},
		Slugs: map[string]string{"en": en, "zh": zh}}
}

func mustSection(t *testing.T, s store.Store, sec content.Section) content.Section {
	t.Helper()
	sec, err := s.CreateSection(context.Background(), sec)
	if err != nil {
		t.Fatalf("CreateSection(%v): %v", sec.Slugs, err)
	}
	return sec
}

func article(site content.Site, sec content.Section, lang, title string, at time.Time) content.Article {
	return content.Article{SiteID: site.ID, SectionID: sec.ID, Language: lang, Kind: content.KindStatement,
		Status: content.StatusPublished, Title: title, Summary: "A summary.", Body: "Body of " + title,
		BodyHTML: "<p>Body of " + title + "</p>", PublishedAt: at}
}

func mustArticle(t *testing.T, s store.Store, a content.Article) content.Article {
	t.Helper()
	a, err := s.CreateArticle(context.Background(), a)
	if err != nil {
		t.Fatalf("CreateArticle(%q): %v", a.Title, err)
	}
	return a
}

func wantValidation(t *testing.T, err error, field string) {
	t.Helper()
	var ve *content.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v, want a validation error on %s", err, field)
	}
	if _, ok := ve.Fields[field]; !ok {
		t.Fatalf("validation error %v does not name field %s", ve, field)
	}
}

func testSiteRoundTrip(t *testing.T, s store.Store) {
	ctx := context.Background()
	if empty, err := s.Empty(ctx); err != nil || !empty {
		t.Fatalf("Empty() on a new store = %v, %v; want true", empty, err)
	}
	in := newSite("un", "UN.Example.org:8080")
	in.Hosts = append(in.Hosts, "www.un.example.org")
	created := mustSite(t, s, in)
	if created.ID == 0 {
		t.Fatal("CreateSite returned no ID")
	}
	if empty, _ := s.Empty(ctx); empty {
		t.Fatal("Empty() after CreateSite = true")
	}
	for name, get := range map[string]func() (content.Site, error){
		"Site":       func() (content.Site, error) { return s.Site(ctx, created.ID) },
		"SiteByKey":  func() (content.Site, error) { return s.SiteByKey(ctx, "un") },
		"SiteByHost": func() (content.Site, error) { return s.SiteByHost(ctx, "un.EXAMPLE.org:443") },
	} {
		got, err := get()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got.Key != "un" || got.TimeZone != "America/New_York" || got.DefaultLanguage != "en" ||
			len(got.Languages) != 2 || got.Languages[0] != "en" || got.Languages[1] != "zh" ||
			got.Names["zh"] != "示例代表团" || len(got.Hosts) != 2 || got.Hosts[0] != "un.example.org" {
			t.Fatalf("%s = %+v; does not match what was stored", name, got)
		}
	}
	if _, err := s.SiteByHost(ctx, "nowhere.example.org"); !errors.Is(err, content.ErrNotFound) {
		t.Fatalf("SiteByHost(unknown) error = %v; want ErrNotFound", err)
	}
	if _, err := s.Site(ctx, 9999); !errors.Is(err, content.ErrNotFound) {
		t.Fatalf("Site(9999) error = %v; want ErrNotFound", err)
	}
	mustSite(t, s, newSite("embassy", "embassy.example.org"))
	sites, err := s.Sites(ctx)
	if err != nil || len(sites) != 2 || sites[0].Key != "un" || sites[1].Key != "embassy" {
		t.Fatalf("Sites() = %+v, %v; want un then embassy", sites, err)
	}
}

func testSiteRejectsBadInput(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustSite(t, s, newSite("un", "un.example.org"))

	dupHost := newSite("other", "UN.example.org")
	if _, err := s.CreateSite(ctx, dupHost); !errors.Is(err, content.ErrConflict) {
		t.Fatalf("duplicate host: error = %v; want ErrConflict", err)
	}
	dupKey := newSite("un", "other.example.org")
	if _, err := s.CreateSite(ctx, dupKey); !errors.Is(err, content.ErrConflict) {
		t.Fatalf("duplicate key: error = %v; want ErrConflict", err)
	}
	badZone := newSite("zone", "zone.example.org")
	badZone.TimeZone = "Mars/Olympus_Mons"
	_, err := s.CreateSite(ctx, badZone)
	wantValidation(t, err, "time_zone")
	badLang := newSite("lang", "lang.example.org")
	badLang.Languages = []string{"en", "xx"}
	_, err = s.CreateSite(ctx, badLang)
	wantValidation(t, err, "languages")

	// A failed create writes nothing, not even part of the site, when run
	// in a transaction as the command line does.
	err = s.InTx(ctx, func(q store.Queries) error {
		_, err := q.CreateSite(ctx, newSite("half", "un.example.org"))
		return err
	})
	if !errors.Is(err, content.ErrConflict) {
		t.Fatalf("duplicate host in transaction: error = %v; want ErrConflict", err)
	}
	sites, err := s.Sites(ctx)
	if err != nil || len(sites) != 1 {
		t.Fatalf("after refused writes, Sites() = %+v, %v; want only the first site", sites, err)
	}
	if _, err := s.SiteByKey(ctx, "half"); !errors.Is(err, content.ErrNotFound) {
		t.Fatalf("refused site was stored: %v", err)
	}
}

func testSiteUpdate(t *testing.T, s store.Store) {
	ctx := context.Background()
	site := mustSite(t, s, newSite("un", "un.example.org"))
	sec := mustSection(t, s, section(site.ID, 0, 1, "news", "xw"))
	// 02:30 UTC on 1 June is 22:30 on 31 May in New York and 14:30 on 1 June in Auckland.
	a := mustArticle(t, s, article(site, sec, "en", "Late Statement", time.Date(2024, 6, 1, 2, 30, 0, 0, time.UTC)))

	site.Hosts = []string{"un.example.org", "mission.example.org"}
	site.Names["en"] = "Renamed Mission"
	site.TimeZone = "Pacific/Auckland"
	site.FeedSummary = true
	if err := s.UpdateSite(ctx, site); err != nil {
		t.Fatalf("UpdateSite: %v", err)
	}
	got, err := s.SiteByHost(ctx, "mission.example.org")
	if err != nil || got.Name("en") != "Renamed Mission" || got.TimeZone != "Pacific/Auckland" || !got.FeedSummary {
		t.Fatalf("after update SiteByHost = %+v, %v", got, err)
	}
	may := store.ArticleQuery{SiteID: site.ID, Month: 202405}
	june := store.ArticleQuery{SiteID: site.ID, Month: 202406}
	if n, _ := s.CountArticles(ctx, june); n != 1 {
		t.Fatalf("after moving the site to Auckland, June holds %d articles; want 1", n)
	}
	if n, _ := s.CountArticles(ctx, may); n != 0 {
		t.Fatalf("after moving the site to Auckland, May holds %d articles; want 0", n)
	}
	again, err := s.Article(ctx, a.ID)
	if err != nil || again.Path != a.Path {
		t.Fatalf("a time zone change moved the article from %s to %s (%v)", a.Path, again.Path, err)
	}

	site.Languages = append(site.Languages, "fr")
	site.Names["fr"] = "Mission de l'Exemple"
	if err := s.UpdateSite(ctx, site); err != nil {
		t.Fatalf("UpdateSite adding fr: %v", err)
	}
	sections, err := s.Sections(ctx, site.ID)
	if err != nil || len(sections) != 1 || sections[0].Names["fr"] != "news" || sections[0].Slugs["fr"] != "news" {
		t.Fatalf("after adding fr, sections = %+v, %v; want the English name and slug copied", sections, err)
	}
	sections[0].Names["fr"] = "Actualités"
	if err := s.UpdateSection(ctx, sections[0]); err != nil {
		t.Fatalf("naming the section in fr: %v", err)
	}

	other := mustSite(t, s, newSite("embassy", "embassy.example.org"))
	other.Hosts = []string{"un.example.org"}
	if err := s.UpdateSite(ctx, other); !errors.Is(err, content.ErrConflict) {
		t.Fatalf("UpdateSite taking another site's host: %v; want ErrConflict", err)
	}
}

func testSectionTree(t *testing.T, s store.Store) {
	ctx := context.Background()
	site := mustSite(t, s, newSite("un", "un.example.org"))
	about := mustSection(t, s, section(site.ID, 0, 2, "about", "gy"))
	meetings := mustSection(t, s, section(site.ID, 0, 1, "meetings", "hy"))
	council := mustSection(t, s, section(site.ID, meetings.ID, 1, "security-council", "alh"))
	debates := mustSection(t, s, section(site.ID, council.ID, 1, "open-debates", "gkbl"))
	hidden := section(site.ID, 0, 3, "archive", "gd")
	hidden.InNav = false
	mustSection(t, s, hidden)

	sections, err := s.Sections(ctx, site.ID)
	if err != nil || len(sections) != 5 {
		t.Fatalf("Sections = %d, %v; want 5", len(sections), err)
	}
	tree := content.NewTree(sections)
	nav := tree.Nav()
	if len(nav) != 2 || nav[0].ID != meetings.ID || nav[1].ID != about.ID {
		t.Fatalf("Nav() = %+v; want meetings, about", nav)
	}
	if got := content.SectionPath("zh", tree.Slugs(debates.ID, "zh")); got != "/zh/hy/alh/gkbl/" {
		t.Fatalf("debates path in zh = %s", got)
	}
	found, used, ok := tree.Find("en", []string{"meetings", "security-council", "2024"})
	if !ok || used != 2 || found.ID != council.ID {
		t.Fatalf("Find = %v, %d, %v; want security council after 2 segments", found, used, ok)
	}
	if sub := tree.Subtree(meetings.ID); len(sub) != 3 {
		t.Fatalf("Subtree(meetings) = %v; want 3 sections", sub)
	}

	debates.Names["en"] = "Debates"
	debates.ParentID = meetings.ID
	if err := s.UpdateSection(ctx, debates); err != nil {
		t.Fatalf("UpdateSection: %v", err)
	}
	sections, _ = s.Sections(ctx, site.ID)
	tree = content.NewTree(sections)
	moved, _ := tree.Section(debates.ID)
	if moved.Names["en"] != "Debates" || moved.ParentID != meetings.ID {
		t.Fatalf("after update, section = %+v", moved)
	}
	meetings.ParentID = debates.ID
	_, err = s.Sections(ctx, site.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantValidation(t, s.UpdateSection(ctx, meetings), "parent")
}

func testSectionRejectsBadInput(t *testing.T, s store.Store) {
	ctx := context.Background()
	site := mustSite(t, s, newSite("un", "un.example.org"))
	other := mustSite(t, s, newSite("embassy", "embassy.example.org"))
	mustSection(t, s, section(site.ID, 0, 1, "news", "xw"))

	if _, err := s.CreateSection(ctx, section(site.ID, 0, 2, "news", "xw2")); !errors.Is(err, content.ErrConflict) {
		t.Fatalf("sibling slug taken: error = %v; want ErrConflict", err)
	}
	foreign := mustSection(t, s, section(other.ID, 0, 1, "events", "hd"))
	_, err := s.CreateSection(ctx, section(site.ID, foreign.ID, 1, "child", "zj"))
	wantValidation(t, err, "parent")
	_, err = s.CreateSection(ctx, section(site.ID, 0, 1, "page", "fy"))
	wantValidation(t, err, "slugs")
	_, err = s.CreateSection(ctx, section(site.ID, 0, 1, "2024", "nian"))
	wantValidation(t, err, "slugs")
	noZh := section(site.ID, 0, 1, "docs", "")
	_, err = s.CreateSection(ctx, noZh)
	wantValidation(t, err, "slugs")
	if sections, _ := s.Sections(ctx, site.ID); len(sections) != 1 {
		t.Fatalf("refused sections were stored: %d sections", len(sections))
	}
}

func testArticleAddress(t *testing.T, s store.Store) {
	ctx := context.Background()
	site := mustSite(t, s, newSite("un", "un.example.org"))
	meetings := mustSection(t, s, section(site.ID, 0, 1, "meetings", "hy"))
	council := mustSection(t, s, section(site.ID, meetings.ID, 1, "security-council", "alh"))
	// 03:45 UTC on 1 July 2024 is 23:45 on 30 June in New York: the
	// address and the month archive follow the site's zone.
	at := time.Date(2024, 7, 1, 3, 45, 0, 0, time.UTC)
	en := mustArticle(t, s, article(site, council, "en", "Statement by Ambassador Ló on Water Security", at))
	if en.Slug != "statement-by-ambassador-lo-on-water-security" {
		t.Fatalf("slug = %q", en.Slug)
	}
	if want := "/en/meetings/security-council/2024/06/statement-by-ambassador-lo-on-water-security"; en.Path != want {
		t.Fatalf("path = %q; want %q", en.Path, want)
	}
	zh := mustArticle(t, s, article(site, council, "zh", "大使在水安全问题公开辩论会上的发言", at))
	if want := "/zh/hy/alh/2024/06/" + content.IDSlug(zh.ID); zh.Path != want || zh.Slug != content.IDSlug(zh.ID) {
		t.Fatalf("Chinese article: slug %q path %q; want id-based %q", zh.Slug, zh.Path, want)
	}
	got, err := s.ArticleByPath(ctx, site.ID, en.Path)
	if err != nil || got.ID != en.ID || got.Body != en.Body || got.BodyHTML != en.BodyHTML || !got.PublishedAt.Equal(at) {
		t.Fatalf("ArticleByPath = %+v, %v", got, err)
	}
	if _, err := s.ArticleByPath(ctx, site.ID, "/en/nothing/here"); !errors.Is(err, content.ErrNotFound) {
		t.Fatalf("ArticleByPath(unknown) = %v; want ErrNotFound", err)
	}
	// The same title in the same month gets a free address, not a clash.
	again := mustArticle(t, s, article(site, council, "en", "Statement by Ambassador Ló on Water Security", at.Add(-time.Hour)))
	if again.Path != en.Path+"-2" {
		t.Fatalf("second article with the same title: path %q; want %q", again.Path, en.Path+"-2")
	}
	draft := article(site, council, "en", "Draft Remarks", time.Time{})
	draft.Status = content.StatusDraft
	draft = mustArticle(t, s, draft)
	if draft.Path != "" {
		t.Fatalf("a draft got the public address %q", draft.Path)
	}
}

func testArticleAddressNeverMoves(t *testing.T, s store.Store) {
	ctx := context.Background()
	site := mustSite(t, s, newSite("un", "un.example.org"))
	news := mustSection(t, s, section(site.ID, 0, 1, "news", "xw"))
	docs := mustSection(t, s, section(site.ID, 0, 2, "documents", "wj"))
	a := mustArticle(t, s, article(site, news, "en", "Original Title", time.Date(2023, 3, 5, 12, 0, 0, 0, time.UTC)))

	a.Title = "A Corrected Title"
	a.SectionID = docs.ID
	a.PublishedAt = a.PublishedAt.AddDate(1, 0, 0)
	a.Body = "Corrected body."
	if err := s.UpdateArticle(ctx, a); err != nil {
		t.Fatalf("UpdateArticle: %v", err)
	}
	got, err := s.Article(ctx, a.ID)
	if err != nil || got.Path != "/en/news/2023/03/original-title" || got.Title != "A Corrected Title" || got.Body != "Corrected body." {
		t.Fatalf("after edit: %+v, %v; the address must stay /en/news/2023/03/original-title", got, err)
	}
	if !got.UpdatedAt.After(got.CreatedAt) && !got.UpdatedAt.Equal(got.CreatedAt) {
		t.Fatalf("UpdatedAt %v before CreatedAt %v", got.UpdatedAt, got.CreatedAt)
	}
	got.Path = "/en/news/2023/03/somewhere-else"
	if err := s.UpdateArticle(ctx, got); !errors.Is(err, content.ErrConflict) {
		t.Fatalf("changing a published address: %v; want ErrConflict", err)
	}
	got.Status = content.StatusWithdrawn
	got.Path = ""
	if err := s.UpdateArticle(ctx, got); err != nil {
		t.Fatalf("withdraw: %v", err)
	}
	if w, err := s.ArticleByPath(ctx, site.ID, "/en/news/2023/03/original-title"); err != nil || w.Status != content.StatusWithdrawn {
		t.Fatalf("a withdrawn article must keep its address: %+v, %v", w, err)
	}
}

func testArticleTranslations(t *testing.T, s store.Store) {
	ctx := context.Background()
	site := mustSite(t, s, newSite("un", "un.example.org"))
	other := mustSite(t, s, newSite("embassy", "embassy.example.org"))
	news := mustSection(t, s, section(site.ID, 0, 1, "news", "xw"))
	otherNews := mustSection(t, s, section(other.ID, 0, 1, "news", "xw"))
	at := time.Date(2022, 1, 10, 9, 0, 0, 0, time.UTC)
	en := mustArticle(t, s, article(site, news, "en", "Ambassador Presents Credentials", at))
	if en.TranslationGroup != en.ID {
		t.Fatalf("first version's group = %d; want its own ID %d", en.TranslationGroup, en.ID)
	}
	zhIn := article(site, news, "zh", "大使递交国书", at)
	zhIn.TranslationGroup = en.ID
	zh := mustArticle(t, s, zhIn)
	versions, err := s.Translations(ctx, en.TranslationGroup)
	if err != nil || len(versions) != 2 || versions[0].ID != en.ID || versions[1].ID != zh.ID {
		t.Fatalf("Translations = %+v, %v; want en and zh", versions, err)
	}
	second := article(site, news, "zh", "第二个中文版本", at)
	second.TranslationGroup = en.ID
	if _, err := s.CreateArticle(ctx, second); !errors.Is(err, content.ErrConflict) {
		t.Fatalf("a second zh version in one group: %v; want ErrConflict", err)
	}
	foreign := article(other, otherNews, "zh", "别的网站", at)
	foreign.TranslationGroup = en.ID
	_, err = s.CreateArticle(ctx, foreign)
	wantValidation(t, err, "translation_group")
}

func testArticleListing(t *testing.T, s store.Store) {
	ctx := context.Background()
	site := mustSite(t, s, newSite("un", "un.example.org"))
	news := mustSection(t, s, section(site.ID, 0, 1, "news", "xw"))
	docs := mustSection(t, s, section(site.ID, 0, 2, "documents", "wj"))
	base := time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC)
	for i := range 25 {
		sec := news
		if i%5 == 0 {
			sec = docs
		}
		mustArticle(t, s, article(site, sec, "en", "Item "+string(rune('A'+i)), base.AddDate(0, i/10, i)))
	}
	future := mustArticle(t, s, article(site, news, "en", "Not Yet", base.AddDate(5, 0, 0)))
	draft := article(site, news, "en", "A Draft", base)
	draft.Status = content.StatusDraft
	mustArticle(t, s, draft)
	zh := mustArticle(t, s, article(site, news, "zh", "中文条目", base))

	now := base.AddDate(1, 0, 0)
	q := store.Published(site.ID, "en", now)
	if n, err := s.CountArticles(ctx, q); err != nil || n != 25 {
		t.Fatalf("CountArticles(published en) = %d, %v; want 25", n, err)
	}
	q.Limit, q.Offset = 20, 0
	page1, err := s.Articles(ctx, q)
	if err != nil || len(page1) != 20 {
		t.Fatalf("page 1 = %d articles, %v", len(page1), err)
	}
	for i := 1; i < len(page1); i++ {
		if page1[i].PublishedAt.After(page1[i-1].PublishedAt) {
			t.Fatalf("listing not newest first at %d", i)
		}
	}
	if page1[0].Body != "" || page1[0].Summary == "" {
		t.Fatalf("listing rows carry body %q / summary %q; want no body, a summary", page1[0].Body, page1[0].Summary)
	}
	for _, a := range page1 {
		if a.ID == future.ID {
			t.Fatal("an article published in the future was listed")
		}
	}
	q.Offset = 20
	page2, _ := s.Articles(ctx, q)
	if len(page2) != 5 {
		t.Fatalf("page 2 = %d articles; want 5", len(page2))
	}
	inDocs := store.Published(site.ID, "en", now)
	inDocs.SectionIDs = []int64{docs.ID}
	if n, _ := s.CountArticles(ctx, inDocs); n != 5 {
		t.Fatalf("documents holds %d; want 5", n)
	}
	months, err := s.ArticleMonths(ctx, store.Published(site.ID, "en", now))
	if err != nil || len(months) == 0 || months[0].Key() < months[len(months)-1].Key() {
		t.Fatalf("ArticleMonths = %+v, %v; want newest first", months, err)
	}
	total := 0
	for _, m := range months {
		total += m.Count
		mq := store.Published(site.ID, "en", now)
		mq.Month = m.Key()
		if n, _ := s.CountArticles(ctx, mq); n != m.Count {
			t.Fatalf("month %d: ArticleMonths says %d, CountArticles %d", m.Key(), m.Count, n)
		}
	}
	if total != 25 {
		t.Fatalf("months add up to %d; want 25", total)
	}
	for year, want := range map[int]int{2024: 0, 2025: 25, 2030: 0} {
		yq := store.Published(site.ID, "en", now)
		yq.Year = year
		if n, err := s.CountArticles(ctx, yq); err != nil || n != want {
			t.Errorf("CountArticles(year %d) = %d, %v; want %d", year, n, err, want)
		}
	}
	groups, err := s.Articles(ctx, store.ArticleQuery{SiteID: site.ID, Groups: []int64{zh.TranslationGroup, page1[0].TranslationGroup}, WithBody: true})
	if err != nil || len(groups) != 2 || groups[0].BodyHTML == "" {
		t.Fatalf("Articles(two groups) = %d articles, %v; want 2", len(groups), err)
	}
}

func testArticleRejectsBadInput(t *testing.T, s store.Store) {
	ctx := context.Background()
	site := mustSite(t, s, newSite("un", "un.example.org"))
	other := mustSite(t, s, newSite("embassy", "embassy.example.org"))
	news := mustSection(t, s, section(site.ID, 0, 1, "news", "xw"))
	otherNews := mustSection(t, s, section(other.ID, 0, 1, "news", "xw"))
	at := time.Date(2022, 1, 10, 9, 0, 0, 0, time.UTC)

	cases := map[string]struct {
		change func(*content.Article)
		field  string
	}{
		"empty title":        {func(a *content.Article) { a.Title = "  " }, "title"},
		"foreign language":   {func(a *content.Article) { a.Language = "fr" }, "language"},
		"unknown kind":       {func(a *content.Article) { a.Kind = "gossip" }, "kind"},
		"unknown status":     {func(a *content.Article) { a.Status = "lost" }, "status"},
		"other site section": {func(a *content.Article) { a.SectionID = otherNews.ID }, "section"},
		"published, no time": {func(a *content.Article) { a.PublishedAt = time.Time{} }, "published_at"},
		"slug with spaces":   {func(a *content.Article) { a.Slug = "my slug" }, "slug"},
		"missing section":    {func(a *content.Article) { a.SectionID = 424242 }, "section"},
	}
	for name, c := range cases {
		a := article(site, news, "en", "Fine Title", at)
		c.change(&a)
		_, err := s.CreateArticle(ctx, a)
		if err == nil {
			t.Fatalf("%s: accepted", name)
		}
		wantValidation(t, err, c.field)
	}
	if n, _ := s.CountArticles(ctx, store.ArticleQuery{}); n != 0 {
		t.Fatalf("refused articles were stored: %d", n)
	}
	if _, err := s.Article(ctx, 1); !errors.Is(err, content.ErrNotFound) {
		t.Fatalf("Article(1) = %v; want ErrNotFound", err)
	}
}

func testTransactionRollsBack(t *testing.T, s store.Store) {
	ctx := context.Background()
	boom := errors.New("boom")
	err := s.InTx(ctx, func(q store.Queries) error {
		site, err := q.CreateSite(ctx, newSite("un", "un.example.org"))
		if err != nil {
			return err
		}
		if _, err := q.CreateSection(ctx, section(site.ID, 0, 1, "news", "xw")); err != nil {
			return err
		}
		if got, err := q.SiteByKey(ctx, "un"); err != nil || got.ID != site.ID {
			t.Errorf("inside the transaction the new site is not visible: %v", err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx returned %v; want the function's error", err)
	}
	if empty, err := s.Empty(ctx); err != nil || !empty {
		t.Fatalf("after rollback Empty() = %v, %v; want true", empty, err)
	}
	err = s.InTx(ctx, func(q store.Queries) error {
		_, err := q.CreateSite(ctx, newSite("un", "un.example.org"))
		return err
	})
	if err != nil {
		t.Fatalf("commit: %v", err)
	}
	if _, err := s.SiteByKey(ctx, "un"); err != nil {
		t.Fatalf("committed site missing: %v", err)
	}
}

// searchIDs runs a query and returns the IDs found, in order.
func searchIDs(t *testing.T, s store.Queries, q store.SearchQuery) []int64 {
	t.Helper()
	res, err := s.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%q): %v", q.Query.FTS5(), err)
	}
	ids := make([]int64, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
		if h.BodyHTML == "" {
			t.Errorf("hit %d carries no BodyHTML for its snippet", h.ID)
		}
	}
	if res.Total < len(ids) || res.More {
		t.Fatalf("Total %d (more: %v) for %d hits", res.Total, res.More, len(ids))
	}
	return ids
}

func testSearchFollowsPublishing(t *testing.T, s store.Store) {
	ctx := context.Background()
	site := mustSite(t, s, newSite("un", "un.example.org"))
	news := mustSection(t, s, section(site.ID, 0, 1, "news", "xw"))
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	q := func(words string) store.SearchQuery {
		return store.SearchQuery{Query: search.Parse(words), SiteID: site.ID, Now: now}
	}
	a := article(site, news, "en", "Cooperation on Maritime Security", now.AddDate(0, -1, 0))
	a.BodyHTML = "<p>The Ambassador spoke about fisheries.</p>"
	a = mustArticle(t, s, a)
	zh := article(site, news, "zh", "关于海上安全合作的声明", now.AddDate(0, -1, 0))
	zh.BodyHTML = "<p>大使谈到伊朗和渔业问题。</p>"
	zh.TranslationGroup = a.ID
	zh = mustArticle(t, s, zh)

	for _, words := range []string{"cooperate", "maritime security", "fisheries", `"maritime security"`} {
		if got := searchIDs(t, s, q(words)); len(got) != 1 || got[0] != a.ID {
			t.Errorf("search %q = %v; want the published article %d", words, got, a.ID)
		}
	}
	for _, words := range []string{"伊朗", "海上安全", "渔业"} {
		if got := searchIDs(t, s, q(words)); len(got) != 1 || got[0] != zh.ID {
			t.Errorf("search %q = %v; want the Chinese article %d", words, got, zh.ID)
		}
	}
	if got := searchIDs(t, s, q("maritime -fisheries")); len(got) != 0 {
		t.Errorf("an excluded word still found %v", got)
	}

	// A withdrawn article leaves the index in the same write.
	a.Status = content.StatusWithdrawn
	if err := s.UpdateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, s, q("maritime")); len(got) != 0 {
		t.Errorf("a withdrawn article is still found: %v", got)
	}
	// Drafts are never found; an edit of a published article is found by
	// its new words only.
	draft := article(site, news, "en", "Draft on Maritime Matters", time.Time{})
	draft.Status = content.StatusDraft
	mustArticle(t, s, draft)
	if got := searchIDs(t, s, q("maritime")); len(got) != 0 {
		t.Errorf("a draft is found: %v", got)
	}
	zh.Title = "关于气候变化的声明"
	if err := s.UpdateArticle(ctx, zh); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, s, q("海上安全")); len(got) != 0 {
		t.Errorf("the old title is still found: %v", got)
	}
	if got := searchIDs(t, s, q("气候变化")); len(got) != 1 {
		t.Errorf("the new title is not found: %v", got)
	}
	// An article published for a later time is found once that time comes.
	later := mustArticle(t, s, article(site, news, "en", "Scheduled Remarks on Oceans", now.Add(time.Hour)))
	if got := searchIDs(t, s, q("oceans")); len(got) != 0 {
		t.Errorf("an article of the future is found: %v", got)
	}
	afterwards := q("oceans")
	afterwards.Now = now.Add(2 * time.Hour)
	if got := searchIDs(t, s, afterwards); len(got) != 1 || got[0] != later.ID {
		t.Errorf("an article is not found once its time has come: %v", got)
	}
	// A failed transaction leaves the index as it was.
	boom := errors.New("boom")
	err := s.InTx(ctx, func(tx store.Queries) error {
		if _, err := tx.CreateArticle(ctx, article(site, news, "en", "Rolled Back Statement on Glaciers", now.AddDate(0, 0, -1))); err != nil {
			return err
		}
		if got := searchIDs(t, tx, q("glaciers")); len(got) != 1 {
			t.Errorf("inside the transaction the new article is not found: %v", got)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if got := searchIDs(t, s, q("glaciers")); len(got) != 0 {
		t.Errorf("a rolled-back article is found: %v", got)
	}
}

func testSearchFilters(t *testing.T, s store.Store) {
	site := mustSite(t, s, newSite("un", "un.example.org"))
	other := mustSite(t, s, newSite("embassy", "embassy.example.org"))
	news := mustSection(t, s, section(site.ID, 0, 1, "news", "xw"))
	docs := mustSection(t, s, section(site.ID, 0, 2, "documents", "wj"))
	otherNews := mustSection(t, s, section(other.ID, 0, 1, "news", "xw"))
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	mk := func(site content.Site, sec content.Section, lang, title string, at time.Time, kind content.Kind) content.Article {
		a := article(site, sec, lang, title, at)
		a.Kind = kind
		return mustArticle(t, s, a)
	}
	old := mk(site, news, "en", "Water Security Briefing", time.Date(2020, 1, 10, 0, 0, 0, 0, time.UTC), content.KindNews)
	recent := mk(site, docs, "en", "Position Paper on Water", time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), content.KindDocument)
	titleOnly := mk(site, news, "en", "Glaciers and Water", time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC), content.KindNews)
	mk(site, news, "zh", "水 water 中文", time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC), content.KindNews)
	mk(other, otherNews, "en", "Water at the Embassy", time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC), content.KindNews)

	base := store.SearchQuery{Query: search.Parse("water"), SiteID: site.ID, Language: "en", Now: now}
	if got := searchIDs(t, s, base); len(got) != 3 {
		t.Fatalf("water in un/en = %v; want 3 (not the other site's, not Chinese)", got)
	}
	all := base
	all.Language = ""
	if got := searchIDs(t, s, all); len(got) != 4 {
		t.Fatalf("water in every language = %v; want 4", got)
	}
	bySection := base
	bySection.SectionIDs = []int64{docs.ID}
	if got := searchIDs(t, s, bySection); len(got) != 1 || got[0] != recent.ID {
		t.Fatalf("section filter = %v", got)
	}
	byKind := base
	byKind.Kind = content.KindNews
	if got := searchIDs(t, s, byKind); len(got) != 2 {
		t.Fatalf("kind filter = %v", got)
	}
	byDate := base
	byDate.From, byDate.To = time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := searchIDs(t, s, byDate); len(got) != 1 || got[0] != titleOnly.ID {
		t.Fatalf("date filter = %v", got)
	}
	newest := base
	newest.ByDate = true
	if got := searchIDs(t, s, newest); got[0] != recent.ID || got[2] != old.ID {
		t.Fatalf("newest first = %v", got)
	}
	paged := base
	paged.Limit, paged.Offset = 2, 2
	res, err := s.Search(context.Background(), paged)
	if err != nil || len(res.Hits) != 1 || res.Total != 3 {
		t.Fatalf("page 2 of 2 = %d hits of %d, %v", len(res.Hits), res.Total, err)
	}
	// A title match outranks a body-only match.
	report := article(site, docs, "en", "Annual Report", time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC))
	report.BodyHTML = "<p>Glaciers, glaciers and more glaciers retreat.</p>"
	mustArticle(t, s, report)
	ranked := base
	ranked.Query = search.Parse("glaciers")
	if got := searchIDs(t, s, ranked); len(got) < 1 || got[0] != titleOnly.ID {
		t.Fatalf("glaciers = %v; want the title match first", got)
	}
	empty := base
	empty.Query = search.Parse("-water")
	if got := searchIDs(t, s, empty); len(got) != 0 {
		t.Fatalf("a query of exclusions only found %v", got)
	}
}

func testReindex(t *testing.T, s store.Store) {
	ctx := context.Background()
	site := mustSite(t, s, newSite("un", "un.example.org"))
	news := mustSection(t, s, section(site.ID, 0, 1, "news", "xw"))
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, title := range []string{"Statement on Oceans", "Statement on Forests", "Remarks on Deserts"} {
		mustArticle(t, s, article(site, news, "en", title, now.AddDate(0, 0, -1)))
	}
	draft := article(site, news, "en", "Draft on Oceans", time.Time{})
	draft.Status = content.StatusDraft
	mustArticle(t, s, draft)
	var calls int
	stats, err := s.Reindex(ctx, func(done, total int) {
		calls++
		if done > total || total != 3 {
			t.Errorf("progress %d of %d; want a total of 3", done, total)
		}
	})
	if err != nil || stats.Articles != 3 || stats.TextBytes == 0 || stats.IndexBytes == 0 || calls == 0 {
		t.Fatalf("Reindex = %+v, %v after %d progress calls", stats, err, calls)
	}
	q := store.SearchQuery{Query: search.Parse("statement"), SiteID: site.ID, Now: now}
	if got := searchIDs(t, s, q); len(got) != 2 {
		t.Fatalf("after reindex, statement = %v; want 2", got)
	}
	q.Query = search.Parse("oceans")
	if got := searchIDs(t, s, q); len(got) != 1 {
		t.Fatalf("after reindex, oceans = %v; want the published one only", got)
	}
}

// testSearchFollowsEdits changes an article's time, kind and section and
// checks that the filters see the change and the article is found once.
func testSearchFollowsEdits(t *testing.T, s store.Store) {
	ctx := context.Background()
	site := mustSite(t, s, newSite("un", "un.example.org"))
	news := mustSection(t, s, section(site.ID, 0, 1, "news", "xw"))
	docs := mustSection(t, s, section(site.ID, 0, 2, "documents", "wj"))
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	a := mustArticle(t, s, article(site, news, "en", "Remarks on Fisheries", time.Date(2020, 5, 5, 0, 0, 0, 0, time.UTC)))
	mustArticle(t, s, article(site, news, "en", "Other Fisheries Remarks", time.Date(2020, 5, 5, 0, 0, 0, 0, time.UTC)))

	a.PublishedAt = time.Date(2024, 2, 2, 0, 0, 0, 0, time.UTC)
	a.Kind = content.KindDocument
	a.SectionID = docs.ID
	if err := s.UpdateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	q := store.SearchQuery{Query: search.Parse("fisheries"), SiteID: site.ID, Now: now}
	if got := searchIDs(t, s, q); len(got) != 2 {
		t.Fatalf("after the edit, fisheries = %v; want both articles once each", got)
	}
	checks := map[string]func(*store.SearchQuery){
		"new date":    func(q *store.SearchQuery) { q.From, q.To = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), now },
		"new kind":    func(q *store.SearchQuery) { q.Kind = content.KindDocument },
		"new section": func(q *store.SearchQuery) { q.SectionIDs = []int64{docs.ID} },
	}
	for name, change := range checks {
		fq := q
		change(&fq)
		if got := searchIDs(t, s, fq); len(got) != 1 || got[0] != a.ID {
			t.Errorf("%s: %v; want the edited article only", name, got)
		}
	}
	old := q
	old.From, old.To = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := searchIDs(t, s, old); len(got) != 1 || got[0] == a.ID {
		t.Errorf("the old date still finds the edited article: %v", got)
	}
}
