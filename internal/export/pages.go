package export

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"chancery/internal/content"
	"chancery/internal/site"
	"chancery/internal/store"
)

// entry is one address of the export and the file that holds it.
type entry struct {
	// address is the public address: "/en/", "/en/feed.xml".
	address string
	// request is the path asked of the handler; it differs from address
	// only for the not-found pages.
	request string
	// status is the status the handler must answer.
	status int
	// file is the path below the export's root, with the OS separator.
	file string
}

// fileFor maps an address to its file: an address ending in "/" is a
// directory with index.html, any other one is the file of that name.
func fileFor(address string) string {
	p := strings.TrimPrefix(address, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	return filepath.FromSlash(p)
}

func page(address string) entry {
	return entry{address: address, request: address, status: http.StatusOK, file: fileFor(address)}
}

// notFoundProbe is a path segment no address of a site can have (section
// and article slugs have no dot), asked for to get a 404 page.
const notFoundProbe = ".chancery-export-404"

// feedFiles are the three feeds of a language and of every section.
var feedFiles = []string{"feed.xml", "atom.xml", "feed.json"}

// addresses lists every address of the site that the public handler
// answers without a reader's input, in every language: home, sections and
// their pages, year and month archives and their pages, articles (the
// withdrawn ones too: their address keeps answering), feeds, sitemaps,
// the OpenSearch description, robots.txt and the 404 pages. Search and
// the share form answer what a reader types and cannot be exported; theme
// assets are found in the rendered pages (see builder.assets). Stored
// files (images, documents) are exported at their addresses as they are.
func (b *builder) addresses(ctx context.Context) ([]entry, error) {
	s := b.o.Site
	sections, err := b.o.Store.Sections(ctx, s.ID)
	if err != nil {
		return nil, fmt.Errorf("read the sections of %s: %w", s.Key, err)
	}
	tree := content.NewTree(sections)
	list := []entry{page("/robots.txt"), page("/sitemap.xml"),
		{address: "/404.html", request: "/" + notFoundProbe, status: http.StatusNotFound, file: "404.html"}}
	files, err := b.o.Store.Imports().MediaList(ctx, s.ID)
	if err != nil {
		return nil, fmt.Errorf("list the files of %s: %w", s.Key, err)
	}
	for _, m := range files {
		list = append(list, page(m.Path()))
	}
	for _, lang := range s.Languages {
		base := "/" + lang + "/"
		list = append(list, page(base), page(base+"opensearch.xml"), page(base+"sitemap.xml"),
			entry{address: base + "404.html", request: base + notFoundProbe, status: http.StatusNotFound, file: fileFor(base + "404.html")})
		for _, f := range feedFiles {
			list = append(list, page(base+f))
		}
		months, err := b.o.Store.ArticleMonths(ctx, store.Published(s.ID, lang, b.now))
		if err != nil {
			return nil, fmt.Errorf("read the months of %s in %s: %w", s.Key, lang, err)
		}
		perYear := map[int]int{}
		for _, m := range months {
			perYear[m.Year] += m.Count
		}
		for _, year := range slices.Sorted(maps.Keys(perYear)) {
			for _, name := range site.SitemapFiles(year, perYear[year]) {
				list = append(list, page(base+name))
			}
		}
		var walk func(parent int64) error
		walk = func(parent int64) error {
			for _, sec := range tree.Children(parent) {
				more, err := b.sectionPages(ctx, tree, sec, lang)
				if err != nil {
					return err
				}
				list = append(list, more...)
				if err := walk(sec.ID); err != nil {
					return err
				}
			}
			return nil
		}
		if err := walk(0); err != nil {
			return nil, err
		}
		for _, status := range []content.Status{content.StatusPublished, content.StatusWithdrawn} {
			q := store.ArticleQuery{SiteID: s.ID, Language: lang, Status: status}
			if status == content.StatusPublished {
				q = store.Published(s.ID, lang, b.now)
			}
			articles, err := b.o.Store.Articles(ctx, q)
			if err != nil {
				return nil, fmt.Errorf("list the %s articles of %s in %s: %w", status, s.Key, lang, err)
			}
			for _, a := range articles {
				if a.Path != "" {
					list = append(list, page(a.Path))
				}
			}
		}
	}
	return list, nil
}

// sectionPages lists a section's addresses in lang: its listing and later
// pages, its year and month archives with their later pages, its feeds.
func (b *builder) sectionPages(ctx context.Context, tree content.Tree, sec content.Section, lang string) ([]entry, error) {
	base := content.SectionPath(lang, tree.Slugs(sec.ID, lang))
	q := store.Published(b.o.Site.ID, lang, b.now)
	q.SectionIDs = tree.Subtree(sec.ID)
	total, err := b.o.Store.CountArticles(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("count the articles of %s: %w", base, err)
	}
	months, err := b.o.Store.ArticleMonths(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read the months of %s: %w", base, err)
	}
	list := paged(base, total)
	for _, f := range feedFiles {
		list = append(list, page(base+f))
	}
	lastYear := 0
	for _, m := range months {
		if m.Year != lastYear {
			list = append(list, page(fmt.Sprintf("%s%04d/", base, m.Year)))
			lastYear = m.Year
		}
		list = append(list, paged(fmt.Sprintf("%s%04d/%02d/", base, m.Year, m.Month), m.Count)...)
	}
	return list, nil
}

// paged lists a listing's first page and its later pages for count
// entries.
func paged(base string, count int) []entry {
	list := []entry{page(base)}
	for n := 2; n <= (count+site.PageSize-1)/site.PageSize; n++ {
		list = append(list, page(base+"page/"+strconv.Itoa(n)+"/"))
	}
	return list
}
