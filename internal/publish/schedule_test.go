package publish_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/internal/content"
	"chancery/internal/publish"
	"chancery/internal/store"
	"chancery/internal/testdb"
)

// TestScheduledPublishing: an article published with a time still to come
// is scheduled, shown nowhere; when its time comes the scheduler publishes
// it and renders the pages it shows on; of several schedulers (processes)
// looking at once, one publishes it.
func TestScheduledPublishing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		w := newWorld(t, st)
		w.get(t, "/en/") // the home is in the page store
		draft := w.draft
		draft.PublishedAt = now.Add(90 * time.Minute) // 23:45 is due at 01:15 here; any future time will do
		if err := st.UpdateArticle(ctx, draft); err != nil {
			t.Fatal(err)
		}
		a, _, err := w.pub.Publish(ctx, draft.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != content.StatusScheduled || a.Path != "" {
			t.Fatalf("publishing for later: status %s, address %q; want scheduled, no address yet", a.Status, a.Path)
		}
		if _, home := w.get(t, "/en/"); strings.Contains(home, "Statement on Glaciers") {
			t.Fatal("the home shows a scheduled article before its time")
		}
		schedulers := []*publish.Scheduler{{Publisher: w.pub}, {Publisher: w.pub}, {Publisher: w.pub}}
		if n := schedulers[0].Once(ctx); n != 0 {
			t.Fatalf("published %d articles before their time", n)
		}

		w.clock = now.Add(90*time.Minute + 5*time.Second)
		var wg sync.WaitGroup
		for _, s := range schedulers {
			wg.Go(func() { s.Once(ctx) })
		}
		wg.Wait()
		total := int64(0)
		for _, s := range schedulers {
			total += s.Published()
		}
		if total != 1 {
			t.Fatalf("%d schedulers published the article; want exactly one", total)
		}
		got, err := st.Article(ctx, a.ID)
		if err != nil || got.Status != content.StatusPublished || got.Path == "" || !got.PublishedAt.Equal(draft.PublishedAt) {
			t.Fatalf("after its time: %+v, %v", got, err)
		}
		before := w.rendered.Load()
		if _, home := w.get(t, "/en/"); !strings.Contains(home, "Statement on Glaciers") {
			t.Error("the home does not show the article published on schedule")
		}
		if resp, _ := w.get(t, got.Path); resp.StatusCode != http.StatusOK {
			t.Errorf("the article's page: %d", resp.StatusCode)
		}
		if w.rendered.Load() != before {
			t.Error("the scheduler did not render the home and the article's page: readers had to")
		}
		if n := schedulers[0].Once(ctx); n != 0 {
			t.Errorf("published %d articles again", n)
		}
	})
}

// TestScheduledFailureWaits: an article whose publication fails (its
// language was taken from the site) is tried again later, doubling the
// wait, and holds up no other; with one article a read, the scheduler
// reads on past it.
func TestScheduledFailureWaits(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		w := newWorld(t, st)
		due := now.Add(time.Hour)
		schedule := func(lang, title string) content.Article {
			a, err := st.CreateArticle(ctx, content.Article{SiteID: w.site.ID, SectionID: w.news.ID, Language: lang, Kind: content.KindNews,
				Status: content.StatusDraft, Title: title, BodyHTML: "<p>" + title + "</p>", PublishedAt: due})
			if err != nil {
				t.Fatal(err)
			}
			if a, _, err = w.pub.Publish(ctx, a.ID); err != nil || a.Status != content.StatusScheduled {
				t.Fatalf("schedule %s: %s, %v", title, a.Status, err)
			}
			return a
		}
		stuck := schedule("zh", "不能发表")
		good := schedule("en", "Published All the Same")
		site := w.site
		site.Languages, site.Names = []string{"en"}, map[string]string{"en": site.Names["en"]}
		if err := st.UpdateSite(ctx, site); err != nil {
			t.Fatal(err)
		}
		w.clock = due.Add(5 * time.Second)
		s := &publish.Scheduler{Publisher: w.pub, Batch: 1}
		if n := s.Once(ctx); n != 1 {
			t.Fatalf("published %d; want the English article past the failing one", n)
		}
		if a, _ := st.Article(ctx, good.ID); a.Status != content.StatusPublished {
			t.Errorf("the later article is %s", a.Status)
		}
		if a, _ := st.Article(ctx, stuck.ID); a.Status != content.StatusScheduled {
			t.Errorf("the failing article is %s; want still scheduled", a.Status)
		}
		// Put right, it is published once its wait is over.
		site.Languages, site.Names = []string{"en", "zh"}, map[string]string{"en": site.Names["en"], "zh": "示例代表团"}
		if err := st.UpdateSite(ctx, site); err != nil {
			t.Fatal(err)
		}
		if n := s.Once(ctx); n != 0 {
			t.Errorf("published %d at once; want the failed article to wait", n)
		}
		w.clock = w.clock.Add(3 * time.Second)
		if n := s.Once(ctx); n != 1 {
			t.Errorf("published %d after the wait; want the article put right", n)
		}
	})
}
