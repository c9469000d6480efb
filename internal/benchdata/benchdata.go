// Package benchdata generates a large, deterministic, realistic network
// for benchmarks and search tests: one bilingual site of the Republic of
// Example with a reference-shaped section tree and any number of
// statements, readouts, news, press releases and documents spread over
// 2010–2026.
//
// Titles and bodies are composed from invented vocabularies kept in
// English and Chinese side by side (vocab.go, templates.go), so every
// Chinese version is a translation of its English one and 100,000 titles
// are nearly all distinct. As on a real mission's site, a title is also
// told apart by a few of its words: title templates join facts that vary
// independently (a topic and a measure, a second topic, a group, a place
// or a meeting), in Chinese with nothing between them, so that three
// words of an English title or four characters of a Chinese one find the
// article among 10,000 (see package searchquality). The same
// seed and options always give the same network: the only randomness is
// math/rand/v2's PCG, seeded per piece from Options.Seed and the piece's
// index.
package benchdata

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"chancery/internal/content"
	"chancery/internal/markup"
	"chancery/internal/store"
)

// Options say what to generate.
type Options struct {
	// Articles is the number of pieces of content; each has an English
	// version when English is asked for, and most also a Chinese one.
	Articles int
	// Languages is a subset of "en" and "zh"; default both. The first is
	// the site's default language.
	Languages []string
	// Seed chooses the network; default 1. The same seed and options give
	// the same network.
	Seed uint64
	// Host is the site's host name; default "bench.localhost".
	Host string
}

// SiteKey is the key of the generated site.
const SiteKey = "bench"

// DefaultHost is the generated site's host unless Options.Host is given.
const DefaultHost = "bench.localhost"

// BatchSize is how many pieces each store transaction writes.
const BatchSize = 1000

// Languages are the languages bench data can be written in.
var Languages = []string{"en", "zh"}

// The publication period.
var (
	firstDay = time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
	lastDay  = time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)
)

// timeZone is the site's zone: the mission is in New York.
const timeZone = "America/New_York"

func (o Options) normalize() (Options, error) {
	if o.Articles < 0 {
		return o, fmt.Errorf("benchdata: %d articles: the number cannot be negative", o.Articles)
	}
	if len(o.Languages) == 0 {
		o.Languages = Languages
	}
	var langs []string
	for _, l := range o.Languages {
		l = strings.ToLower(strings.TrimSpace(l))
		if !slices.Contains(Languages, l) {
			return o, fmt.Errorf("benchdata: language %q: bench data is written in en and zh only", l)
		}
		if slices.Contains(langs, l) {
			return o, fmt.Errorf("benchdata: language %q is given twice", l)
		}
		langs = append(langs, l)
	}
	o.Languages = langs
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Host == "" {
		o.Host = DefaultHost
	}
	return o, nil
}

// sectionDef is one section of the generated tree, with what it holds.
type sectionDef struct {
	key, parent            string
	nav                    bool
	en, enSlug, zh, zhSlug string
	// weight is the section's share of the pieces.
	weight int
	// kinds are the kinds of its pieces, drawn uniformly (repeat a kind
	// to weight it).
	kinds []content.Kind
	// families are the body families its statements are made at ("" for
	// any); see body.family.
	families string
	// domains are its topic domains ("" for any).
	domains string
}

var (
	kStatement = content.KindStatement
	kReadout   = content.KindReadout
	kNews      = content.KindNews
	kPress     = content.KindPressRelease
	kDocument  = content.KindDocument
	kPage      = content.KindPage
)

// sectionDefs is the reference navigation of a permanent mission, 24
// sections three levels deep. Parents come before their children.
var sectionDefs = []sectionDef{
	{"meetings", "", true, "Meetings & Statements", "meetings-statements", "会议与发言", "hyyfy", 2, []content.Kind{kStatement}, "", ""},
	{"security-council", "meetings", false, "Security Council", "security-council", "安理会", "alh", 2, []content.Kind{kStatement}, "S", ""},
	{"open-debates", "security-council", false, "Open Debates", "open-debates", "公开辩论会", "gkblh", 9, []content.Kind{kStatement}, "S", ""},
	{"briefings-votes", "security-council", false, "Briefings and Votes", "briefings-votes", "通报会与表决", "tbhybj", 6, []content.Kind{kStatement}, "S", ""},
	{"general-assembly", "meetings", false, "General Assembly", "general-assembly", "联合国大会", "ld", 2, []content.Kind{kStatement}, "A", ""},
	{"plenary", "general-assembly", false, "Plenary Meetings", "plenary", "全体会议", "qthy", 6, []content.Kind{kStatement}, "A", ""},
	{"main-committees", "general-assembly", false, "Main Committees", "main-committees", "主要委员会", "zywyh", 7, []content.Kind{kStatement}, "C", ""},
	{"ecosoc", "meetings", false, "Economic and Social Council", "ecosoc", "经社理事会", "jslsh", 5, []content.Kind{kStatement}, "E", ""},

	{"events", "", true, "Events & Activities", "events-activities", "活动", "hd", 2, []content.Kind{kNews}, "", ""},
	{"ambassador-activities", "events", false, "Ambassador's Activities", "ambassadors-activities", "大使活动", "dshd", 10, []content.Kind{kNews, kReadout, kReadout}, "", ""},
	{"mission-events", "events", false, "Mission Events", "mission-events", "代表团活动", "dbthd", 8, []content.Kind{kNews}, "", ""},

	{"example-un", "", true, "Example & UN", "example-un", "示例与联合国", "slylhg", 2, []content.Kind{kNews, kStatement}, "", ""},
	{"peace-security", "example-un", false, "Peace and Security", "peace-security", "和平与安全", "hpyaq", 2, []content.Kind{kStatement, kNews}, "KD", "P"},
	{"peacekeeping", "peace-security", false, "Peacekeeping", "peacekeeping", "维和行动", "whxd", 4, []content.Kind{kStatement, kNews, kDocument}, "K", "P"},
	{"disarmament", "peace-security", false, "Arms Control and Disarmament", "disarmament", "军控与裁军", "jkycj", 4, []content.Kind{kStatement, kDocument}, "D", "P"},
	{"human-rights", "example-un", false, "Social Development and Human Rights", "social-development-human-rights", "社会发展与人权", "shfzyrq", 5, []content.Kind{kStatement, kNews}, "HE", "RH"},
	{"sustainable-development", "example-un", false, "Sustainable Development and Climate", "sustainable-development-climate", "可持续发展与气候", "kcxfzyqh", 6, []content.Kind{kStatement, kNews, kDocument}, "VE", "DV"},

	{"documents", "", true, "Documents", "documents", "文件", "wj", 1, []content.Kind{kDocument}, "", ""},
	{"position-papers", "documents", false, "Position Papers and Concept Notes", "position-papers", "立场文件与概念文件", "lcwj", 5, []content.Kind{kDocument}, "", ""},
	{"letters", "documents", false, "Letters and Joint Statements", "letters", "信函与联合声明", "xh", 2, []content.Kind{kDocument}, "", ""},
	{"press-releases", "documents", false, "Press Releases", "press-releases", "新闻稿", "xwg", 5, []content.Kind{kPress}, "", ""},

	{"about", "", true, "About the Mission", "about", "关于我们", "gywm", 1, []content.Kind{kPage}, "", ""},
	{"about-ambassador", "about", false, "Ambassador", "ambassador", "大使", "ds", 1, []content.Kind{kPage}, "", ""},

	// Not in the navigation bar: reached from the home page.
	{"news", "", false, "Example News", "example-news", "示例新闻", "slxw", 10, []content.Kind{kNews, kNews, kPress, kReadout}, "", ""},
}

// plan is a section's resolved vocabulary: the bodies and topics its
// pieces draw from.
type plan struct {
	def    *sectionDef
	bodies []int
	topics []int
	// cumWeight is the sum of the weights of the sections up to this one.
	cumWeight int
}

var plans = func() []plan {
	ps := make([]plan, len(sectionDefs))
	cum := 0
	for i := range sectionDefs {
		d := &sectionDefs[i]
		p := plan{def: d}
		for j, b := range bodies {
			if d.families == "" || strings.IndexByte(d.families, b.family) >= 0 {
				p.bodies = append(p.bodies, j)
			}
		}
		for j, t := range topics {
			if d.domains == "" || strings.IndexByte(d.domains, t.domain) >= 0 {
				p.topics = append(p.topics, j)
			}
		}
		cum += d.weight
		p.cumWeight = cum
		ps[i] = p
	}
	return ps
}()

var totalWeight = plans[len(plans)-1].cumWeight

// piece is one piece of content, composed and rendered, ready to store.
type piece struct {
	section   int
	kind      content.Kind
	published time.Time
	has       [2]bool // by language index en, zh
	text      [2]text
	html      [2]string
	err       error
}

// newYork is the site's zone, for the dates written in bodies. Without a
// zone database (a test binary without time/tzdata) dates are in UTC.
var newYork = func() *time.Location {
	if loc, err := time.LoadLocation(timeZone); err == nil {
		return loc
	}
	return time.UTC
}()

// mix scrambles a piece index into a PCG stream selector (splitmix64), so
// that neighbouring pieces get unrelated streams.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// build composes piece i of n, without rendering it. It depends only on the options, i and n,
// never on other pieces, so pieces can be made in any order and in
// parallel.
func (c *composer) build(o *Options, i, n int) piece {
	c.pcg.Seed(o.Seed, mix(o.Seed^uint64(i)))
	r := c.r
	var pc piece

	// Sections: a golden-ratio sequence spreads pieces over sections in
	// proportion to their weights, evenly even for small n, so that every
	// section has pieces.
	u := (uint64(i)*0x9e3779b97f4a7c15 + mix(o.Seed)) >> 32
	pick := int(u * uint64(totalWeight) >> 32)
	pc.section, _ = slices.BinarySearchFunc(plans, pick, func(p plan, t int) int {
		if p.cumWeight <= t {
			return -1
		}
		return 1
	})
	pl := &plans[pc.section]
	pc.kind = pl.def.kinds[r.IntN(len(pl.def.kinds))]

	// Time: pieces in index order through the period, at office hours
	// mostly, some in the evening and at night in New York.
	days := int(lastDay.Sub(firstDay)/(24*time.Hour)) + 1
	day := (i*days + r.IntN(days)) / max(n, 1)
	var hour int
	switch x := r.IntN(100); {
	case x < 70:
		hour = 13 + r.IntN(11) // 9:00–19:59 in New York (EDT)
	case x < 90:
		hour = r.IntN(5) // 20:00–00:59
	default:
		hour = 5 + r.IntN(8) // 01:00–08:59
	}
	pc.published = firstDay.AddDate(0, 0, day).Add(time.Duration(hour)*time.Hour + time.Duration(r.IntN(60))*time.Minute)

	// Languages.
	hasEn, hasZh := slices.Contains(o.Languages, "en"), slices.Contains(o.Languages, "zh")
	pc.has = [2]bool{hasEn, hasZh}
	if hasEn && hasZh && pc.kind != content.KindPage {
		switch x := r.IntN(100); {
		case x < 85:
		case x < 98:
			pc.has[zh] = false
		default:
			pc.has[en] = false
		}
	}

	// Facts.
	kt := texts[pc.kind]
	tt := &kt.titles[r.IntN(len(kt.titles))]
	var f facts
	local := pc.published.In(newYork)
	f.date = local
	f.year = local.Year()
	f.year0 = f.year - 2 - r.IntN(8)
	f.nextYear = f.year + 1
	yearIndex := f.year - 2010
	// About a dozen people speak for Example in a given year.
	f.speaker = &personForms[(max(yearIndex, 0)*5+r.IntN(12))%len(personForms)]
	bi := pl.bodies[r.IntN(len(pl.bodies))]
	if (tt.title.ord || tt.lede.ord) && bodies[bi].family == 'S' {
		bi = 1 // the Security Council holds no numbered sessions: the General Assembly
	}
	f.body = &bodies[bi]
	f.ord = 5 + (bi*11)%60 + yearIndex
	if bi == 1 {
		f.ord = f.year - 1945 // the 65th session opened in 2010
	}
	f.event = &meetingEvents[f.body.events[r.IntN(len(f.body.events))]]
	t1 := r.IntN(len(pl.topics))
	f.topic = &topics[pl.topics[t1]]
	if len(pl.topics) > 1 {
		t2 := r.IntN(len(pl.topics) - 1)
		if t2 >= t1 {
			t2++
		}
		f.topic2 = &topics[pl.topics[t2]]
	} else {
		f.topic2 = &topics[(pl.topics[t1]+1)%len(topics)]
	}
	p1 := r.IntN(len(places))
	f.place = &places[p1]
	f.place2 = &places[(p1+1+r.IntN(len(places)-1))%len(places)]
	f.country = &countries[r.IntN(len(countries))]
	f.cp = &counterparts[r.IntN(len(counterparts))]
	// Titles name a measure or a group with the topic ("Capacity-Building
	// for Nuclear Safety", "the Role of Young People in Road Safety"): skip
	// those that repeat a word of it.
	m1 := r.IntN(len(measures))
	for measureClash[pl.topics[t1]][m1] {
		m1 = (m1 + 1) % len(measures)
	}
	f.measure = &measures[m1]
	f.measure2 = &measures[(m1+1+r.IntN(len(measures)-1))%len(measures)]
	g := r.IntN(len(groups))
	for groupClash[pl.topics[t1]][g] {
		g = (g + 1) % len(groups)
	}
	f.group = &groups[g]
	f.agency = &agencies[r.IntN(len(agencies))]
	f.aid = &aid[r.IntN(len(aid))]
	f.occasion = &occasions[r.IntN(len(occasions))]
	f.institute = &institutes[r.IntN(len(institutes))]
	f.tevent = &topicalEvents[r.IntN(len(topicalEvents))]
	f.sevent = &socialEvents[r.IntN(len(socialEvents))]
	f.n = 3 + r.IntN(28)
	f.n0 = 10 * (4 + r.IntN(37)) // a round number: "more than 250", "250余人"
	f.pct = 5 + r.IntN(36)
	f.money = 5 + r.IntN(196)
	f.round = 1 + r.IntN(len(ordinalWords))

	pc.text = c.compose(pc.kind, &f, tt, pc.has)
	return pc
}

// render turns the piece's Markdown bodies into HTML, once per version.
func (pc *piece) render() {
	for l := range 2 {
		if pc.has[l] {
			if pc.html[l], pc.err = markup.Render(pc.text[l].body); pc.err != nil {
				return
			}
		}
	}
}

// Generate writes one site (key "bench") with its section tree, then
// o.Articles pieces spread over the sections and over 2010–2026, in
// transactions of BatchSize pieces. It is meant for an empty network:
// a site with the same key or host makes it fail before any piece is
// written. progress, if not nil, is called after each batch with the
// number of pieces written and the total.
//
// Pieces are composed and rendered on every CPU while the previous batch
// is being stored.
func Generate(ctx context.Context, st store.Store, o Options, progress func(done, total int)) error {
	o, err := o.normalize()
	if err != nil {
		return err
	}
	site, sectionIDs, err := createSite(ctx, st, o)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	batches := make(chan []piece, 1)
	go func() {
		defer close(batches)
		workers := max(1, runtime.GOMAXPROCS(0))
		composers := make([]*composer, workers)
		for w := range composers {
			composers[w] = newComposer()
		}
		for start := 0; start < o.Articles; start += BatchSize {
			batch := make([]piece, min(BatchSize, o.Articles-start))
			var wg sync.WaitGroup
			for w, c := range composers {
				wg.Go(func() {
					for j := w; j < len(batch); j += workers {
						batch[j] = c.build(&o, start+j, o.Articles)
						batch[j].render()
					}
				})
			}
			wg.Wait()
			select {
			case batches <- batch:
			case <-ctx.Done():
				return
			}
		}
	}()

	done := 0
	for batch := range batches {
		err := st.InTx(ctx, func(q store.Queries) error {
			for k := range batch {
				if err := storePiece(ctx, q, site, sectionIDs, &batch[k]); err != nil {
					return fmt.Errorf("benchdata: piece %d: %w", done+k+1, err)
				}
			}
			return nil
		})
		if err != nil {
			cancel()
			for range batches { // let the composer goroutine finish
			}
			return err
		}
		done += len(batch)
		if progress != nil {
			progress(done, o.Articles)
		}
	}
	return ctx.Err()
}

// storePiece writes the versions of a piece in the site's language order;
// the first written is the translation group of the others.
func storePiece(ctx context.Context, q store.Queries, site content.Site, sectionIDs []int64, pc *piece) error {
	if pc.err != nil {
		return pc.err
	}
	var group int64
	for _, lang := range site.Languages {
		l := en
		if lang == "zh" {
			l = zh
		}
		if !pc.has[l] {
			continue
		}
		t := &pc.text[l]
		a, err := q.CreateArticle(ctx, content.Article{
			SiteID: site.ID, SectionID: sectionIDs[pc.section], Language: lang, Kind: pc.kind,
			Status: content.StatusPublished, Title: t.title, Summary: t.summary, Body: t.body, BodyHTML: pc.html[l],
			PublishedAt: pc.published, CreatedAt: pc.published, UpdatedAt: pc.published, TranslationGroup: group,
		})
		if err != nil {
			return fmt.Errorf("%q: %w", t.title, err)
		}
		if group == 0 {
			group = a.ID
		}
	}
	if group == 0 {
		return errors.New("a piece with no version in the site's languages")
	}
	return nil
}

// createSite writes the site and its sections in one transaction and
// returns the site and the section IDs in sectionDefs order.
func createSite(ctx context.Context, st store.Store, o Options) (content.Site, []int64, error) {
	names := map[string]string{
		"en": "Permanent Mission of the Republic of Example (benchmark network)",
		"zh": "示例共和国常驻代表团（基准测试网络）",
	}
	s := content.Site{Key: SiteKey, Hosts: []string{o.Host}, Languages: o.Languages, DefaultLanguage: o.Languages[0],
		TimeZone: timeZone, Names: map[string]string{}}
	for _, l := range o.Languages {
		s.Names[l] = names[l]
	}
	ids := make([]int64, len(sectionDefs))
	err := st.InTx(ctx, func(q store.Queries) error {
		var err error
		if s, err = q.CreateSite(ctx, s); err != nil {
			return fmt.Errorf("benchdata: site %q: %w", SiteKey, err)
		}
		byKey := map[string]int64{}
		position := map[string]int{}
		for i, d := range sectionDefs {
			sec := content.Section{SiteID: s.ID, ParentID: byKey[d.parent], Position: position[d.parent], InNav: d.nav,
				Names: map[string]string{}, Slugs: map[string]string{}}
			position[d.parent]++
			for _, l := range o.Languages {
				if l == "en" {
					sec.Names[l], sec.Slugs[l] = d.en, d.enSlug
				} else {
					sec.Names[l], sec.Slugs[l] = d.zh, d.zhSlug
				}
			}
			created, err := q.CreateSection(ctx, sec)
			if err != nil {
				return fmt.Errorf("benchdata: section %q: %w", d.key, err)
			}
			byKey[d.key], ids[i] = created.ID, created.ID
		}
		return nil
	})
	return s, ids, err
}
