package admin

import (
	"chancery/internal/content"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"text/template/parse"
)

// dynamicPhrases are passed through T at run time rather than written as
// literals, so the scan of the sources cannot find them.
var dynamicPhrases = []string{
	// Kinds of article.
	"news", "statement", "readout", "press-release", "document", "page",
	// Statuses.
	"draft", "scheduled", "published", "withdrawn",
	// Roles; a person without a role shows as "none".
	"admin", "editor", "author", "translator", "none",
	// Audit actions.
	"setup", "sign-in", "sign-in-failed", "sign-out-everywhere",
	"password-set", "password-changed", "two-factor-on", "two-factor-off",
	"recovery-codes", "publish", "force-publish", "schedule", "unschedule",
	"withdraw", "submit", "create", "translate", "preview-link",
	"user-added", "role", "settings", "section-created", "section-changed", "section-moved",
	"upload", "attach", "detach", "file-texts", "password-reset", "user-enabled", "user-disabled",
	// Sign-in methods, shown as the details of audit entries.
	"password", "password and code", "password and recovery code",
	"password link", "second factor",
	// Validation messages shown next to form fields.
	"the two passwords differ: type the same one twice",
	"the server is busy: send the form again in a moment",
	"say why this cannot wait for a second person: the reason is kept in the audit log",
	"say why the article is withdrawn: readers see the reason beside the article",
	"the reason is longer than 1,000 characters",
	"the article is published as it is: save a change first",
	"a withdrawn article stays withdrawn; write a new article instead",
	"a withdrawn article is kept as it was withdrawn; write a new article instead",
	"this article is published: say in a change note what you changed, and whether readers should see the note",
	"the change note is longer than 500 characters",
	"there is no change to review: save one first",
	"nothing of this article is scheduled",
	"a translation is in another language than its source",
	"the title is empty",
	"the title is longer than 300 characters",
	"choose the date and time to publish at",
	"give a date and time such as 2026-12-24T23:45",
	"the password is your e-mail address: choose something else",
	"the password is not valid text",
	"the e-mail address is empty",
	"the name is longer than 100 characters",
	"the e-mail address is longer than 254 characters",
	"choose a stored document",
	"this article has a version in that language already: open it from the article's page",
	"someone saved a newer text since you opened this page: read it, then publish again",
	"the source text named by the form is not the source article's; open the translation again",
	"translate from the article's first version, not from another translation",
}

// phraseUse is where a phrase is used.
type phraseUse struct {
	phrase, where string
}

// templatePhrases finds the literal phrases the templates translate:
// {{.T "…"}}, {{$.T "…"}}, {{$.x.T "…"}}, (.T "…") and "…" | .T.
func templatePhrases(t *testing.T) []phraseUse {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("templates", "*.html"))
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("no templates found")
	}
	var uses []phraseUse
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		tree := parse.New(name)
		tree.Mode = parse.SkipFuncCheck | parse.ParseComments
		trees := map[string]*parse.Tree{}
		if _, err := tree.Parse(string(b), "", "", trees); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, tr := range trees {
			walkTemplate(tr.Root, func(phrase string, pos parse.Pos) {
				line := 1 + strings.Count(string(b[:pos]), "\n")
				uses = append(uses, phraseUse{phrase, name + ":" + strconv.Itoa(line)})
			})
		}
	}
	return uses
}

// isT reports whether a template node names a method T.
func isT(n parse.Node) bool {
	var idents []string
	switch n := n.(type) {
	case *parse.FieldNode:
		idents = n.Ident
	case *parse.VariableNode:
		idents = n.Ident[1:]
	case *parse.ChainNode:
		idents = n.Field
	}
	return len(idents) > 0 && idents[len(idents)-1] == "T"
}

func walkTemplate(n parse.Node, found func(string, parse.Pos)) {
	switch n := n.(type) {
	case nil:
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walkTemplate(c, found)
		}
	case *parse.ActionNode:
		walkTemplate(n.Pipe, found)
	case *parse.IfNode:
		walkBranch(&n.BranchNode, found)
	case *parse.RangeNode:
		walkBranch(&n.BranchNode, found)
	case *parse.WithNode:
		walkBranch(&n.BranchNode, found)
	case *parse.TemplateNode:
		walkTemplate(n.Pipe, found)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for i, c := range n.Cmds {
			// "…" | .T
			if i > 0 && len(c.Args) == 1 && isT(c.Args[0]) {
				prev := n.Cmds[i-1]
				if len(prev.Args) == 1 {
					if s, ok := prev.Args[0].(*parse.StringNode); ok {
						found(s.Text, s.Pos)
					}
				}
			}
			walkTemplate(c, found)
		}
	case *parse.CommandNode:
		if len(n.Args) >= 2 && isT(n.Args[0]) {
			if s, ok := n.Args[1].(*parse.StringNode); ok {
				found(s.Text, s.Pos)
			}
		}
		for _, a := range n.Args {
			walkTemplate(a, found)
		}
	case *parse.ChainNode:
		walkTemplate(n.Node, found)
	}
}

func walkBranch(n *parse.BranchNode, found func(string, parse.Pos)) {
	walkTemplate(n.Pipe, found)
	walkTemplate(n.List, found)
	walkTemplate(n.ElseList, found)
}

// goPhrases finds the literal phrases the package's Go files (not its
// tests) translate: x.T("…"), and translate(lang, "…").
func goPhrases(t *testing.T) []phraseUse {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var uses []phraseUse
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var arg ast.Expr
			switch fun := call.Fun.(type) {
			case *ast.SelectorExpr:
				if fun.Sel.Name == "T" && len(call.Args) == 1 {
					arg = call.Args[0]
				}
			case *ast.Ident:
				if fun.Name == "translate" && len(call.Args) == 2 {
					arg = call.Args[1]
				}
			}
			if s, ok := stringConstant(arg); ok {
				uses = append(uses, phraseUse{s, fset.Position(arg.Pos()).String()})
			}
			return true
		})
	}
	return uses
}

// stringConstant gives the value of a string literal, or of literals
// joined with +.
func stringConstant(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.ParenExpr:
		return stringConstant(e.X)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		x, ok1 := stringConstant(e.X)
		y, ok2 := stringConstant(e.Y)
		return x + y, ok1 && ok2
	}
	return "", false
}

func TestLabelsComplete(t *testing.T) {
	uses := append(templatePhrases(t), goPhrases(t)...)
	for _, p := range dynamicPhrases {
		uses = append(uses, phraseUse{p, "dynamicPhrases"})
	}
	missing := map[string][]string{}
	for _, u := range uses {
		if _, ok := zh[u.phrase]; !ok {
			missing[u.phrase] = append(missing[u.phrase], u.where)
		}
	}
	if len(missing) == 0 {
		return
	}
	phrases := make([]string, 0, len(missing))
	for p := range missing {
		phrases = append(phrases, p)
	}
	sort.Strings(phrases)
	var b strings.Builder
	for _, p := range phrases {
		where := missing[p]
		slices.Sort(where)
		b.WriteString("\n\t" + strconv.Quote(p) + ": \"\", // " + strings.Join(slices.Compact(where), ", "))
	}
	t.Errorf("%d phrases have no Chinese in zh (labels.go):%s", len(phrases), b.String())
}

func TestLabelsUsed(t *testing.T) {
	used := map[string]bool{}
	for _, u := range append(templatePhrases(t), goPhrases(t)...) {
		used[u.phrase] = true
	}
	for _, p := range dynamicPhrases {
		used[p] = true
	}
	var stale []string
	for k := range zh {
		if !used[k] {
			stale = append(stale, k)
		}
	}
	sort.Strings(stale)
	for _, k := range stale {
		t.Errorf("zh has %q, which nothing uses any more (or add it to dynamicPhrases if it is passed to T at run time)", k)
	}
}

// verbs matches fmt's verbs, with flags, width, precision and argument
// indexes, and %%.
var verbs = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*(?:\*|\d+)?(?:\.(?:\*|\d+)?)?(?:\[\d+\])?[a-zA-Z%]`)

func TestLabelsVerbs(t *testing.T) {
	for k, v := range zh {
		if strings.TrimSpace(v) == "" {
			t.Errorf("zh[%q] is empty", k)
			continue
		}
		want, got := verbs.FindAllString(k, -1), verbs.FindAllString(v, -1)
		if !slices.Equal(want, got) {
			t.Errorf("zh[%q] = %q has verbs %q, want %q", k, v, got, want)
		}
		if strings.Count(v, "%") != strings.Count(k, "%") {
			t.Errorf("zh[%q] = %q has %d %% signs, want %d", k, v, strings.Count(v, "%"), strings.Count(k, "%"))
		}
	}
}

// TestLabelsSorted keeps labels.go's map in order, one entry a line.
func TestLabelsSorted(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "labels.go", nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var lit *ast.CompositeLit
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok && len(vs.Names) == 1 && vs.Names[0].Name == "zh" && len(vs.Values) == 1 {
			lit, _ = vs.Values[0].(*ast.CompositeLit)
		}
		return lit == nil
	})
	if lit == nil {
		t.Fatal("labels.go has no map literal zh")
	}
	prev, prevLine := "", 0
	for i, e := range lit.Elts {
		kv := e.(*ast.KeyValueExpr)
		k, ok := stringConstant(kv.Key)
		if !ok {
			t.Fatalf("%s: key is not a string literal", fset.Position(kv.Pos()))
		}
		line := fset.Position(kv.Pos()).Line
		if i > 0 && k < prev {
			t.Errorf("%s: %q comes before %q", fset.Position(kv.Pos()), k, prev)
		}
		if i > 0 && line == prevLine {
			t.Errorf("%s: two entries on one line", fset.Position(kv.Pos()))
		}
		prev, prevLine = k, line
	}
}

func TestLabelsTranslate(t *testing.T) {
	for _, c := range []struct{ lang, in, want string }{
		{"en", "Sign in", "Sign in"},
		{"", "Sign in", "Sign in"},
		{"zh", "Sign in", zh["Sign in"]},
		{"zh", "published", zh["published"]},
		{"zh", "No such phrase, surely", "No such phrase, surely"},
		{"fr", "published", "Published"},
		{"en", "press-release", "Press release"},
	} {
		if got := translate(c.lang, c.in); got != c.want {
			t.Errorf("translate(%q, %q) = %q, want %q", c.lang, c.in, got, c.want)
		}
	}
	for _, k := range []string{"Sign in", "published"} {
		if v, ok := zh[k]; !ok || v == k {
			t.Errorf("zh[%q] = %q, want a translation", k, v)
		}
	}
}

// TestLabelsCodesNamed checks that every code shown through T (kinds,
// statuses, roles) has an English name and a Chinese one.
func TestLabelsCodesNamed(t *testing.T) {
	for code := range en {
		if _, ok := zh[code]; !ok {
			t.Errorf("%q has an English name but no Chinese one", code)
		}
	}
	for _, code := range []string{"news", "statement", "readout", "press-release", "document", "page",
		"draft", "scheduled", "published", "withdrawn", "admin", "editor", "author", "translator"} {
		if _, ok := en[code]; !ok {
			t.Errorf("%q has no English name", code)
		}
	}
}

// TestLabelsPatterns checks that the problems naming a typed value are
// translated with the value, and that each pattern matches what the code
// says.
func TestLabelsPatterns(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`"page" is reserved for the site's own addresses: choose another`, `"page" 为网站自身地址所保留：请另选`},
		{`the section needs a name in every language of the site: none given for "zh"`, `栏目须有本站每种语言的名称：缺少 "zh" 的名称`},
		{`"2024" has no letter: address segments of digits alone are taken by date archives`, `"2024" 不含字母：纯数字地址段用于日期归档`},
		{`2026-01-01 10:00 EST has passed: choose a time to come, or publish now`, `2026-01-01 10:00 EST 已过：请选择将来的时间，或立即发布`},
		{`the title is empty`, zh["the title is empty"]},
		{`something new`, `something new`},
	} {
		if got := translateProblem("zh", c.in); got != c.want {
			t.Errorf("translateProblem(zh, %q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := translateProblem("en", `"page" is reserved for the site's own addresses: choose another`); got != `"page" is reserved for the site's own addresses: choose another` {
		t.Errorf("English changed: %q", got)
	}
	// Each pattern's English matches what content says.
	site := content.Site{Key: "s", Languages: []string{"en", "zh"}}
	err := content.Section{Names: map[string]string{"en": "News"}, Slugs: map[string]string{"en": "page", "zh": "2024"}}.Validate(site)
	var verr *content.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("Validate = %v", err)
	}
	for field, msg := range verr.Fields {
		if translateProblem("zh", msg) == msg {
			t.Errorf("%s: %q has no Chinese", field, msg)
		}
	}
}

// TestConflictProblems: what a uniqueness rule refused is said in the
// interface's language, with what to do, whichever rule it was.
func TestConflictProblems(t *testing.T) {
	for _, c := range []struct {
		err    error
		en, zh string
	}{
		{fmt.Errorf("save: translation group 7 already has a zh version: %w", content.ErrConflict),
			"The article already has a translation in zh, made meanwhile", "该文章已有 zh 译文"},
		{fmt.Errorf("article 3 is published at /en/news/a, and a published address never changes: %w", content.ErrConflict),
			"The article is published at /en/news/a, and a published address never changes", "文章已在 /en/news/a 发布"},
		{fmt.Errorf("something new: %w", content.ErrConflict),
			"Not saved: it conflicts with what is stored (something new).", "未保存：与已存储的内容冲突（something new）"},
	} {
		if got := conflictProblem("en", c.err); !strings.HasPrefix(got, c.en) {
			t.Errorf("conflictProblem(en, %v) = %q, want %q…", c.err, got, c.en)
		}
		if got := conflictProblem("zh", c.err); !strings.HasPrefix(got, c.zh) {
			t.Errorf("conflictProblem(zh, %v) = %q, want %q…", c.err, got, c.zh)
		}
	}
}
