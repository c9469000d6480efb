package site

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestArticlePageShape checks each element of the reference page's shape
// on an article page: navigation, language switch, breadcrumb, title,
// time in the site's zone, body and the share link.
func TestArticlePageShape(t *testing.T) {
	f := newFixture(t)
	resp := f.get(t, "un.example.test", f.statement.Path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", f.statement.Path, resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Fatalf("Content-Type = %q", ct)
	}
	d := doc(t, resp)
	root := find(d, tag("html"))[0]
	if attr(root, "lang") != "en" || attr(root, "dir") != "ltr" {
		t.Fatalf(`<html lang=%q dir=%q>; want "en", "ltr"`, attr(root, "lang"), attr(root, "dir"))
	}

	// Navigation: Home, then the site's top sections in order.
	nav := find(d, ariaLabel("Main sections"))
	if len(nav) != 1 {
		t.Fatalf("found %d main navigation landmarks; want 1", len(nav))
	}
	var navNames []string
	for _, a := range find(nav[0], tag("a")) {
		navNames = append(navNames, text(a)+"="+attr(a, "href"))
	}
	if got := strings.Join(navNames, " | "); got != "Home=/en/ | Meetings & Statements=/en/meetings/ | About=/en/about/" {
		t.Fatalf("navigation = %s", got)
	}
	if cur := find(nav[0], func(n *html.Node) bool { return attr(n, "aria-current") == "true" }); len(cur) != 1 || text(cur[0]) != "Meetings & Statements" {
		t.Fatal("the section holding the article is not marked current in the navigation")
	}

	// Language switch: to the Chinese translation.
	sw := find(d, ariaLabel("Languages"))
	if len(sw) != 1 {
		t.Fatal("no language switch")
	}
	links := find(sw[0], tag("a"))
	if len(links) != 1 || text(links[0]) != "中文" || attr(links[0], "href") != f.zh.Path || attr(links[0], "lang") != "zh" {
		t.Fatalf("language switch = %v; want 中文 → %s", links, f.zh.Path)
	}

	// Breadcrumb: Home > Meetings & Statements > Security Council.
	bc := find(d, ariaLabel("You are here"))
	if len(bc) != 1 {
		t.Fatal("no breadcrumb")
	}
	var crumbs []string
	for _, li := range find(bc[0], tag("li")) {
		crumbs = append(crumbs, text(li))
	}
	if got := strings.Join(crumbs, " > "); got != "Home > Meetings & Statements > Security Council" {
		t.Fatalf("breadcrumb = %s", got)
	}

	// Title, then time as YYYY-MM-DD HH:MM in New York time.
	main := find(d, tag("main"))
	if len(main) != 1 || attr(main[0], "id") != "main" {
		t.Fatal("no <main id=main> landmark")
	}
	h1 := find(main[0], tag("h1"))
	if len(h1) != 1 || text(h1[0]) != "Statement on Water Security" {
		t.Fatalf("h1 = %v", h1)
	}
	tm := find(main[0], tag("time"))
	if len(tm) != 1 || text(tm[0]) != "2024-06-30 23:45" || attr(tm[0], "datetime") != "2024-06-30T23:45:00-04:00" {
		t.Fatalf("time = %q (%s); want 2024-06-30 23:45 in New York", text(tm[0]), attr(tm[0], "datetime"))
	}
	if !strings.HasPrefix(f.statement.Path, "/en/meetings/security-council/2024/06/") {
		t.Fatalf("address %s is not filed under the New York month", f.statement.Path)
	}

	// Body, paragraph by paragraph.
	body := find(main[0], class("body"))
	if len(body) != 1 {
		t.Fatal("no body")
	}
	paras := find(body[0], tag("p"))
	if len(paras) != 2 || text(paras[0]) != "First paragraph." || text(paras[1]) != "Second paragraph." {
		t.Fatalf("body paragraphs = %d", len(paras))
	}

	// Suggest to a friend: a mailto link carrying the title and address.
	share := find(main[0], class("share"))
	if len(share) != 1 {
		t.Fatal("no share action")
	}
	if b := find(share[0], tag("button")); len(b) != 1 || attr(b[0], "data-print") != "" || text(b[0]) != "Print" {
		t.Fatal("no print button beside the share link")
	}
	a := find(share[0], tag("a"))[0]
	if text(a) != "Suggest to a friend" {
		t.Fatalf("share text = %q", text(a))
	}
	u, err := url.Parse(attr(a, "href"))
	if err != nil || u.Scheme != "mailto" {
		t.Fatalf("share href = %q", attr(a, "href"))
	}
	q := u.Query()
	if q.Get("subject") != "Statement on Water Security" || !strings.Contains(q.Get("body"), "http://un.example.test"+f.statement.Path) {
		t.Fatalf("mailto subject %q body %q", q.Get("subject"), q.Get("body"))
	}

	// Head: canonical and hreflang alternates for both versions.
	heads := map[string]string{}
	for _, l := range find(d, tag("link")) {
		switch attr(l, "rel") {
		case "canonical":
			heads["canonical"] = attr(l, "href")
		case "alternate":
			heads[attr(l, "hreflang")] = attr(l, "href")
		}
	}
	if heads["canonical"] != "http://un.example.test"+f.statement.Path || heads["en"] != heads["canonical"] ||
		heads["zh"] != "http://un.example.test"+f.zh.Path {
		t.Fatalf("head links = %v", heads)
	}
	if skip := find(d, class("skip")); len(skip) != 1 || attr(skip[0], "href") != "#main" {
		t.Fatal("no skip link to #main")
	}
}

func TestChineseArticle(t *testing.T) {
	f := newFixture(t)
	if want := "/zh/hy/alh/2024/06/" + strconv.FormatInt(f.zh.ID, 10); f.zh.Path != want {
		t.Fatalf("Chinese address = %s; want the id-based %s", f.zh.Path, want)
	}
	d := doc(t, f.get(t, "un.example.test", f.zh.Path))
	if attr(find(d, tag("html"))[0], "lang") != "zh" {
		t.Fatal("Chinese page not marked lang=zh")
	}
	sw := find(find(d, ariaLabel("语言"))[0], tag("a"))
	if len(sw) != 1 || text(sw[0]) != "English" || attr(sw[0], "href") != f.statement.Path {
		t.Fatalf("switch from Chinese: %v", sw)
	}
	var crumbs []string
	for _, li := range find(find(d, ariaLabel("当前位置"))[0], tag("li")) {
		crumbs = append(crumbs, text(li))
	}
	if got := strings.Join(crumbs, " > "); got != "首页 > 会议与发言 > 安理会" {
		t.Fatalf("Chinese breadcrumb = %s", got)
	}
	if share := text(find(find(d, class("share"))[0], tag("a"))[0]); share != "推荐给朋友" {
		t.Fatalf("share label = %q", share)
	}
}

func TestSwitchWithoutTranslationGoesHome(t *testing.T) {
	f := newFixture(t)
	d := doc(t, f.get(t, "un.example.test", f.lonely.Path))
	sw := find(find(d, ariaLabel("Languages"))[0], tag("a"))
	if len(sw) != 1 || attr(sw[0], "href") != "/zh/" {
		t.Fatalf("switch on an untranslated article = %v; want the Chinese home", sw)
	}
	for _, l := range find(d, tag("link")) {
		if attr(l, "hreflang") == "zh" {
			t.Fatal("an untranslated article announces a zh alternate")
		}
	}
}
