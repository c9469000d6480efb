package site

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"chancery/internal/content"
	"chancery/internal/store"
	"chancery/internal/web"
)

// robots answers /robots.txt: everything may be crawled but the search
// results and the share forms, which are endless or private by nature;
// the sitemap index is named so crawlers find every article.
func (h *Handler) robots(w http.ResponseWriter, r *http.Request, s *content.Site) {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	if s == nil {
		b.WriteString("Allow: /\n")
	} else {
		for _, l := range s.Languages {
			b.WriteString("Disallow: /" + l + "/search/\nDisallow: /" + l + "/search.json\nDisallow: /" + l + "/share/\n")
		}
		b.WriteString("\nSitemap: " + h.origin(r, s.Hosts[0]) + "/sitemap.xml\n")
	}
	web.Write(w, r, web.Page{ContentType: "text/plain; charset=utf-8", Body: []byte(b.String()), CacheControl: "public, max-age=3600"})
}

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

type sitemapIndex struct {
	XMLName  xml.Name       `xml:"sitemapindex"`
	NS       string         `xml:"xmlns,attr"`
	Sitemaps []sitemapEntry `xml:"sitemap"`
}

type sitemapEntry struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type urlSet struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	XHTML   string       `xml:"xmlns:xhtml,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc        string         `xml:"loc"`
	LastMod    string         `xml:"lastmod,omitempty"`
	Alternates []xhtmlAltLink `xml:"xhtml:link"`
}

type xhtmlAltLink struct {
	Rel      string `xml:"rel,attr"`
	HrefLang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

func writeXML(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := xml.Marshal(v)
	if err != nil {
		return err
	}
	body = append([]byte(xml.Header), body...)
	web.Write(w, r, web.Page{ContentType: "application/xml; charset=utf-8", Body: body, CacheControl: "public, max-age=3600"})
	return nil
}

// lastMod is when an article last changed, as a sitemap date.
func lastMod(a content.Article) string {
	t := a.UpdatedAt
	if a.PublishedAt.After(t) {
		t = a.PublishedAt
	}
	return t.UTC().Format(time.RFC3339)
}

// sitemapSize is how many addresses one sitemap file lists at most: well
// under the protocol's 50,000 and 50 MB, so a file is cheap to build.
// Tests lower it.
var sitemapSize = 10000

// yearCount is how many articles a language published in a year.
type yearCount struct{ Year, Count int }

// years returns the years in which a language of the site has published
// articles, newest first, with their counts.
func (h *Handler) years(r *http.Request, siteID int64, lang string) ([]yearCount, error) {
	months, err := h.store.ArticleMonths(r.Context(), store.Published(siteID, lang, h.now()))
	if err != nil {
		return nil, err
	}
	var years []yearCount
	for _, m := range months {
		if len(years) == 0 || years[len(years)-1].Year != m.Year {
			years = append(years, yearCount{Year: m.Year})
		}
		years[len(years)-1].Count += m.Count
	}
	return years, nil
}

// SitemapFiles names the files of a year's sitemap in one language, for
// count articles: sitemap-2025.xml, then sitemap-2025-2.xml and on.
func SitemapFiles(year, count int) []string {
	var names []string
	for part := 1; part == 1 || (part-1)*sitemapSize < count; part++ {
		names = append(names, sitemapFileName(year, part))
	}
	return names
}

// sitemapFileName names part n (from 1) of a year's sitemap.
func sitemapFileName(year, part int) string {
	if part == 1 {
		return fmt.Sprintf("sitemap-%d.xml", year)
	}
	return fmt.Sprintf("sitemap-%d-%d.xml", year, part)
}

// sitemapIndex answers /sitemap.xml: for each language, the file of its
// home and sections and one file per year of articles, so that a year's
// file stops changing once the year is over.
func (h *Handler) sitemapIndex(w http.ResponseWriter, r *http.Request, s content.Site) error {
	o := h.origin(r, s.Hosts[0])
	idx := sitemapIndex{NS: sitemapNS}
	for _, l := range s.Languages {
		idx.Sitemaps = append(idx.Sitemaps, sitemapEntry{Loc: o + "/" + l + "/sitemap.xml"})
		years, err := h.years(r, s.ID, l)
		if err != nil {
			return err
		}
		for _, y := range years {
			for _, name := range SitemapFiles(y.Year, y.Count) {
				idx.Sitemaps = append(idx.Sitemaps, sitemapEntry{Loc: o + "/" + l + "/" + name})
			}
		}
	}
	return writeXML(w, r, idx)
}

// sitemapFile answers a language's sitemap.xml (year 0) or a part of a
// year's sitemap, newest articles first.
func (h *Handler) sitemapFile(w http.ResponseWriter, r *http.Request, sr siteRequest, year, part int) error {
	set := urlSet{NS: sitemapNS, XHTML: "http://www.w3.org/1999/xhtml"}
	alternates := func(addr map[string]string) []xhtmlAltLink {
		var links []xhtmlAltLink
		if len(addr) < 2 {
			return nil
		}
		for _, l := range sr.site.Languages {
			if u, ok := addr[l]; ok {
				links = append(links, xhtmlAltLink{Rel: "alternate", HrefLang: l, Href: sr.origin + u})
			}
		}
		return links
	}
	// newest is when a listing last changed: its newest article's time.
	newest := func(sections []int64) (string, error) {
		q := store.Published(sr.site.ID, sr.lang, h.now())
		q.SectionIDs, q.Limit = sections, 1
		list, err := h.store.Articles(r.Context(), q)
		if err != nil || len(list) == 0 {
			return "", err
		}
		return lastMod(list[0]), nil
	}
	if year == 0 {
		home := sitemapURL{Loc: sr.origin + homeOf(sr.lang), Alternates: alternates(everyLanguage(sr, homeOf))}
		var err error
		if home.LastMod, err = newest(nil); err != nil {
			return err
		}
		set.URLs = append(set.URLs, home)
		var walk func(parent int64) error
		walk = func(parent int64) error {
			for _, s := range sr.tree.Children(parent) {
				u := sitemapURL{Loc: sr.origin + sectionOf(sr, s.ID)(sr.lang), Alternates: alternates(everyLanguage(sr, sectionOf(sr, s.ID)))}
				if u.LastMod, err = newest(sr.tree.Subtree(s.ID)); err != nil {
					return err
				}
				set.URLs = append(set.URLs, u)
				if err := walk(s.ID); err != nil {
					return err
				}
			}
			return nil
		}
		if err := walk(0); err != nil {
			return err
		}
		return writeXML(w, r, set)
	}
	q := store.Published(sr.site.ID, sr.lang, h.now())
	q.Year, q.Limit, q.Offset = year, sitemapSize, (part-1)*sitemapSize
	list, err := h.store.Articles(r.Context(), q)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return errNoPage
	}
	// The other language versions, read a thousand groups at a time.
	versions := map[int64]map[string]string{}
	for chunk := range slices.Chunk(list, 1000) {
		groups := make([]int64, len(chunk))
		for i, a := range chunk {
			groups[i] = a.TranslationGroup
		}
		all, err := h.store.Articles(r.Context(), store.ArticleQuery{SiteID: sr.site.ID, Status: content.StatusPublished, PublishedBy: h.now().Add(content.ClockSkew), Groups: groups})
		if err != nil {
			return err
		}
		for _, v := range all {
			if versions[v.TranslationGroup] == nil {
				versions[v.TranslationGroup] = map[string]string{}
			}
			versions[v.TranslationGroup][v.Language] = v.Path
		}
	}
	for _, a := range list {
		set.URLs = append(set.URLs, sitemapURL{Loc: sr.origin + a.Path, LastMod: lastMod(a), Alternates: alternates(versions[a.TranslationGroup])})
	}
	return writeXML(w, r, set)
}

// sitemapName reads "sitemap.xml" (year 0), "sitemap-2024.xml" (part 1)
// and "sitemap-2024-2.xml"; ok is false for any other name.
func sitemapName(name string) (year, part int, ok bool) {
	if name == "sitemap.xml" {
		return 0, 0, true
	}
	rest, ok := strings.CutPrefix(name, "sitemap-")
	if !ok {
		return 0, 0, false
	}
	if rest, ok = strings.CutSuffix(rest, ".xml"); !ok {
		return 0, 0, false
	}
	y, p, hasPart := strings.Cut(rest, "-")
	part = 1
	if hasPart {
		if part, ok = pageNumber(p); !ok || part < 2 {
			return 0, 0, false
		}
	}
	if year = yearOf(y); year == 0 {
		return 0, 0, false
	}
	return year, part, true
}

// openGraph is what the OpenGraph and Twitter card tags say of a page.
type openGraph struct {
	Type, Title, Description, URL, SiteName, Locale string
	// Article pages only.
	Published, Modified, Section string
}

// ogLocales maps the languages Chancery has labels for to OpenGraph's
// language_TERRITORY form; others are left out, as the tag is optional.
var ogLocales = map[string]string{"en": "en_US", "zh": "zh_CN", "fr": "fr_FR", "es": "es_ES", "ar": "ar_AR", "ru": "ru_RU"}

// ldArticle is schema.org's NewsArticle as JSON-LD.
type ldArticle struct {
	Context          string `json:"@context"`
	Type             string `json:"@type"`
	Headline         string `json:"headline"`
	Description      string `json:"description,omitempty"`
	DatePublished    string `json:"datePublished"`
	DateModified     string `json:"dateModified"`
	InLanguage       string `json:"inLanguage"`
	ArticleSection   string `json:"articleSection,omitempty"`
	URL              string `json:"url"`
	MainEntityOfPage string `json:"mainEntityOfPage"`
	Publisher        ldOrg  `json:"publisher"`
	Author           ldOrg  `json:"author"`
	IsAccessibleFree bool   `json:"isAccessibleForFree"`
	Status           string `json:"creativeWorkStatus,omitempty"`
}

type ldOrg struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

// ldBreadcrumbs is schema.org's BreadcrumbList as JSON-LD.
type ldBreadcrumbs struct {
	Context string    `json:"@context"`
	Type    string    `json:"@type"`
	Items   []ldCrumb `json:"itemListElement"`
}

type ldCrumb struct {
	Type     string `json:"@type"`
	Position int    `json:"position"`
	Name     string `json:"name"`
	Item     string `json:"item,omitempty"`
}

// breadcrumbLD describes a page's breadcrumb trail, ending at the page
// itself (at self).
func breadcrumbLD(origin string, crumbs []link, self string) ldBreadcrumbs {
	b := ldBreadcrumbs{Context: "https://schema.org", Type: "BreadcrumbList"}
	for i, c := range crumbs {
		item := c.URL
		if item == "" {
			item = self
		}
		if strings.HasPrefix(item, "/") {
			item = origin + item
		}
		b.Items = append(b.Items, ldCrumb{Type: "ListItem", Position: i + 1, Name: c.Name, Item: item})
	}
	return b
}

// articleMeta fills an article page's OpenGraph tags and JSON-LD.
func articleMeta(p *page, sr siteRequest, a content.Article, description string) {
	published := a.PublishedAt.UTC().Format(time.RFC3339)
	modified := lastMod(a)
	section := ""
	if s, ok := sr.tree.Section(a.SectionID); ok {
		section = s.Name(sr.lang)
	}
	p.OG = &openGraph{Type: "article", Title: a.Title, Description: description, URL: p.Canonical,
		SiteName: sr.site.Name(sr.lang), Locale: ogLocales[sr.lang], Published: published, Modified: modified, Section: section}
	org := ldOrg{Type: "GovernmentOrganization", Name: sr.site.Name(sr.lang), URL: sr.origin + homeOf(sr.lang)}
	ld := ldArticle{Context: "https://schema.org", Type: "NewsArticle", Headline: a.Title, Description: description,
		DatePublished: published, DateModified: modified, InLanguage: sr.lang, ArticleSection: section,
		URL: p.Canonical, MainEntityOfPage: p.Canonical, Publisher: org, Author: org, IsAccessibleFree: true}
	if a.Status == content.StatusWithdrawn {
		ld.Status = "Withdrawn"
	}
	p.LD = append(p.LD, ld)
	crumbs := append(slices.Clone(p.Breadcrumb), link{Name: a.Title})
	p.LD = append(p.LD, breadcrumbLD(sr.origin, crumbs, p.Canonical))
}

// siteDescription is the description of pages that have none of their
// own: the home page and listings.
func siteDescription(L Labels, name string) string { return fmt.Sprintf(L.SiteDescription, name) }
