package textdiff

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// show writes ops compactly: deletions as [-…-], insertions as {+…+}.
func show(ops []Op) string {
	var sb strings.Builder
	for _, op := range ops {
		switch op.Kind {
		case Delete:
			sb.WriteString("[-" + op.Text + "-]")
		case Insert:
			sb.WriteString("{+" + op.Text + "+}")
		default:
			sb.WriteString(op.Text)
		}
	}
	return sb.String()
}

// checkOps checks what Diff promises of ops for a and b.
func checkOps(t testing.TB, a, b string, ops []Op) {
	t.Helper()
	var old, new strings.Builder
	for i, op := range ops {
		if op.Text == "" {
			t.Fatalf("Diff(%q, %q): op %d is empty: %q", a, b, i, ops)
		}
		if i > 0 && ops[i-1].Kind == op.Kind {
			t.Fatalf("Diff(%q, %q): ops %d and %d are both %v: %q", a, b, i-1, i, op.Kind, ops)
		}
		if i > 0 && ops[i-1].Kind == Insert && op.Kind == Delete {
			t.Fatalf("Diff(%q, %q): an insertion before a deletion at %d: %q", a, b, i, ops)
		}
		switch op.Kind {
		case Equal:
			old.WriteString(op.Text)
			new.WriteString(op.Text)
		case Delete:
			old.WriteString(op.Text)
		case Insert:
			new.WriteString(op.Text)
		default:
			t.Fatalf("Diff(%q, %q): op %d has kind %v", a, b, i, op.Kind)
		}
	}
	if old.String() != a {
		t.Fatalf("Diff(%q, %q): Equal+Delete give %q", a, b, old.String())
	}
	if new.String() != b {
		t.Fatalf("Diff(%q, %q): Equal+Insert give %q", a, b, new.String())
	}
	if Changed(ops) != (a != b) {
		t.Fatalf("Diff(%q, %q): Changed = %v", a, b, Changed(ops))
	}
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name, a, b, want string
	}{
		{"empty", "", "", ""},
		{"identical", "The Permanent Mission", "The Permanent Mission", "The Permanent Mission"},
		{"from nothing", "", "New text", "{+New text+}"},
		{"to nothing", "Old text", "", "[-Old text-]"},
		{"one word", "The meeting was held on Monday.", "The meeting was held on Tuesday.",
			"The meeting was held on [-Monday-]{+Tuesday+}."},
		{"whole words, not letters", "The delegation welcomed the resolution.", "The delegation welcomes the resolution.",
			"The delegation [-welcomed-]{+welcomes+} the resolution."},
		{"inserted word", "hello world", "hello big world", "hello {+big +}world"},
		{"deleted word", "a very important statement", "a important statement", "a [-very -]important statement"},
		{"rewritten phrase", "the quick brown fox jumps", "a slow red dog jumps", "[-the quick brown fox-]{+a slow red dog+} jumps"},
		{"rewritten sentence", "The quick brown fox jumps over the lazy dog.", "A slow red cat sleeps under the warm sun.",
			"[-The quick brown fox jumps over the lazy dog-]{+A slow red cat sleeps under the warm sun+}."},
		{"edited sentence", "The Ambassador met the Minister of Foreign Affairs on Monday.", "The Ambassador met with the Foreign Minister on Tuesday.",
			"The Ambassador met [-the Minister of-]{+with the+} Foreign [-Affairs-]{+Minister+} on [-Monday-]{+Tuesday+}."},
		{"apostrophe and common space", "It's a fact", "It is a fact", "[-It's-]{+It is+} a fact"},
		{"hyphenated word", "a well-known fact", "a well-established fact", "a [-well-known-]{+well-established+} fact"},
		{"number with separators", "about 1,000.5 tonnes", "about 1,200.5 tonnes", "about [-1,000.5-]{+1,200.5+} tonnes"},
		{"punctuation", "Yes, we can.", "Yes; we can!", "Yes[-,-]{+;+} we can[-.-]{+!+}"},
		{"spaces", "two  spaces", "two spaces", "two[-  -]{+ +}spaces"},
		{"trailing newline", "line\n", "line", "line[-\n-]"},
		{"new paragraph", "para one\n\npara two", "para one\n\npara 2\n\npara three",
			"para one\n\npara [-two-]{+2\n\npara three+}"},
		{"changed line keeps the others", "# Title\n\nFirst.\n\nSecond.\n", "# Title\n\nFirst!\n\nSecond.\n",
			"# Title\n\nFirst[-.-]{+!+}\n\nSecond.\n"},
		{"newline not folded", "alpha beta\ngamma delta", "ALPHA beta\ngamma DELTA", "[-alpha-]{+ALPHA+} beta\ngamma [-delta-]{+DELTA+}"},
		{"Chinese date, Arabic digits", "代表团于2024年3月5日举行会议。", "代表团于2024年4月6日举行会议。",
			"代表团于2024年[-3-]{+4+}月[-5-]{+6+}日举行会议。"},
		{"Chinese date, Chinese numerals", "二〇二四年三月五日", "二〇二四年三月六日", "二〇二四年三月[-五-]{+六+}日"},
		{"Chinese characters one by one", "中国常驻联合国代表团举行招待会", "中国常驻日内瓦代表团举行招待会",
			"中国常驻[-联合国-]{+日内瓦+}代表团举行招待会"},
		{"Chinese insertion", "大使出席会议。", "大使今天出席会议。", "大使{+今天+}出席会议。"},
		{"Chinese punctuation", "大使说，会议很成功。", "大使说：会议很成功！", "大使说[-，-]{+：+}会议很成功[-。-]{+！+}"},
		{"mixed scripts", "UN安理会 meeting", "UN大会 meeting", "UN[-安理-]{+大+}会 meeting"},
		{"Japanese", "東京で会議を開きます", "大阪で会議を開きます", "[-東京-]{+大阪+}で会議を開きます"},
		{"Cyrillic", "Постоянное представительство Китая", "Постоянное представительство России",
			"Постоянное представительство [-Китая-]{+России+}"},
		{"Arabic", "البعثة الدائمة للصين", "البعثة الدائمة لروسيا", "البعثة الدائمة [-للصين-]{+لروسيا+}"},
		{"lone characters folded", "政府支持和平发展", "各国推动和谐合作", "[-政府支持和平发展-]{+各国推动和谐合作+}"},
		{"Chinese sentence rewritten", "中国常驻联合国代表团团长出席了安理会公开辩论会并发言", "美国国务卿今天在联合国大会一般性辩论中发表了讲话",
			"[-中国常驻联合国代表团团长出席了安理会公开辩论会并发言-]{+美国国务卿今天在联合国大会一般性辩论中发表了讲话+}"},
		{"two characters kept", "今天的天气很好", "明天的会议很长", "[-今-]{+明+}天的[-天气-]{+会议+}很[-好-]{+长+}"},
		{"script tag", "<p>safe</p>", "<script>alert(1)</script>", "<[-p-]{+script+}>[-safe-]{+alert(1)+}</[-p-]{+script+}>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ops := Diff(tt.a, tt.b)
			checkOps(t, tt.a, tt.b, ops)
			if got := show(ops); got != tt.want {
				t.Errorf("Diff(%q, %q)\n got %s\nwant %s", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestDiffEmptyAndIdentical(t *testing.T) {
	if ops := Diff("", ""); ops != nil {
		t.Errorf("Diff of empty texts = %q, want nil", ops)
	}
	text := "第一段。\n\nSecond paragraph.\n"
	ops := Diff(text, text)
	if len(ops) != 1 || ops[0] != (Op{Equal, text}) {
		t.Errorf("Diff of identical texts = %q", ops)
	}
	if Changed(ops) || Changed(nil) {
		t.Error("Changed is true without a change")
	}
	if ins, del := Stats(ops); ins != 0 || del != 0 {
		t.Errorf("Stats of identical texts = %d, %d", ins, del)
	}
}

func TestHTML(t *testing.T) {
	ops := Diff("Say <b>hi</b> & \"bye\"\nnow", "Say <script>alert('x')</script>\nnow")
	got := string(HTML(ops))
	if strings.Contains(got, "<script") || strings.Contains(got, "<b>") {
		t.Fatalf("HTML does not escape: %s", got)
	}
	want := "Say &lt;<del>b</del><ins>script</ins>&gt;<del>hi</del><ins>alert(&#39;x&#39;)</ins>&lt;/<del>b</del><ins>script</ins>&gt;" +
		"<del> &amp; &#34;bye&#34;</del>\nnow"
	if got != want {
		t.Errorf("HTML\n got %s\nwant %s", got, want)
	}
	if got := HTML(Diff("日期：3月5日", "日期：3月6日")); got != "日期：3月<del>5</del><ins>6</ins>日" {
		t.Errorf("HTML of a Chinese change = %s", got)
	}
	if got := HTML(nil); got != "" {
		t.Errorf("HTML(nil) = %q", got)
	}
}

func TestStats(t *testing.T) {
	tests := []struct {
		a, b     string
		ins, del int
	}{
		{"", "", 0, 0},
		{"one two three", "one three", 0, 1},
		{"one three", "one two  three four", 2, 0},
		{"the quick brown fox", "a slow red dog", 4, 4}, // the folded spaces do not count
		{"会议于3月5日举行", "会议于4月6日举行。", 3, 2},
		{"Hello, world", "Hello world!", 1, 1},
	}
	for _, tt := range tests {
		ins, del := Stats(Diff(tt.a, tt.b))
		if ins != tt.ins || del != tt.del {
			t.Errorf("Stats(Diff(%q, %q)) = %d, %d, want %d, %d", tt.a, tt.b, ins, del, tt.ins, tt.del)
		}
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{Equal: "equal", Delete: "delete", Insert: "insert", 7: "Kind(7)"} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", int(k), got, want)
		}
	}
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"Hello, world!", []string{"Hello", ",", " ", "world", "!"}},
		{"  two\n\nparas ", []string{"  ", "two", "\n\n", "paras", " "}},
		{"don't co-operate 'quoted' -dash- end-", []string{"don't", " ", "co-operate", " ", "'", "quoted", "'", " ", "-", "dash", "-", " ", "end", "-"}},
		{"3.5% of 1,000 v1.2 a.b 1.", []string{"3.5", "%", " ", "of", " ", "1,000", " ", "v1.2", " ", "a", ".", "b", " ", "1", "."}},
		{"COVID-19 x–y", []string{"COVID-19", " ", "x", "–", "y"}},
		{"中华人民共和国", []string{"中", "华", "人", "民", "共", "和", "国"}},
		{"二〇二四年3月", []string{"二", "〇", "二", "四", "年", "3", "月"}},
		{"UN安理会2024", []string{"UN", "安", "理", "会", "2024"}},
		{"ひらがなカタカナ한국", []string{"ひ", "ら", "が", "な", "カ", "タ", "カ", "ナ", "한", "국"}},
		{"Москва 2024", []string{"Москва", " ", "2024"}},
		{"مرحبا بالعالم", []string{"مرحبا", " ", "بالعالم"}},
		{"नमस्ते दुनिया", []string{"नमस्ते", " ", "दुनिया"}},
		{"Cafe\u0301 naïve", []string{"Cafe\u0301", " ", "naïve"}},
		{"👍🏽👨\u200d👩 ok", []string{"👍🏽", "👨\u200d👩", " ", "ok"}},
		{"a\u3000b", []string{"a", "\u3000", "b"}},
		{"x\xffy", []string{"x", "\xff", "y"}},
		{"**bold** [link](/en/a)", []string{"*", "*", "bold", "*", "*", " ", "[", "link", "]", "(", "/", "en", "/", "a", ")"}},
	}
	for _, tt := range tests {
		b := tokenize(tt.in)
		var got []string
		for i := 0; i+1 < len(b); i++ {
			got = append(got, tt.in[b[i]:b[i+1]])
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
			t.Errorf("tokenize(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestLines(t *testing.T) {
	for in, want := range map[string][]int{
		"":         {0},
		"a":        {0, 1},
		"a\n":      {0, 2},
		"a\nb":     {0, 2, 3},
		"\n\nab\n": {0, 1, 2, 5},
	} {
		got := lines(in)
		if len(got) != len(want) {
			t.Errorf("lines(%q) = %v, want %v", in, got, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("lines(%q) = %v, want %v", in, got, want)
				break
			}
		}
	}
}

// TestShortest checks on random sequences that the search finds a
// shortest edit script: as many edits as the textbook dynamic programme
// says.
func TestShortest(t *testing.T) {
	rng := uint64(1)
	next := func(n int) int {
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		return int(rng % uint64(n))
	}
	for round := 0; round < 3000; round++ {
		alphabet := 2 + next(6)
		a := make([]byte, next(40))
		for i := range a {
			a[i] = byte('a' + next(alphabet))
		}
		b := make([]byte, 0, 40)
		for _, c := range a { // b is an edited a, or random
			switch r := next(10); {
			case round%5 == 0:
				b = append(b, byte('a'+next(alphabet)))
			case r == 0:
			case r == 1:
				b = append(b, c, byte('a'+next(alphabet)))
			case r == 2:
				b = append(b, byte('a'+next(alphabet)))
			default:
				b = append(b, c)
			}
		}
		edits := scriptLength(t, string(a), string(b))
		if want := editDistance(a, b); edits != want {
			t.Fatalf("%q → %q: %d edits, want %d", a, b, edits, want)
		}
	}
}

// scriptLength runs the search over the letters of a and b, unlimited,
// and returns the length of its edit script.
func scriptLength(t testing.TB, a, b string) int {
	t.Helper()
	ua, ub := make([]int, len(a)+1), make([]int, len(b)+1)
	for i := range ua {
		ua[i] = i
	}
	for i := range ub {
		ub[i] = i
	}
	d := differ{budget: 1 << 62}
	cs, ok := d.units(a, b, ua, ub)
	if !ok {
		t.Fatal("the unlimited search gave up")
	}
	edits := 0
	var old, new strings.Builder
	for _, c := range cs {
		old.WriteString(a[c.a0:c.a1])
		new.WriteString(b[c.b0:c.b1])
		if c.equal {
			if a[c.a0:c.a1] != b[c.b0:c.b1] {
				t.Fatalf("%q → %q: equal chunk %q ≠ %q", a, b, a[c.a0:c.a1], b[c.b0:c.b1])
			}
		} else {
			edits += c.a1 - c.a0 + c.b1 - c.b0
		}
	}
	if old.String() != a || new.String() != b {
		t.Fatalf("%q → %q: chunks give %q → %q", a, b, old.String(), new.String())
	}
	return edits
}

// editDistance is the number of insertions and deletions of a shortest
// edit script, by dynamic programming.
func editDistance[T comparable](a, b []T) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			if a[i-1] == b[j-1] {
				cur[j] = prev[j-1]
			} else {
				cur[j] = 1 + min(prev[j], cur[j-1])
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func TestFallback(t *testing.T) {
	old := "# Statement\n\nThe first paragraph stays as it was.\n\n" +
		"Ambassador Li spoke at the open debate on Monday.\n\n" +
		"The second paragraph stays too.\n\nClosing remarks were brief.\n"
	new := "# Statement\n\nThe first paragraph stays as it was.\n\n" +
		"Ambassador Wang spoke at the closed debate on Tuesday.\n\n" +
		"The second paragraph stays too.\n\nClosing remarks were long.\n"
	tests := []struct {
		limit int
		want  string
	}{
		// No budget at all: one replacement between the common prefix
		// and suffix.
		{0, "# Statement\n\nThe first paragraph stays as it was.\n\nAmbassador " +
			"[-Li spoke at the open debate on Monday.\n\nThe second paragraph stays too.\n\nClosing remarks were brief-]" +
			"{+Wang spoke at the closed debate on Tuesday.\n\nThe second paragraph stays too.\n\nClosing remarks were long+}.\n"},
		// Enough for lines but not for words: the changed paragraphs
		// are found, the first replaced whole, the second (cheaper)
		// compared word by word before the budget runs out. (The limits
		// follow from how work is counted, and change with it.)
		{20, "# Statement\n\nThe first paragraph stays as it was.\n\n" +
			"Ambassador [-Li spoke at the open debate on Monday-]{+Wang spoke at the closed debate on Tuesday+}.\n\n" +
			"The second paragraph stays too.\n\nClosing remarks were [-brief-]{+long+}.\n"},
		// Enough for words.
		{workBudget, "# Statement\n\nThe first paragraph stays as it was.\n\n" +
			"Ambassador [-Li-]{+Wang+} spoke at the [-open-]{+closed+} debate on [-Monday-]{+Tuesday+}.\n\n" +
			"The second paragraph stays too.\n\nClosing remarks were [-brief-]{+long+}.\n"},
	}
	for _, tt := range tests {
		d := differ{limit: tt.limit}
		ops := ops(old, new, d.diff(old, new))
		checkOps(t, old, new, ops)
		if got := show(ops); got != tt.want {
			t.Errorf("limit %d:\n got %q\nwant %q", tt.limit, got, tt.want)
		}
	}
}

func TestFallbackUnrelated(t *testing.T) {
	a, b := sampleText(1, 50_000), sampleText(2, 50_000)
	d := differ{budget: workBudget}
	if _, ok := d.units(a, b, tokenize(a), tokenize(b)); ok {
		t.Fatal("two unrelated texts of 50 KB fit in the budget: the test does not test the fallback")
	}
	ops := Diff(a, b)
	checkOps(t, a, b, ops)
	// The paragraphs' blank lines still match, so the paragraphs show
	// side by side, compared word by word.
	if n := strings.Count(show(ops), "\n\n[-"); n < 10 {
		t.Errorf("only %d paragraphs matched", n)
	}
	if !utf8.ValidString(string(HTML(ops))) {
		t.Error("HTML of valid text is not valid UTF-8")
	}
}

// sampleText returns about n bytes of text made of paragraphs of words,
// some of them Chinese, from a seed.
func sampleText(seed uint64, n int) string {
	words := strings.Fields("the of and to in mission permanent united nations security council general assembly " +
		"statement ambassador delegation resolution meeting debate development cooperation peace climate " +
		"human rights support international community 代表团 联合国 安理会 发展 合作 和平")
	rng := seed*0x9E3779B97F4A7C15 + 1
	next := func(k int) int {
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		return int(rng % uint64(k))
	}
	var sb strings.Builder
	for sb.Len() < n {
		for i := 40 + next(80); i > 0; i-- {
			sb.WriteString(words[next(len(words))])
			switch next(12) {
			case 0:
				sb.WriteString(", ")
			case 1:
				sb.WriteString(". ")
			default:
				sb.WriteByte(' ')
			}
		}
		sb.WriteString("end.\n\n")
	}
	return sb.String()
}
