// Package textcopy reads the text of an article page as a reader copied it
// from the old site (select all, copy, paste into a .txt file) into one
// migrate Item.
//
// Such a copy has the page's words and nothing else, in the order the
// browser laid them out:
//
//	Home Meetings & Statements Events & Activities About 中文   (the site's menu)
//	  Home > China News                                            (breadcrumb)
//	Minister Meets the Visiting Delegation                        (title)
//
//	2022-07-29 23:45                                               (time)
//
//	On the afternoon of July 29, …                                 (paragraphs)
//
//	Suggest to a friend                                            (share links)
//
// The menu and the share links are dropped; the breadcrumb gives the
// section, the time line the publication time, and the paragraphs the body,
// written as Markdown.
package textcopy

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	textunicode "golang.org/x/text/encoding/unicode"

	"chancery/internal/migrate"
)

// Detect reports whether a file is a copied page, from its name and its
// first bytes: a .txt file whose first five non-empty lines hold a
// breadcrumb starting at Home or 首页, and whose first ten hold a date
// after it. head may be short or nil.
func Detect(name string, head []byte) bool {
	if !strings.HasSuffix(strings.ToLower(name), ".txt") {
		return false
	}
	if head == nil {
		return true // only the name is known yet
	}
	// The head may end inside a line, even inside a character: only the
	// complete lines are looked at.
	if i := bytes.LastIndexByte(head, '\n'); i >= 0 {
		head = head[:i+1]
	}
	_, err := layout(lines(decode(head)))
	return err == nil
}

// Parse reads one copied page into a single entry: its Item, or an Err
// saying which part of the expected shape is missing. Parse never panics.
func Parse(f migrate.File) []migrate.Entry {
	e := migrate.Entry{File: f.Name}
	it, err := parse(f)
	if err != nil {
		e.Err = err
	} else {
		e.Item = it
	}
	return []migrate.Entry{e}
}

// parse makes the item of one copied page.
func parse(f migrate.File) (*migrate.Item, error) {
	ls := lines(decode(f.Data))
	p, err := layout(ls)
	if err != nil {
		return nil, err
	}
	body := trimShare(ls[p.date+1:])
	var paras []string
	for _, l := range body {
		if l != "" {
			paras = append(paras, markdown(l))
		}
	}
	if len(paras) == 0 {
		return nil, fmt.Errorf("line %d: no text after the date", p.date+1)
	}
	it := &migrate.Item{
		Key:       "text:" + f.Name,
		Title:     p.title,
		Language:  "en",
		Body:      strings.Join(paras, "\n\n") + "\n",
		Published: p.published,
		Floating:  true,
	}
	if mostlyHan(p.title) {
		it.Language = "zh"
	}
	for _, name := range p.crumbs {
		it.Sections = append(it.Sections, migrate.SectionRef{Slug: slug(name), Name: name})
	}
	return it, nil
}

// decode turns a file's bytes into text. Notepad saves "Unicode" as UTF-16
// with a byte order mark and older Chinese Windows saves GB18030, so both
// are recognised; anything else is read as UTF-8.
func decode(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		u, err := textunicode.UTF16(textunicode.BigEndian, textunicode.UseBOM).NewDecoder().Bytes(b)
		if err == nil {
			return strings.ToValidUTF8(string(u), "\uFFFD")
		}
	case utf8.Valid(b):
		return strings.TrimPrefix(string(b), "\ufeff")
	}
	if g, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b); err == nil && utf8.Valid(g) {
		return string(g)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// lines splits text into trimmed lines. Browsers copy the non-breaking
// and ideographic spaces of a page's layout; they become plain spaces.
func lines(s string) []string {
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
	ls := strings.Split(s, "\n")
	for i, l := range ls {
		ls[i] = strings.TrimSpace(strings.Map(func(r rune) rune {
			switch {
			case r == '\u200b' || r == '\ufeff':
				return -1
			case unicode.IsSpace(r):
				return ' '
			}
			return r
		}, l))
	}
	return ls
}

// page is where the parts of a copied page are.
type page struct {
	crumbs    []string // the breadcrumb without its home
	title     string
	date      int // the index of the date line
	published time.Time
}

// The limits of the page's head, counted in non-empty lines from the top.
const (
	crumbWithin = 5
	dateWithin  = 10
)

// layout finds the breadcrumb, the title and the date at the top of a
// copied page.
func layout(ls []string) (page, error) {
	var p page
	crumb := -1
	seen := 0
	for i, l := range ls {
		if l == "" {
			continue
		}
		if seen++; seen > dateWithin {
			break
		}
		switch {
		case crumb < 0 && seen <= crumbWithin:
			if c, ok := breadcrumb(l); ok {
				crumb, p.crumbs = i, c
			}
		case crumb >= 0:
			if t, ok := dateLine(l); ok {
				if p.title == "" {
					return p, fmt.Errorf("line %d: no title between the breadcrumb and the date", i+1)
				}
				p.date, p.published = i, t
				p.crumbs = dropPageCrumb(p.crumbs, p.title)
				return p, nil
			}
			p.title = joinTitle(p.title, l)
		}
	}
	if crumb < 0 {
		return p, fmt.Errorf("not a copied page: no breadcrumb (Home > …, 首页 > …) in the first %d lines", crumbWithin)
	}
	return p, fmt.Errorf("no date line (2022-07-29 23:45, 2022年7月29日) after the title in the first %d lines", dateWithin)
}

// crumbSeparator splits a breadcrumb.
var crumbSeparator = regexp.MustCompile(`\s*[>›»/＞]\s*`)

// breadcrumb reads a line as a breadcrumb, "Home > China News", returning
// the names after the home.
func breadcrumb(l string) ([]string, bool) {
	parts := crumbSeparator.Split(l, -1)
	if len(parts) < 2 {
		return nil, false
	}
	home := parts[0]
	if !strings.EqualFold(home, "Home") && home != "首页" {
		return nil, false
	}
	var names []string
	for _, p := range parts[1:] {
		if p != "" {
			names = append(names, p)
		}
	}
	return names, true
}

// dropPageCrumb drops a breadcrumb's last name when it stands for the
// article itself rather than a section: its title, or 正文 ("the text").
func dropPageCrumb(crumbs []string, title string) []string {
	if n := len(crumbs); n > 0 && (crumbs[n-1] == title || crumbs[n-1] == "正文") {
		return crumbs[:n-1]
	}
	return crumbs
}

// joinTitle joins a title that the page wrapped onto two lines; Chinese
// words have no space between them.
func joinTitle(title, l string) string {
	if title == "" {
		return l
	}
	last, _ := utf8.DecodeLastRuneInString(title)
	first, _ := utf8.DecodeRuneInString(l)
	if unicode.Is(unicode.Han, last) && unicode.Is(unicode.Han, first) {
		return title + l
	}
	return title + " " + l
}

// maxDateLine is the longest line read as the date line: a paragraph that
// happens to mention a date is longer.
const maxDateLine = 80

var (
	isoDate = regexp.MustCompile(`(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]+(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?`)
	hanDate = regexp.MustCompile(`(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?`)
)

// dateLine reads the publication time from a short line, "2022-07-29
// 23:45", "Date: 2022/07/29", "发布时间：2022年7月29日 23:45". The time has
// no zone: it is returned as its wall clock in UTC.
func dateLine(l string) (time.Time, bool) {
	if utf8.RuneCountInString(l) > maxDateLine {
		return time.Time{}, false
	}
	m := isoDate.FindStringSubmatch(l)
	if m == nil {
		m = hanDate.FindStringSubmatch(l)
	}
	if m == nil {
		return time.Time{}, false
	}
	var n [6]int
	for i, s := range m[1:] {
		n[i], _ = strconv.Atoi(s) // the expressions match digits only; absent parts are 0
	}
	t := time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], 0, time.UTC)
	if t.Month() != time.Month(n[1]) || t.Day() != n[2] || t.Hour() != n[3] || t.Minute() != n[4] || t.Second() != n[5] {
		return time.Time{}, false // 2022-02-30, 25:61: not a time
	}
	return t, true
}

// shareWords are the links pages put after the text, matched regardless of
// case. The glued ones may end the last paragraph when the copy lost the
// line break before them.
var shareWords = []struct {
	word  string
	glued bool
}{
	{"Suggest to a friend", true},
	{"推荐给朋友", true},
	{"分享到", true},
	{"分享", false},
	{"Share", false},
	{"Print", false},
	{"打印本页", false},
	{"打印", false},
	{"Close", false},
	{"关闭窗口", false},
	{"关闭", false},
}

// trimShare drops the share links from the end of the body lines, whether
// on lines of their own ("Print Close", "【打印】 【关闭】") or run onto the
// last paragraph ("…at large.Suggest to a friend").
func trimShare(body []string) []string {
	for len(body) > 0 {
		n := len(body) - 1
		if onlyShare(body[n]) {
			body = body[:n]
			continue
		}
		l := body[n]
		for {
			rest, ok := gluedShare(l)
			if !ok {
				break
			}
			l = rest
		}
		body[n] = l
		return body
	}
	return body
}

// shareForms are the ways a share word is written: "Print", "【打印】",
// "[Print]".
func shareForms(word string) []string {
	return []string{word, "【" + word + "】", "[" + word + "]", "［" + word + "］"}
}

// shareSeparators are what pages put between share links.
const shareSeparators = " |｜/·"

// onlyShare reports whether a line holds nothing but share words (an empty
// line holds none, and so is also dropped from the end).
func onlyShare(l string) bool {
	for l != "" {
		rest, _, _, ok := cutShare(l)
		if !ok {
			return false
		}
		l = strings.TrimRight(rest, shareSeparators)
	}
	return true
}

// cutShare removes one share word, in any of its forms, from the end of l,
// reporting whether the word may be glued to the text and whether it was
// bracketed.
func cutShare(l string) (rest string, glued, bracketed, ok bool) {
	for _, w := range shareWords {
		for i, form := range shareForms(w.word) {
			if len(l) >= len(form) && strings.EqualFold(l[len(l)-len(form):], form) {
				return l[:len(l)-len(form)], w.glued, i > 0, true
			}
		}
	}
	return l, false, false, false
}

// gluedShare removes a share word run onto the end of the text. A bare
// word ("Print") is taken only after a sentence's end, so that a last
// sentence ending in "to a Close" keeps it; phrases and bracketed words
// cannot be the end of a sentence and are always taken.
func gluedShare(l string) (string, bool) {
	rest, glued, bracketed, ok := cutShare(l)
	if !ok {
		return l, false
	}
	text := strings.TrimRight(rest, shareSeparators)
	if text == "" || !(glued || bracketed || endsSentence(text)) {
		return l, false
	}
	return text, true
}

// endsSentence reports whether text ends a sentence, in English or Chinese.
func endsSentence(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".!?。！？…\"”’')）】]", r)
}

// mostlyHan reports whether most letters of s are Chinese characters.
func mostlyHan(s string) bool {
	han, letters := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if unicode.Is(unicode.Han, r) {
				han++
			}
		}
	}
	return han > 0 && 2*han >= letters
}

// slug makes a section's address segment from an English name, "China &
// UN" → "china-un". A name in other letters gives "", leaving the choice
// to the importer.
func slug(name string) string {
	var words []string
	var w strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			w.WriteRune(r)
			continue
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			return ""
		}
		if w.Len() > 0 {
			words = append(words, w.String())
			w.Reset()
		}
	}
	if w.Len() > 0 {
		words = append(words, w.String())
	}
	return strings.Join(words, "-")
}
