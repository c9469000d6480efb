package site

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"chancery/internal/content"
	"chancery/internal/store"
	"chancery/internal/web"
)

// siteRequest is what every page of one site needs while it is built.
type siteRequest struct {
	site   content.Site
	lang   string
	tree   content.Tree
	origin string
}

// errNoPage makes a handler answer with the site's 404 page.
var errNoPage = errors.New("no page at this address")

func (h *Handler) serveSite(w http.ResponseWriter, r *http.Request, s content.Site) error {
	path := r.URL.Path
	if !web.TextPath(path) {
		return h.notFound(w, r, s, negotiate(w, r, s.Languages, s.DefaultLanguage))
	}
	if path == "/" {
		lang := negotiate(w, r, s.Languages, s.DefaultLanguage)
		http.Redirect(w, r, "/"+lang+"/", http.StatusFound)
		return nil
	}
	if path == "/sitemap.xml" {
		return h.sitemapIndex(w, r, s)
	}
	if rest, ok := strings.CutPrefix(path, "/media/"); ok {
		return h.serveMedia(w, r, s, rest)
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	lang := segs[0]
	if !s.HasLanguage(lang) {
		if answered, err := h.elsewhere(w, r, s, path); answered || err != nil {
			return err
		}
		return h.notFound(w, r, s, negotiate(w, r, s.Languages, s.DefaultLanguage))
	}
	if path == "/"+lang {
		http.Redirect(w, r, path+"/", http.StatusMovedPermanently)
		return nil
	}
	sections, err := h.store.Sections(r.Context(), s.ID)
	if err != nil {
		return err
	}
	sr := siteRequest{site: s, lang: lang, tree: content.NewTree(sections), origin: h.origin(r, s.Hosts[0])}
	err = h.route(w, r, sr, path, segs[1:])
	if errors.Is(err, errNoPage) || errors.Is(err, content.ErrNotFound) {
		if answered, err := h.moved(w, r, s, path); answered || err != nil {
			return err
		}
		return h.notFound(w, r, s, lang)
	}
	return err
}

// route serves the pages under a language: home, articles at their stored
// addresses, sections, their paging and their date archives.
func (h *Handler) route(w http.ResponseWriter, r *http.Request, sr siteRequest, path string, segs []string) error {
	if len(segs) == 0 || (len(segs) == 1 && segs[0] == "") {
		return h.home(w, r, sr)
	}
	switch strings.TrimPrefix(path, "/"+sr.lang+"/") {
	case "search/":
		return h.searchPage(w, r, sr)
	case "search":
		target := path + "/"
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return nil
	case "search.json":
		return h.searchJSON(w, r, sr)
	case "opensearch.xml":
		return h.openSearch(w, r, sr)
	}
	if len(segs) == 2 && segs[0] == "share" {
		if !strings.HasSuffix(path, "/") {
			http.Redirect(w, r, path+"/", http.StatusMovedPermanently)
			return nil
		}
		return h.sharePage(w, r, sr, segs[1])
	}
	if r.Method == http.MethodPost {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "This address can only be read (GET or HEAD).", http.StatusMethodNotAllowed)
		return nil
	}
	if year, part, ok := sitemapName(segs[0]); ok && len(segs) == 1 && !strings.HasSuffix(path, "/") {
		return h.sitemapFile(w, r, sr, year, part)
	}
	if f, ok := feedFile(segs[len(segs)-1]); ok && !strings.HasSuffix(path, "/") {
		if len(segs) == 1 {
			return h.serveFeed(w, r, sr, content.Section{}, f)
		}
		sec, used, ok := sr.tree.Find(sr.lang, segs[:len(segs)-1])
		if !ok || used != len(segs)-1 {
			return errNoPage
		}
		return h.serveFeed(w, r, sr, sec, f)
	}
	if !strings.HasSuffix(path, "/") {
		a, err := h.store.ArticleByPath(r.Context(), sr.site.ID, path)
		if err == nil && (a.Visible(h.now()) || a.Status == content.StatusWithdrawn) {
			return h.article(w, r, sr, a)
		}
		if err != nil && !errors.Is(err, content.ErrNotFound) {
			return err
		}
	}
	sec, used, ok := sr.tree.Find(sr.lang, segs)
	if !ok {
		return errNoPage
	}
	rest := segs[used:]
	var (
		pageNo = 1
		month  int
		year   int
	)
	switch {
	case len(rest) == 0:
	case len(rest) == 2 && rest[0] == "page":
		n, ok := pageNumber(rest[1])
		if !ok {
			return errNoPage
		}
		pageNo = n
	case len(rest) == 1:
		if year = yearOf(rest[0]); year == 0 {
			return errNoPage
		}
	case len(rest) == 2 || (len(rest) == 4 && rest[2] == "page"):
		year = yearOf(rest[0])
		m, err := strconv.Atoi(rest[1])
		if year == 0 || err != nil || len(rest[1]) != 2 || m < 1 || m > 12 {
			return errNoPage
		}
		month = year*100 + m
		if len(rest) == 4 {
			n, ok := pageNumber(rest[3])
			if !ok {
				return errNoPage
			}
			pageNo = n
		}
	default:
		return errNoPage
	}
	if !strings.HasSuffix(path, "/") {
		http.Redirect(w, r, path+"/", http.StatusMovedPermanently)
		return nil
	}
	if len(rest) >= 2 && rest[len(rest)-2] == "page" && pageNo == 1 {
		http.Redirect(w, r, strings.TrimSuffix(path, "page/1/"), http.StatusMovedPermanently)
		return nil
	}
	if year != 0 && month == 0 {
		return h.year(w, r, sr, sec, year)
	}
	return h.section(w, r, sr, sec, month, pageNo)
}

func yearOf(s string) int {
	y, err := strconv.Atoi(s)
	if err != nil || len(s) != 4 || y < 1900 {
		return 0
	}
	return y
}

// chrome fills the parts of a page every site page shares.
func (h *Handler) chrome(sr siteRequest, current int64, path string) page {
	L := labelsFor(sr.lang)
	p := page{
		Lang: sr.lang, Dir: content.Direction(sr.lang), L: L,
		SiteName: sr.site.Name(sr.lang), HomeURL: "/" + sr.lang + "/",
		Canonical:   sr.origin + path,
		SearchURL:   "/" + sr.lang + "/search/",
		OpenSearch:  &link{Name: sr.site.Name(sr.lang), URL: "/" + sr.lang + "/opensearch.xml"},
		Feeds:       feedLinks("/"+sr.lang+"/", sr.site.Name(sr.lang)),
		Description: siteDescription(L, sr.site.Name(sr.lang)),
	}
	var top int64
	if anc := sr.tree.Ancestry(current); len(anc) > 0 {
		top = anc[0].ID
	}
	home := navLink{Name: L.Home, URL: p.HomeURL}
	if current == 0 && path == p.HomeURL {
		home.Current = "page"
	}
	p.Nav = append(p.Nav, home)
	for _, s := range sr.tree.Nav() {
		n := navLink{Name: s.Name(sr.lang), URL: content.SectionPath(sr.lang, sr.tree.Slugs(s.ID, sr.lang))}
		switch {
		case n.URL == path:
			n.Current = "page"
		case s.ID == top:
			n.Current = "true"
		}
		p.Nav = append(p.Nav, n)
	}
	return p
}

// alternatesFor sets the language switch and the hreflang links.
// equivalents maps a language to the address of the same page in it; a
// language without one switches to fallback's address for it, which must
// exist, and is not announced as an alternate.
func (p *page) alternatesFor(sr siteRequest, equivalents map[string]string, fallback func(lang string) string) {
	for _, l := range sr.site.Languages {
		u, ok := equivalents[l]
		if ok {
			p.Alternates = append(p.Alternates, langLink{Lang: l, URL: sr.origin + u})
		} else {
			u = fallback(l)
		}
		if l != sr.lang {
			p.Switch = append(p.Switch, langLink{Lang: l, Label: Autonym(l), URL: u})
		}
	}
}

// homeOf is the fallback to each language's home.
func homeOf(lang string) string { return "/" + lang + "/" }

// sectionOf returns the fallback to a section's first page in each
// language.
func sectionOf(sr siteRequest, id int64) func(string) string {
	return func(lang string) string { return content.SectionPath(lang, sr.tree.Slugs(id, lang)) }
}

// everyLanguage maps every language of the site to addr(lang).
func everyLanguage(sr siteRequest, addr func(string) string) map[string]string {
	m := map[string]string{}
	for _, l := range sr.site.Languages {
		m[l] = addr(l)
	}
	return m
}

func (h *Handler) crumbs(sr siteRequest, id int64, linkLast bool) []link {
	L := labelsFor(sr.lang)
	crumbs := []link{{Name: L.Home, URL: "/" + sr.lang + "/"}}
	anc := sr.tree.Ancestry(id)
	for i, s := range anc {
		c := link{Name: s.Name(sr.lang)}
		if linkLast || i < len(anc)-1 {
			c.URL = content.SectionPath(sr.lang, sr.tree.Slugs(s.ID, sr.lang))
		}
		crumbs = append(crumbs, c)
	}
	return crumbs
}

func (h *Handler) items(r *http.Request, sr siteRequest, q store.ArticleQuery) ([]item, error) {
	list, err := h.store.Articles(r.Context(), q)
	if err != nil {
		return nil, err
	}
	loc := sr.site.Location()
	items := make([]item, len(list))
	for i, a := range list {
		items[i] = item{Title: a.Title, URL: a.Path, Date: formatDate(a.PublishedAt, loc), Datetime: a.PublishedAt.In(loc).Format(time.RFC3339)}
	}
	return items, nil
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request, sr siteRequest) error {
	p := h.chrome(sr, 0, "/"+sr.lang+"/")
	p.Title = sr.site.Name(sr.lang)
	p.alternatesFor(sr, everyLanguage(sr, homeOf), homeOf)
	now := h.now()
	var view homeView
	latest := store.Published(sr.site.ID, sr.lang, now)
	latest.Limit = 8
	var err error
	if view.Latest, err = h.items(r, sr, latest); err != nil {
		return err
	}
	// The sections of the navigation first, then the other top-level ones,
	// which would otherwise have no way in.
	blocks := sr.tree.Nav()
	for _, s := range sr.tree.Children(0) {
		if !s.InNav {
			blocks = append(blocks, s)
		}
	}
	for _, s := range blocks {
		q := store.Published(sr.site.ID, sr.lang, now)
		q.SectionIDs = sr.tree.Subtree(s.ID)
		q.Limit = 5
		items, err := h.items(r, sr, q)
		if err != nil {
			return err
		}
		if len(items) == 0 {
			continue
		}
		view.Blocks = append(view.Blocks, homeBlock{Name: s.Name(sr.lang), URL: content.SectionPath(sr.lang, sr.tree.Slugs(s.ID, sr.lang)), Items: items})
	}
	p.Body = view
	return h.render(w, r, http.StatusOK, "home", p)
}

// section serves a section's listing, or one month of it when month is
// set, page by page.
func (h *Handler) section(w http.ResponseWriter, r *http.Request, sr siteRequest, sec content.Section, month, pageNo int) error {
	L := labelsFor(sr.lang)
	base := content.SectionPath(sr.lang, sr.tree.Slugs(sec.ID, sr.lang))
	listBase, suffix := base, ""
	if month != 0 {
		suffix = fmt.Sprintf("%04d/%02d/", month/100, month%100)
		listBase += suffix
	}
	path := listBase
	if pageNo > 1 {
		path += "page/" + strconv.Itoa(pageNo) + "/"
	}
	q := store.Published(sr.site.ID, sr.lang, h.now())
	q.SectionIDs = sr.tree.Subtree(sec.ID)
	view := sectionView{Heading: sec.Name(sr.lang)}
	// A section's listing links its years. A month archive shows nothing
	// of other months, so that a publish leaves old months' pages as they
	// are (see pages.Affected); its breadcrumb links its year.
	if month == 0 {
		months, err := h.store.ArticleMonths(r.Context(), q)
		if err != nil {
			return err
		}
		view.Years = years(base, months)
	}
	q.Month = month
	total, err := h.store.CountArticles(r.Context(), q)
	if err != nil {
		return err
	}
	pages := max(1, (total+PageSize-1)/PageSize)
	if pageNo > pages || (month != 0 && total == 0) {
		return errNoPage
	}
	q.Limit, q.Offset = PageSize, (pageNo-1)*PageSize
	if view.Items, err = h.items(r, sr, q); err != nil {
		return err
	}
	for _, c := range sr.tree.Children(sec.ID) {
		view.Subsections = append(view.Subsections, link{Name: c.Name(sr.lang), URL: content.SectionPath(sr.lang, sr.tree.Slugs(c.ID, sr.lang))})
	}
	if pages > 1 {
		pg := &pager{Label: fmt.Sprintf(L.PageOf, pageNo, pages)}
		if pageNo == 2 {
			pg.Prev = listBase
		} else if pageNo > 2 {
			pg.Prev = listBase + "page/" + strconv.Itoa(pageNo-1) + "/"
		}
		if pageNo < pages {
			pg.Next = listBase + "page/" + strconv.Itoa(pageNo+1) + "/"
		}
		view.Pager = pg
	}

	p := h.chrome(sr, sec.ID, path)
	p.Feeds = append(feedLinks(base, sec.Name(sr.lang)+" – "+sr.site.Name(sr.lang)), p.Feeds...)
	p.Breadcrumb = h.crumbs(sr, sec.ID, month != 0)
	p.Title = sec.Name(sr.lang) + " – " + sr.site.Name(sr.lang)
	if month != 0 {
		label := L.MonthFormat(month/100, month%100)
		view.Heading = sec.Name(sr.lang) + ": " + label
		p.Breadcrumb = append(p.Breadcrumb, link{Name: strconv.Itoa(month / 100), URL: fmt.Sprintf("%s%04d/", base, month/100)}, link{Name: label})
		p.Title = sec.Name(sr.lang) + ", " + label + " – " + sr.site.Name(sr.lang)
	}
	if pageNo > 1 {
		p.Title = fmt.Sprintf(L.PageOf, pageNo, pages) + " – " + p.Title
		suffix += "page/" + strconv.Itoa(pageNo) + "/"
	}
	// Only a section's first page has an equivalent in every language;
	// months and later pages hold different articles in each.
	if suffix == "" {
		p.alternatesFor(sr, everyLanguage(sr, sectionOf(sr, sec.ID)), sectionOf(sr, sec.ID))
	} else {
		p.alternatesFor(sr, map[string]string{sr.lang: path}, sectionOf(sr, sec.ID))
	}
	p.LD = append(p.LD, breadcrumbLD(sr.origin, p.Breadcrumb, p.Canonical))
	p.Body = view
	return h.render(w, r, http.StatusOK, "section", p)
}

// year serves a year of a section: the archive of its months.
func (h *Handler) year(w http.ResponseWriter, r *http.Request, sr siteRequest, sec content.Section, year int) error {
	L := labelsFor(sr.lang)
	base := content.SectionPath(sr.lang, sr.tree.Slugs(sec.ID, sr.lang))
	q := store.Published(sr.site.ID, sr.lang, h.now())
	q.SectionIDs = sr.tree.Subtree(sec.ID)
	months, err := h.store.ArticleMonths(r.Context(), q)
	if err != nil {
		return err
	}
	var inYear []store.MonthCount
	for _, m := range months {
		if m.Year == year {
			inYear = append(inYear, m)
		}
	}
	if len(inYear) == 0 {
		return errNoPage
	}
	suffix := strconv.Itoa(year) + "/"
	p := h.chrome(sr, sec.ID, base+suffix)
	p.Breadcrumb = append(h.crumbs(sr, sec.ID, true), link{Name: strconv.Itoa(year)})
	p.Title = sec.Name(sr.lang) + ", " + strconv.Itoa(year) + " – " + sr.site.Name(sr.lang)
	p.alternatesFor(sr, map[string]string{sr.lang: base + suffix}, sectionOf(sr, sec.ID))
	p.Body = sectionView{Heading: sec.Name(sr.lang) + ": " + strconv.Itoa(year), Archive: archive(L, base, inYear)}
	return h.render(w, r, http.StatusOK, "section", p)
}

func archive(L Labels, base string, months []store.MonthCount) []yearArchive {
	var years []yearArchive
	for _, m := range months {
		if len(years) == 0 || years[len(years)-1].Year != m.Year {
			years = append(years, yearArchive{Year: m.Year, URL: fmt.Sprintf("%s%04d/", base, m.Year)})
		}
		y := &years[len(years)-1]
		y.Months = append(y.Months, monthLink{Label: L.MonthShort(m.Month), Count: m.Count, URL: fmt.Sprintf("%s%04d/%02d/", base, m.Year, m.Month)})
	}
	return years
}

// years sums a section's months (newest first) into its years.
func years(base string, months []store.MonthCount) []yearLink {
	var ys []yearLink
	for _, m := range months {
		if len(ys) == 0 || ys[len(ys)-1].Year != m.Year {
			ys = append(ys, yearLink{Year: m.Year, URL: fmt.Sprintf("%s%04d/", base, m.Year)})
		}
		ys[len(ys)-1].Count += m.Count
	}
	return ys
}

func (h *Handler) article(w http.ResponseWriter, r *http.Request, sr siteRequest, a content.Article) error {
	p, err := h.articlePage(r.Context(), sr, a)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "article", p)
}

// articlePage builds the view of an article page.
func (h *Handler) articlePage(ctx context.Context, sr siteRequest, a content.Article) (page, error) {
	versions, err := h.store.Translations(ctx, a.TranslationGroup)
	if err != nil {
		return page{}, err
	}
	now := h.now()
	addr := map[string]string{}
	for _, v := range versions {
		if v.ID == a.ID || v.Visible(now) {
			addr[v.Language] = v.Path
		}
	}
	p := h.chrome(sr, a.SectionID, a.Path)
	p.Title = a.Title + " – " + sr.site.Name(sr.lang)
	p.Description = summaryOf(a)
	p.Breadcrumb = h.crumbs(sr, a.SectionID, true)
	articleMeta(&p, sr, a, p.Description)
	p.alternatesFor(sr, addr, homeOf)
	loc := sr.site.Location()
	view := articleView{
		Title:     a.Title,
		Published: formatTime(a.PublishedAt, loc),
		Datetime:  a.PublishedAt.In(loc).Format(time.RFC3339),
		HTML:      template.HTML(a.BodyHTML), // sanitised by markup when it was saved
		ShareURL:  h.shareLink(sr, a, p.Canonical),
		Withdrawn: a.Status == content.StatusWithdrawn,
	}
	p.Body = view
	if a.ID == 0 {
		return p, nil // a preview of an article not saved yet
	}
	st, err := h.store.Accounts().ArticleState(ctx, a.ID)
	if err != nil {
		return page{}, err
	}
	if a.Status == content.StatusWithdrawn && !st.WithdrawnAt.IsZero() {
		view.WithdrawnOn, view.WithdrawalReason = formatTime(st.WithdrawnAt, loc), st.WithdrawalReason
	}
	atts, err := h.store.Accounts().Attachments(ctx, a.ID)
	if err != nil {
		return page{}, err
	}
	for _, at := range atts {
		title := at.Texts[a.Language].Title
		if title == "" {
			title = at.Name
		}
		view.Documents = append(view.Documents, document{Title: title, URL: at.Path(), Type: store.TypeName(at.ContentType), Size: store.HumanSize(at.Size)})
	}
	if st.LiveRevision != 0 {
		notes, err := h.store.Accounts().PublicNotes(ctx, a.ID, st.LiveRevision)
		if err != nil {
			return page{}, err
		}
		for _, n := range notes {
			view.Updates = append(view.Updates, update{On: formatTime(n.At, loc), Datetime: n.At.In(loc).Format(time.RFC3339), Note: n.Note})
		}
	}
	p.Body = view
	return p, nil
}

// Preview renders an article as its public page would show it, marked as
// a preview, whatever its status: the back office's preview of a draft
// and the page a preview link opens. Nothing is stored.
func (h *Handler) Preview(w http.ResponseWriter, r *http.Request, s content.Site, a content.Article) error {
	sections, err := h.store.Sections(r.Context(), s.ID)
	if err != nil {
		return err
	}
	sr := siteRequest{site: s, lang: a.Language, tree: content.NewTree(sections), origin: h.origin(r, s.Hosts[0])}
	if a.PublishedAt.IsZero() {
		a.PublishedAt = h.now()
	}
	p, err := h.articlePage(r.Context(), sr, a)
	if err != nil {
		return err
	}
	if v, ok := p.Body.(articleView); ok {
		v.Preview = true
		p.Body = v
	}
	p.Robots = "noindex, nofollow"
	w.Header().Set("Cache-Control", "no-store")
	return h.render(w, r, http.StatusOK, "article", p)
}

// mailto builds a mailto: address with a subject and body (RFC 6068).
func mailto(subject, body string) string {
	esc := func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
	return "mailto:?subject=" + esc(subject) + "&body=" + esc(body)
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request, s content.Site, lang string) error {
	sections, err := h.store.Sections(r.Context(), s.ID)
	if err != nil {
		return err
	}
	sr := siteRequest{site: s, lang: lang, tree: content.NewTree(sections), origin: h.origin(r, s.Hosts[0])}
	L := labelsFor(lang)
	p := h.chrome(sr, 0, "")
	p.Canonical = ""
	p.Title = L.NotFound + " – " + s.Name(lang)
	p.alternatesFor(sr, map[string]string{}, homeOf)
	p.Body = notFoundView{Heading: L.NotFound, Message: L.NotFoundText, Home: &link{Name: s.Name(lang), URL: "/" + lang + "/"}}
	return h.render(w, r, http.StatusNotFound, "notfound", p)
}
