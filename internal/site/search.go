package site

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"chancery/internal/content"
	"chancery/internal/search"
	"chancery/internal/store"
	"chancery/internal/web"
)

// snippetRunes is the length of a result's snippet.
const snippetRunes = 220

// searchForm is a reader's search request, checked.
type searchForm struct {
	raw      string
	query    search.Query
	section  int64
	kind     content.Kind
	lang     string // "" for every language
	from, to string // as typed, when valid
	fromT    time.Time
	toT      time.Time
	byDate   bool
	page     int
	problems []string
}

// parseSearch reads the query string leniently: a filter it cannot use is
// named in problems and left out, never an error page.
func parseSearch(r *http.Request, sr siteRequest) searchForm {
	L := labelsFor(sr.lang)
	v := r.URL.Query()
	f := searchForm{raw: search.Clean(v.Get("q")), lang: sr.lang, page: 1}
	f.query = search.Parse(f.raw)
	if id, err := strconv.ParseInt(v.Get("section"), 10, 64); err == nil {
		if _, ok := sr.tree.Section(id); ok {
			f.section = id
		}
	}
	if k := content.Kind(v.Get("kind")); k.Valid() {
		f.kind = k
	}
	switch l := v.Get("lang"); {
	case l == "all":
		f.lang = ""
	case sr.site.HasLanguage(l):
		f.lang = l
	}
	loc := sr.site.Location()
	for _, d := range []struct {
		name string
		dst  *time.Time
		txt  *string
		next bool
	}{{"from", &f.fromT, &f.from, false}, {"to", &f.toT, &f.to, true}} {
		s := strings.TrimSpace(v.Get(d.name))
		if s == "" {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02", s, loc)
		if err != nil {
			f.problems = append(f.problems, fmt.Sprintf(L.BadDate, truncate(s, 40)))
			continue
		}
		if d.next {
			t = t.AddDate(0, 0, 1) // "to" includes the whole day
		}
		*d.dst, *d.txt = t, s
	}
	f.byDate = v.Get("sort") == "date"
	if n, ok := pageNumber(v.Get("page")); ok {
		f.page = n
	}
	return f
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// values encodes the form back into a query string, for paging links.
func (f searchForm) values(page int) string {
	v := url.Values{}
	v.Set("q", f.raw)
	if f.section != 0 {
		v.Set("section", strconv.FormatInt(f.section, 10))
	}
	if f.kind != "" {
		v.Set("kind", string(f.kind))
	}
	if f.lang == "" {
		v.Set("lang", "all")
	} else {
		v.Set("lang", f.lang)
	}
	if f.from != "" {
		v.Set("from", f.from)
	}
	if f.to != "" {
		v.Set("to", f.to)
	}
	if f.byDate {
		v.Set("sort", "date")
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return v.Encode()
}

// runSearch asks the store for the form's page of results. A query with
// nothing to look for gets, instead, the message that says what to type.
func (h *Handler) runSearch(r *http.Request, sr siteRequest, f searchForm) (res store.SearchResult, message string, err error) {
	L := labelsFor(sr.lang)
	switch {
	case f.raw == "":
		return res, L.NeedWords, nil
	case f.query.Empty():
		return res, L.OnlyExcluded, nil
	}
	q := store.SearchQuery{Query: f.query, SiteID: sr.site.ID, Language: f.lang, Kind: f.kind,
		From: f.fromT, To: f.toT, Now: h.now(), ByDate: f.byDate, Limit: PageSize, Offset: (f.page - 1) * PageSize}
	if f.section != 0 {
		q.SectionIDs = sr.tree.Subtree(f.section)
	}
	res, err = h.store.Search(r.Context(), q)
	if err == nil && len(res.Hits) == 0 {
		message = L.NoResults
	}
	return res, message, err
}

// limited answers a request over the search rate limit, and reports
// whether it did.
func (h *Handler) limited(w http.ResponseWriter, r *http.Request, sr siteRequest, asJSON bool) (bool, error) {
	if h.searchLimit == nil {
		return false, nil
	}
	ok, wait := h.searchLimit.Allow(web.ClientAddr(r))
	if ok {
		return false, nil
	}
	secs := int(wait/time.Second) + 1
	L := labelsFor(sr.lang)
	msg := fmt.Sprintf(L.TooMany, secs)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	if asJSON {
		return true, writeJSON(w, r, http.StatusTooManyRequests, map[string]string{"error": msg})
	}
	p := h.chrome(sr, 0, r.URL.Path)
	p.Title = L.TooManyTitle + " – " + sr.site.Name(sr.lang)
	p.alternatesFor(sr, map[string]string{}, searchOf)
	p.Body = searchView{Message: msg}
	return true, h.render(w, r, http.StatusTooManyRequests, "search", p)
}

func searchOf(lang string) string { return "/" + lang + "/search/" }

type searchView struct {
	Query     string
	Sections  []option
	Kinds     []option
	Languages []option
	From, To  string
	ByDate    bool
	Problems  []string
	Message   string
	Count     string
	Hits      []searchHit
	Pager     *pager
}

type option struct {
	Value, Label string
	Selected     bool
}

type searchHit struct {
	URL, Date, Datetime, Section string
	Lang, Dir, LangName          string
	Title, Snippet               []search.Fragment
}

func (h *Handler) searchPage(w http.ResponseWriter, r *http.Request, sr siteRequest) error {
	if done, err := h.limited(w, r, sr, false); done {
		return err
	}
	L := labelsFor(sr.lang)
	f := parseSearch(r, sr)
	view := searchView{Query: f.raw, From: f.from, To: f.to, ByDate: f.byDate, Problems: f.problems}
	view.Sections = sectionOptions(sr, f.section)
	for _, k := range content.Kinds {
		view.Kinds = append(view.Kinds, option{Value: string(k), Label: L.Kinds[string(k)], Selected: k == f.kind})
	}
	for _, l := range sr.site.Languages {
		view.Languages = append(view.Languages, option{Value: l, Label: Autonym(l), Selected: l == f.lang})
	}
	view.Languages = append(view.Languages, option{Value: "all", Label: L.AllLanguages, Selected: f.lang == ""})

	res, message, err := h.runSearch(r, sr, f)
	if err != nil {
		return err
	}
	view.Message = message
	if len(res.Hits) == 0 && res.Total > 0 {
		// A page past the last: say how many there are and lead back.
		view.Count = fmt.Sprintf(L.Results, res.Total)
		pages := (res.Total + PageSize - 1) / PageSize
		view.Pager = &pager{Label: fmt.Sprintf(L.PageOf, f.page, pages), Prev: "?" + f.values(pages)}
	}
	if len(res.Hits) > 0 {
		view.Count = fmt.Sprintf(L.Results, res.Total)
		if res.More {
			view.Count = fmt.Sprintf(L.RankedOf, res.Total, res.Total)
		}
		view.Hits = h.hits(sr, f, res.Hits)
		if pages := (res.Total + PageSize - 1) / PageSize; pages > 1 {
			pg := &pager{Label: fmt.Sprintf(L.PageOf, f.page, pages)}
			if f.page > 1 {
				pg.Prev = "?" + f.values(f.page-1)
			}
			if f.page < pages {
				pg.Next = "?" + f.values(f.page+1)
			}
			view.Pager = pg
		}
	}
	p := h.chrome(sr, 0, r.URL.Path)
	p.Canonical = ""
	p.Title = L.SearchTitle + " – " + sr.site.Name(sr.lang)
	if f.raw != "" {
		p.Title = f.raw + " – " + p.Title
	}
	p.SearchQuery = f.raw
	p.alternatesFor(sr, map[string]string{}, searchOf)
	p.Body = view
	return h.renderWith(w, r, http.StatusOK, "search", p, "no-cache")
}

// sectionOptions lists the site's sections for the filter, indented by
// depth.
func sectionOptions(sr siteRequest, selected int64) []option {
	var opts []option
	var walk func(parent int64, depth int)
	walk = func(parent int64, depth int) {
		for _, s := range sr.tree.Children(parent) {
			opts = append(opts, option{Value: strconv.FormatInt(s.ID, 10), Label: strings.Repeat("\u00a0\u00a0", depth) + s.Name(sr.lang), Selected: s.ID == selected})
			walk(s.ID, depth+1)
		}
	}
	walk(0, 0)
	return opts
}

func (h *Handler) hits(sr siteRequest, f searchForm, arts []content.Article) []searchHit {
	loc := sr.site.Location()
	hits := make([]searchHit, len(arts))
	for i, a := range arts {
		sec := ""
		if anc := sr.tree.Ancestry(a.SectionID); len(anc) > 0 {
			sec = anc[len(anc)-1].Name(a.Language)
		}
		text := search.BodyText(a.Summary, a.BodyHTML)
		hits[i] = searchHit{
			URL: a.Path, Date: formatDate(a.PublishedAt, loc), Datetime: a.PublishedAt.In(loc).Format(time.RFC3339),
			Section: sec, Lang: a.Language, Dir: content.Direction(a.Language),
			Title:   search.Snippet(a.Title, f.query, 1000),
			Snippet: search.Snippet(text, f.query, snippetRunes),
		}
		if a.Language != sr.lang {
			hits[i].LangName = Autonym(a.Language)
		}
	}
	return hits
}

// jsonHit is one result of the JSON search.
type jsonHit struct {
	Title     string `json:"title"`
	URL       string `json:"url"`
	Published string `json:"published"`
	Language  string `json:"language"`
	Kind      string `json:"kind"`
	Section   string `json:"section"`
	// Snippet is HTML: the matched words are in <mark> elements, the rest
	// is escaped text.
	Snippet string `json:"snippet"`
}

type jsonResults struct {
	Query string `json:"query"`
	Total int    `json:"total"`
	// More is true when more articles match than Total, the newest
	// matches that were ranked.
	More     bool      `json:"more"`
	Page     int       `json:"page"`
	PageSize int       `json:"page_size"`
	Results  []jsonHit `json:"results"`
	Problems []string  `json:"problems,omitempty"`
	Message  string    `json:"message,omitempty"`
}

func (h *Handler) searchJSON(w http.ResponseWriter, r *http.Request, sr siteRequest) error {
	if done, err := h.limited(w, r, sr, true); done {
		return err
	}
	f := parseSearch(r, sr)
	res, message, err := h.runSearch(r, sr, f)
	if err != nil {
		return err
	}
	out := jsonResults{Query: f.raw, Page: f.page, PageSize: PageSize, Results: []jsonHit{}, Problems: f.problems,
		Message: message, Total: res.Total, More: res.More}
	for i, hit := range h.hits(sr, f, res.Hits) {
		a := res.Hits[i]
		out.Results = append(out.Results, jsonHit{Title: a.Title, URL: sr.origin + a.Path, Published: hit.Datetime,
			Language: a.Language, Kind: string(a.Kind), Section: hit.Section, Snippet: fragmentsHTML(hit.Snippet)})
	}
	return writeJSON(w, r, http.StatusOK, out)
}

func fragmentsHTML(frags []search.Fragment) string {
	var b strings.Builder
	for _, f := range frags {
		if f.Match {
			b.WriteString("<mark>" + template.HTMLEscapeString(f.Text) + "</mark>")
		} else {
			b.WriteString(template.HTMLEscapeString(f.Text))
		}
	}
	return b.String()
}

func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	web.Write(w, r, web.Page{Status: status, ContentType: "application/json; charset=utf-8", Body: body, CacheControl: "no-cache"})
	return nil
}

// openSearch is the OpenSearch 1.1 description that lets a browser add
// the site's search.
type openSearch struct {
	XMLName       xml.Name `xml:"http://a9.com/-/spec/opensearch/1.1/ OpenSearchDescription"`
	ShortName     string   `xml:"ShortName"`
	Description   string   `xml:"Description"`
	InputEncoding string   `xml:"InputEncoding"`
	Language      string   `xml:"Language"`
	URLs          []osURL  `xml:"Url"`
}

type osURL struct {
	Type     string `xml:"type,attr"`
	Template string `xml:"template,attr"`
}

func (h *Handler) openSearch(w http.ResponseWriter, r *http.Request, sr siteRequest) error {
	name := sr.site.Name(sr.lang)
	short := truncate(name, 15) // OpenSearch allows 16 characters
	base := sr.origin + "/" + sr.lang + "/search"
	d := openSearch{ShortName: short, Description: labelsFor(sr.lang).SearchSite + ": " + name, InputEncoding: "UTF-8", Language: sr.lang,
		URLs: []osURL{{Type: "text/html", Template: base + "/?q={searchTerms}"}, {Type: "application/json", Template: base + ".json?q={searchTerms}"}}}
	body, err := xml.MarshalIndent(d, "", "  ")
	if err != nil {
		return err
	}
	web.Write(w, r, web.Page{ContentType: "application/opensearchdescription+xml; charset=utf-8",
		Body: append([]byte(xml.Header), body...), CacheControl: "public, max-age=3600"})
	return nil
}
