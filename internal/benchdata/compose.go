package benchdata

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"chancery/internal/content"
)

// slot is a {placeholder} of a template.
type slot uint8

const (
	sLit slot = iota
	sSpeaker
	sSName
	sBody
	sEvent
	sTEvent
	sATEvent
	sSEvent
	sASEvent
	sTopic
	sTopic2
	sPlace
	sPlace2
	sCountry
	sCp
	sYear
	sYear0
	sNextYear
	sDate
	sMonth
	sMeasure
	sMeasure2
	sGroup
	sAgency
	sN
	sN0
	sPct
	sMoney
	sMoneyZh
	sOrd
	sRound
	sAid
	sOccasion
	sInstitute
)

var slotNames = map[string]slot{
	"speaker": sSpeaker, "sname": sSName, "body": sBody, "event": sEvent,
	"tevent": sTEvent, "atevent": sATEvent, "sevent": sSEvent, "asevent": sASEvent,
	"topic": sTopic, "topic2": sTopic2, "place": sPlace, "place2": sPlace2,
	"country": sCountry, "cp": sCp, "year": sYear, "year0": sYear0, "nextyear": sNextYear,
	"date": sDate, "month": sMonth, "measure": sMeasure, "measure2": sMeasure2, "group": sGroup,
	"agency": sAgency, "n": sN, "n0": sN0, "pct": sPct, "money": sMoney, "moneyzh": sMoneyZh,
	"ord": sOrd, "round": sRound, "aid": sAid, "occasion": sOccasion, "institute": sInstitute,
}

type part struct {
	lit  string
	slot slot
}

// ctmpl is a compiled tmplPair: literal text and slots, in each language.
type ctmpl struct {
	lang [2][]part
	ord  bool // uses {ord}: needs a body that holds numbered sessions
}

// Language indexes of ctmpl.lang and of a piece's versions.
const (
	en = 0
	zh = 1
)

func compile(p tmplPair) ctmpl {
	var c ctmpl
	for l, src := range [2]string{p.en, p.zh} {
		var parts []part
		for src != "" {
			i := strings.IndexByte(src, '{')
			if i < 0 {
				parts = append(parts, part{lit: src})
				break
			}
			if i > 0 {
				parts = append(parts, part{lit: src[:i]})
			}
			j := strings.IndexByte(src[i:], '}')
			if j < 0 {
				panic(fmt.Sprintf("benchdata: unclosed slot in %q", src))
			}
			s, ok := slotNames[src[i+1:i+j]]
			if !ok {
				panic(fmt.Sprintf("benchdata: unknown slot %q in %q", src[i+1:i+j], src))
			}
			c.ord = c.ord || s == sOrd
			parts = append(parts, part{slot: s})
			src = src[i+j+1:]
		}
		c.lang[l] = parts
	}
	return c
}

func compileAll(ps []tmplPair) []ctmpl {
	cs := make([]ctmpl, len(ps))
	for i, p := range ps {
		cs[i] = compile(p)
	}
	return cs
}

// compiledTitle is a title template with its lede.
type compiledTitle struct {
	title, lede ctmpl
}

// kindText holds the compiled templates of one kind of article.
type kindText struct {
	titles    []compiledTitle
	pool      []ctmpl // body sentences, used in a shuffled order
	openers   []ctmpl // first sentence of the second paragraph, if any
	closers   []ctmpl
	summaries []ctmpl
	intros    []ctmpl
}

var (
	texts        map[content.Kind]*kindText
	items        []ctmpl
	heads        []ctmpl
	titleForms   map[string]string
	personForms  []personText
	ordinalWords = [...][2]string{{"first", "一"}, {"second", "二"}, {"third", "三"}, {"fourth", "四"},
		{"fifth", "五"}, {"sixth", "六"}, {"seventh", "七"}, {"eighth", "八"}, {"ninth", "九"}, {"tenth", "十"},
		{"eleventh", "十一"}, {"twelfth", "十二"}}
	monthNames = [...]string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"}
)

// personText is how a person is named: en full ("Ambassador Tomas
// Veridian"), en short ("Ambassador Veridian") and zh ("维里迪安大使").
type personText struct {
	full, short, zh string
}

func init() {
	pools := map[content.Kind][][]tmplPair{
		content.KindStatement:    {firstPerson, neutral},
		content.KindDocument:     {firstPerson, neutral, paper},
		content.KindReadout:      {meeting, narrative, neutral},
		content.KindNews:         {gathering, narrative, neutral},
		content.KindPressRelease: {gathering, narrative, neutral},
		content.KindPage:         {standing, neutral},
	}
	texts = map[content.Kind]*kindText{}
	for _, k := range content.Kinds {
		kt := &kindText{closers: compileAll(closers[k]), summaries: compileAll(summaries[k]), intros: compileAll(listIntros[k])}
		for _, t := range titles[k] {
			kt.titles = append(kt.titles, compiledTitle{compile(t.title), compile(t.lede)})
		}
		for _, p := range pools[k] {
			kt.pool = append(kt.pool, compileAll(p)...)
		}
		if k == content.KindStatement {
			kt.openers = compileAll(openers)
		}
		texts[k] = kt
	}
	items = compileAll(listItems)
	heads = compileAll(headings)

	titleForms = map[string]string{}
	for _, list := range [][]term{countries, counterparts, places, meetingEvents, agencies, measures, groups,
		socialEvents, topicalEvents, occasions, aid, institutes} {
		for _, t := range list {
			titleForms[t.en] = titleCase(t.en)
		}
	}
	for _, t := range topics {
		titleForms[t.en] = titleCase(t.en)
	}
	for _, b := range bodies {
		titleForms[b.en] = titleCase(b.en)
	}
	personForms = make([]personText, len(people))
	for i, p := range people {
		r := roles[p.role]
		pt := personText{full: r.en + " " + p.given + " " + p.surname, short: r.en + " " + p.surname}
		if r.zhAfter {
			pt.zh = p.zh + r.zh
		} else {
			pt.zh = r.zh + p.zh
		}
		personForms[i] = pt
	}
}

// smallWords stay in lower case inside a title ("es" for Dar es Salaam).
var smallWords = map[string]bool{"a": true, "an": true, "and": true, "as": true, "at": true, "by": true,
	"es": true, "for": true, "from": true, "in": true, "into": true, "of": true, "on": true, "or": true, "the": true,
	"to": true, "with": true}

// titleCase capitalizes the words of a phrase for use inside a title:
// "women, peace and security" → "Women, Peace and Security",
// "Arria-formula meeting" → "Arria-Formula Meeting".
func titleCase(s string) string {
	words := strings.Split(s, " ")
	for i, w := range words {
		if smallWords[w] {
			continue
		}
		parts := strings.Split(w, "-")
		for j, p := range parts {
			if p != "" && p[0] >= 'a' && p[0] <= 'z' {
				parts[j] = string(p[0]-'a'+'A') + p[1:]
			}
		}
		words[i] = strings.Join(parts, "-")
	}
	return strings.Join(words, " ")
}

// facts are what one piece is about. Every sentence of its title and body
// is filled from them, so the body mentions what the title names.
type facts struct {
	speaker                                         *personText
	body                                            *body
	event, tevent, sevent                           *term
	topic, topic2                                   *topic
	place, place2, country, cp, measure, measure2   *term
	group, agency, aid, occasion, institute         *term
	year, year0, nextYear, n, n0, pct, money, round int
	ord                                             int
	date                                            time.Time
}

// composer writes the text of pieces. Each worker goroutine has its own;
// its buffers are reused from piece to piece.
type composer struct {
	pcg   rand.PCG
	r     *rand.Rand
	buf   [2][]byte // bodies being written
	sent  [2][]byte // one sentence before it is accepted
	perm  []int
	words int // English words written to buf[en]
	chars int // Chinese characters written to buf[zh]
}

func newComposer() *composer {
	c := &composer{}
	c.r = rand.New(&c.pcg)
	return c
}

// fill appends the template in lang to dst. In an English title, terms
// take their title-case form.
func (c *composer) fill(dst []byte, t *ctmpl, lang int, title bool, f *facts) []byte {
	for _, p := range t.lang[lang] {
		if p.slot == sLit {
			dst = append(dst, p.lit...)
			continue
		}
		dst = f.appendSlot(dst, p.slot, lang, title)
	}
	return dst
}

func (f *facts) appendSlot(dst []byte, s slot, lang int, title bool) []byte {
	termOf := func(t *term) []byte {
		switch {
		case lang == zh:
			return append(dst, t.zh...)
		case title:
			return append(dst, titleForms[t.en]...)
		default:
			return append(dst, t.en...)
		}
	}
	article := func(t *term) []byte {
		if lang == en {
			if strings.IndexByte("aeiou", t.en[0]) >= 0 {
				dst = append(dst, "an "...)
			} else {
				dst = append(dst, "a "...)
			}
		}
		return termOf(t)
	}
	switch s {
	case sSpeaker:
		if lang == zh {
			return append(dst, f.speaker.zh...)
		}
		return append(dst, f.speaker.full...)
	case sSName:
		if lang == zh {
			return append(dst, f.speaker.zh...)
		}
		return append(dst, f.speaker.short...)
	case sBody:
		return termOf(&f.body.term)
	case sEvent:
		return termOf(f.event)
	case sTEvent:
		return termOf(f.tevent)
	case sATEvent:
		return article(f.tevent)
	case sSEvent:
		return termOf(f.sevent)
	case sASEvent:
		return article(f.sevent)
	case sTopic:
		return termOf(&f.topic.term)
	case sTopic2:
		return termOf(&f.topic2.term)
	case sPlace:
		return termOf(f.place)
	case sPlace2:
		return termOf(f.place2)
	case sCountry:
		return termOf(f.country)
	case sCp:
		return termOf(f.cp)
	case sYear:
		return strconv.AppendInt(dst, int64(f.year), 10)
	case sYear0:
		return strconv.AppendInt(dst, int64(f.year0), 10)
	case sNextYear:
		return strconv.AppendInt(dst, int64(f.nextYear), 10)
	case sDate:
		y, m, d := f.date.Date()
		if lang == zh {
			dst = strconv.AppendInt(dst, int64(y), 10)
			dst = append(dst, "年"...)
			dst = strconv.AppendInt(dst, int64(m), 10)
			dst = append(dst, "月"...)
			dst = strconv.AppendInt(dst, int64(d), 10)
			return append(dst, "日"...)
		}
		dst = strconv.AppendInt(dst, int64(d), 10)
		dst = append(dst, ' ')
		dst = append(dst, monthNames[m-1]...)
		dst = append(dst, ' ')
		return strconv.AppendInt(dst, int64(y), 10)
	case sMonth:
		y, m, _ := f.date.Date()
		if lang == zh {
			dst = strconv.AppendInt(dst, int64(y), 10)
			dst = append(dst, "年"...)
			dst = strconv.AppendInt(dst, int64(m), 10)
			return append(dst, "月"...)
		}
		dst = append(dst, monthNames[m-1]...)
		dst = append(dst, ' ')
		return strconv.AppendInt(dst, int64(y), 10)
	case sMeasure:
		return termOf(f.measure)
	case sMeasure2:
		return termOf(f.measure2)
	case sGroup:
		return termOf(f.group)
	case sAgency:
		return termOf(f.agency)
	case sN:
		return strconv.AppendInt(dst, int64(f.n), 10)
	case sN0:
		return strconv.AppendInt(dst, int64(f.n0), 10)
	case sPct:
		return strconv.AppendInt(dst, int64(f.pct), 10)
	case sMoney:
		return strconv.AppendInt(dst, int64(f.money), 10)
	case sMoneyZh:
		// Millions of dollars in Chinese units: 500万 below a hundred
		// million, 1.31亿 from it.
		if f.money < 100 {
			return append(strconv.AppendInt(dst, int64(f.money)*100, 10), "万"...)
		}
		dst = strconv.AppendInt(dst, int64(f.money/100), 10)
		if frac := f.money % 100; frac != 0 {
			dst = append(dst, '.', byte('0'+frac/10))
			if frac%10 != 0 {
				dst = append(dst, byte('0'+frac%10))
			}
		}
		return append(dst, "亿"...)
	case sOrd:
		dst = strconv.AppendInt(dst, int64(f.ord), 10)
		if lang == en {
			dst = append(dst, ordinalSuffix(f.ord)...)
		}
		return dst
	case sRound:
		w := ordinalWords[(f.round-1)%len(ordinalWords)][lang]
		if lang == en && title {
			return append(append(dst, w[0]-'a'+'A'), w[1:]...)
		}
		return append(dst, w...)
	case sAid:
		return termOf(f.aid)
	case sOccasion:
		return termOf(f.occasion)
	case sInstitute:
		return termOf(f.institute)
	}
	panic(fmt.Sprintf("benchdata: slot %d has no value", s))
}

func ordinalSuffix(n int) string {
	if n%100 >= 11 && n%100 <= 13 {
		return "th"
	}
	switch n % 10 {
	case 1:
		return "st"
	case 2:
		return "nd"
	case 3:
		return "rd"
	}
	return "th"
}

// sentence fills t into c.sent in both languages, capitalizing the
// English, and returns its English word and Chinese character counts.
func (c *composer) sentence(t *ctmpl, f *facts) (words, chars int) {
	c.sent[en] = c.fill(c.sent[en][:0], t, en, false, f)
	c.sent[zh] = c.fill(c.sent[zh][:0], t, zh, false, f)
	capitalize(c.sent[en])
	return countWords(c.sent[en]), utf8.RuneCount(c.sent[zh])
}

// accept appends the sentence in c.sent to both bodies, after sep.
func (c *composer) accept(sepEn, sepZh string, words, chars int) {
	c.buf[en] = append(append(c.buf[en], sepEn...), c.sent[en]...)
	c.buf[zh] = append(append(c.buf[zh], sepZh...), c.sent[zh]...)
	c.words += words
	c.chars += chars
}

func capitalize(b []byte) {
	if len(b) > 0 && b[0] >= 'a' && b[0] <= 'z' {
		b[0] -= 'a' - 'A'
	}
}

func countWords(b []byte) int {
	n := 1
	for _, ch := range b {
		if ch == ' ' {
			n++
		}
	}
	return n
}

// Length limits of a body: the spec's ranges, with room for the closing
// sentence.
const (
	minWords    = 250
	maxWords    = 700
	minChars    = 400
	maxChars    = 1200
	closerWords = 20
	closerChars = 55 // and room for list and heading markers
)

// text is one language version of a piece.
type text struct {
	title, summary, body string
}

// compose writes the title, summary and body of a piece in both
// languages. Only the languages asked for are turned into strings.
func (c *composer) compose(kind content.Kind, f *facts, tt *compiledTitle, want [2]bool) (out [2]text) {
	kt := texts[kind]
	r := c.r
	for l := range 2 {
		if !want[l] {
			continue
		}
		c.sent[l] = c.fill(c.sent[l][:0], &tt.title, l, true, f)
		capitalize(c.sent[l])
		out[l].title = string(c.sent[l])
	}
	sum := &kt.summaries[r.IntN(len(kt.summaries))]
	c.sentence(sum, f)
	for l := range 2 {
		if want[l] {
			out[l].summary = string(c.sent[l])
		}
	}

	c.buf[en], c.buf[zh] = c.buf[en][:0], c.buf[zh][:0]
	c.words, c.chars = 0, 0
	paragraphs := 4 + r.IntN(5) // 4..8
	if kind == content.KindStatement {
		paragraphs = 4 + r.IntN(4) // and the closing thanks make 5..8
	}
	target := 265 + r.IntN(396) // English words, 265..660
	listAt, headAt := -1, -1
	if r.IntN(100) < 35 {
		listAt = 1 + r.IntN(paragraphs-2) // never the first or last
	}
	if r.IntN(100) < 40 {
		headAt = 2 + r.IntN(paragraphs-2)
	}
	if cap(c.perm) < len(kt.pool) {
		c.perm = make([]int, len(kt.pool))
	}
	perm := c.perm[:len(kt.pool)]
	for i := range perm {
		perm[i] = i
	}
	r.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
	next := 0
	capWords, capChars := maxWords-closerWords, maxChars-closerChars

	for p := range paragraphs {
		if p > 0 {
			c.buf[en] = append(c.buf[en], "\n\n"...)
			c.buf[zh] = append(c.buf[zh], "\n\n"...)
		}
		if p == headAt {
			w, ch := c.sentence(&heads[r.IntN(len(heads))], f)
			c.accept("## ", "## ", w, ch)
			c.buf[en] = append(c.buf[en], "\n\n"...)
			c.buf[zh] = append(c.buf[zh], "\n\n"...)
		}
		if p == listAt {
			c.list(kind, f)
			continue
		}
		sepEn, sepZh := "", ""
		goal := target * (p + 1) / paragraphs
		if p == 0 {
			w, ch := c.sentence(&tt.lede, f)
			c.accept("", "", w, ch)
			sepEn = " "
		} else if p == 1 && len(kt.openers) > 0 {
			w, ch := c.sentence(&kt.openers[r.IntN(len(kt.openers))], f)
			c.accept("", "", w, ch)
			sepEn = " "
		}
		last := p == paragraphs-1
		for tries := 0; sepEn == "" || c.words < goal || (last && (c.words < minWords+5 || c.chars < minChars+10)); tries++ {
			w, ch := c.sentence(&kt.pool[perm[next%len(perm)]], f)
			if c.words+w > capWords || c.chars+ch > capChars {
				if sepEn == "" && tries < len(perm) {
					next++ // too long to start a paragraph near the limit: try another
					continue
				}
				break
			}
			next++
			c.accept(sepEn, sepZh, w, ch)
			sepEn = " "
		}
	}
	if len(kt.closers) > 0 {
		w, ch := c.sentence(&kt.closers[r.IntN(len(kt.closers))], f)
		if kind == content.KindStatement {
			c.accept("\n\n", "\n\n", w, ch)
		} else {
			c.accept(" ", "", w, ch)
		}
	}
	for l := range 2 {
		if want[l] {
			out[l].body = string(c.buf[l])
		}
	}
	return out
}

// list writes a paragraph that is a Markdown list: an introducing
// sentence and three to five items.
func (c *composer) list(kind content.Kind, f *facts) {
	kt := texts[kind]
	w, ch := c.sentence(&kt.intros[c.r.IntN(len(kt.intros))], f)
	c.accept("", "", w, ch)
	n := 3 + c.r.IntN(3)
	start := c.r.IntN(len(items))
	for i := range n {
		t := &items[(start+i*2)%len(items)] // stride 2 over an odd count: no repeats
		c.sent[en] = c.fill(c.sent[en][:0], t, en, false, f)
		c.sent[zh] = c.fill(c.sent[zh][:0], t, zh, false, f)
		endEn, endZh := ";", "；"
		if i == n-1 {
			endEn, endZh = ".", "。"
		}
		c.sent[en] = append(c.sent[en], endEn...)
		c.sent[zh] = append(c.sent[zh], endZh...)
		c.accept("\n- ", "\n- ", countWords(c.sent[en]), utf8.RuneCount(c.sent[zh]))
	}
}
