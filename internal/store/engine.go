package store

import (
	"fmt"
	"io/fs"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"chancery/internal/content"
	"chancery/internal/search"
)

// What follows is shared by the engines: the rules they must apply the
// same way, whatever their SQL. Engines call these; features do not.

// Migration is one numbered schema change of an engine.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// LoadMigrations reads an engine's migrations from migrations/*.sql in
// fsys. Their names start with their number; the numbers run 1, 2, 3…
func LoadMigrations(fsys fs.FS) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with its number", e.Name())
		}
		b, err := fs.ReadFile(fsys, "migrations/"+e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: e.Name(), SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", m.Name, i+1)
		}
	}
	return ms, nil
}

// RankWindow is how many matches of a search, newest first, an engine
// ranks by relevance. Narrow queries fit whole; broad ones are cut, so a
// search costs the same on any size of site.
const RankWindow = 300

// searchKeyScale leaves room under each publication second for an
// article's ID modulo a million.
const searchKeyScale = 1_000_000

// SearchKey orders the search index by publication time: the publication
// second times a million plus the article's ID modulo a million. A date
// range is then a key range.
func SearchKey(published time.Time, id int64) int64 {
	return published.Unix()*searchKeyScale + id%searchKeyScale
}

// FreeSearchKey returns the search key for an article published at a
// time: old, when it is already a key of that second, else the first key
// of the second, from SearchKey on, that holder says no other article has.
// holder returns the ID of the article holding a key, or 0.
func FreeSearchKey(published time.Time, id int64, old int64, hasOld bool, holder func(key int64) (int64, error)) (int64, error) {
	second := published.Unix() * searchKeyScale
	if hasOld && old >= second && old < second+searchKeyScale {
		return old, nil
	}
	start := SearchKey(published, id)
	for k := start; ; {
		other, err := holder(k)
		if err != nil {
			return 0, fmt.Errorf("search key for article %d: %w", id, err)
		}
		if other == 0 || other == id {
			return k, nil
		}
		if k++; k == second+searchKeyScale {
			k = second
		}
		if k == start {
			return 0, fmt.Errorf("search key for article %d: a million articles are published in the same second", id)
		}
	}
}

// KeyRange turns a search's time filters into search keys, [lo, hi). The
// range keeps whole seconds: engines also compare the exact publication
// time with Now, as an article's page does.
func KeyRange(sq SearchQuery) (lo, hi int64) {
	lo, hi = -1<<62, (sq.Now.Unix()+1)*searchKeyScale
	if !sq.From.IsZero() {
		lo = max(lo, sq.From.Unix()*searchKeyScale)
	}
	if !sq.To.IsZero() {
		hi = min(hi, sq.To.Unix()*searchKeyScale)
	}
	return lo, hi
}

// FilterTag makes a filter token ("kindnews", "sec12"): letters and digits
// only, like every token, so it can sit in an index beside the words.
func FilterTag(kind, value string) string {
	var b strings.Builder
	b.WriteString(kind)
	for _, r := range strings.ToLower(value) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// SectionTag and KindTag are the filter tokens engines index and match.
func SectionTag(id int64) string       { return FilterTag("sec", strconv.FormatInt(id, 10)) }
func KindTag(kind content.Kind) string { return FilterTag("kind", string(kind)) }

// IndexDoc is what a search index holds for one article.
type IndexDoc struct {
	ArticleID int64
	// Key is the article's search key; engines fill it when they store
	// the document.
	Key int64
	// Title, Body and Tags are search.IndexText strings: tokens separated
	// by single spaces.
	Title, Body, Tags string
	// TextBytes is the size of the plain text indexed.
	TextBytes int
}

// NewIndexDoc tokenizes an article for the index.
func NewIndexDoc(a content.Article) IndexDoc {
	text := search.BodyText(a.Summary, a.BodyHTML)
	return IndexDoc{
		ArticleID: a.ID,
		Title:     search.IndexText(a.Title),
		Body:      search.IndexText(text),
		Tags:      KindTag(a.Kind) + " " + SectionTag(a.SectionID),
		TextBytes: len(a.Title) + len(text),
	}
}

// IndexDocs tokenizes articles on every core while the caller goes on,
// and delivers the documents, in order, on the channel.
func IndexDocs(arts []content.Article) <-chan []IndexDoc {
	ch := make(chan []IndexDoc, 1)
	go func() {
		out := make([]IndexDoc, len(arts))
		workers := max(1, runtime.NumCPU())
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < len(arts); i += workers {
					out[i] = NewIndexDoc(arts[i])
				}
			}()
		}
		wg.Wait()
		ch <- out
	}()
	return ch
}

// ReindexBatch is how many articles an engine's Reindex reads at a time.
const ReindexBatch = 500

// AssignPath gives a published or withdrawn article its permanent address,
// once, as both engines do: a given one (an old site's, kept by an
// import) must be free; otherwise the site's scheme makes one, which
// free turns into the first free variant ("-2", "-3"…). A scheme with the
// article's number waits for its ID. free answers whether an address is
// taken by another article of the site.
func AssignPath(site content.Site, tree content.Tree, a *content.Article, free func(base string) (string, error)) error {
	if !a.Public() {
		return nil
	}
	if a.Path != "" {
		got, err := free(a.Path)
		if err != nil {
			return err
		}
		if got != a.Path {
			return fmt.Errorf("address %s belongs to another article of the site: %w", a.Path, content.ErrConflict)
		}
		return nil
	}
	if a.Slug == "" || (a.ID == 0 && site.NeedsID()) {
		return nil
	}
	base := site.ArticleAddress(a.Language, tree.Slugs(a.SectionID, a.Language), a.PublishedAt.In(site.Location()), a.Slug, a.ID)
	path, err := free(base)
	if err != nil {
		return err
	}
	a.Path = path
	return nil
}
