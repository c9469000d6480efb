// Package textdiff finds the word-level differences between two revisions
// of a text: an article's Markdown body or its title. The back office
// shows them between any two revisions of an article, when a second save
// is refused because someone else saved first, and when a translation was
// made from an older revision of its source.
//
// It is pure, uses only the standard library, keeps no state and is safe
// for concurrent use.
//
// # Tokens
//
// Text is compared as a sequence of tokens, so that a changed word shows
// as a changed word and not as a few changed letters:
//
//   - a word is a run of letters, digits and combining marks in any script
//     (Latin, Cyrillic, Arabic, Devanagari…); an apostrophe or a hyphen
//     between two such runs belongs to the word ("don't", "co-operation"),
//     and so does a full stop or comma between two digits ("3.5", "1,000");
//   - every Han, Hiragana, Katakana and Hangul character is a token of its
//     own, since Chinese and Japanese do not separate their words with
//     spaces: a changed date in a Chinese sentence shows only the changed
//     characters;
//   - a run of white space (newlines included) is one token;
//   - any other character (punctuation, a symbol, an emoji with its
//     modifiers, an invalid byte) is a token of its own.
//
// Tokens are pieces of the original text, so the operations returned by
// Diff give back both texts exactly, byte for byte.
//
// # Algorithm and cost
//
// Diff trims the common prefix and suffix and compares the rest with
// Myers' O(ND) algorithm in its linear-space form (the middle snake,
// divide and conquer), which finds a shortest edit script. Its cost grows
// with the number of differences, so the search has a budget of work
// that takes it to an edit distance of some fifteen hundred tokens (seven
// hundred words changed) in about ten milliseconds. When the budget runs
// out, as with two unrelated texts, the texts are compared line by line
// (a Markdown paragraph is one line or a few) within a budget of the same
// size, and then each pair of changed groups of lines word by word while
// a third lasts; what no budget covers shows as replaced whole, between
// the common prefix and suffix. So whatever the input, a diff of two
// articles of 50 KB takes some tens of milliseconds at most.
//
// A light cleanup then makes the result readable: a run of spaces
// between two changes, or a few unchanged words or characters between two
// changes each at least twice as long, is folded into them, so that a
// rewritten phrase shows as one deletion and one insertion and not as a
// scatter of fragments around the words that happen to recur. Newlines
// are never folded, so paragraphs stay visible, and small changes stay
// precise: "3月5日" to "4月6日" shows 3 and 5 replaced, not "3月5".
package textdiff

import (
	"html/template"
	"strconv"
	"strings"
)

// Kind says what an Op does.
type Kind int

// The kinds of operation.
const (
	Equal  Kind = iota // text in both revisions
	Delete             // text only in the old revision
	Insert             // text only in the new revision
)

// String returns "equal", "delete" or "insert".
func (k Kind) String() string {
	switch k {
	case Equal:
		return "equal"
	case Delete:
		return "delete"
	case Insert:
		return "insert"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Op is one step of a diff: a piece of text that both revisions share, or
// that only the old one (Delete) or only the new one (Insert) has.
type Op struct {
	Kind Kind
	Text string
}

// Diff returns the operations that turn a into b, word by word. Their
// Equal and Delete texts, concatenated in order, give a; their Equal and
// Insert texts give b. No Text is empty, two neighbours never have the
// same Kind, and within a change the Delete comes before the Insert. Diff
// of two equal texts is a single Equal op, or nil if both are empty.
func Diff(a, b string) []Op {
	d := differ{limit: workBudget}
	return ops(a, b, d.diff(a, b))
}

// Changed reports whether ops has anything other than Equal operations,
// that is whether the two revisions differ.
func Changed(ops []Op) bool {
	for _, op := range ops {
		if op.Kind != Equal {
			return true
		}
	}
	return false
}

// Stats counts the tokens that ops inserts and deletes, leaving out white
// space: a word, a Chinese character or a punctuation mark counts one.
func Stats(ops []Op) (inserted, deleted int) {
	for _, op := range ops {
		switch op.Kind {
		case Insert:
			inserted += countWords(op.Text, -1)
		case Delete:
			deleted += countWords(op.Text, -1)
		}
	}
	return inserted, deleted
}

// HTML renders ops as HTML: the text escaped, deletions in <del> and
// insertions in <ins> elements, newlines kept as they are. The caller
// shows it in an element whose white space is preserved, such as
// <pre class="diff"> or one styled with white-space: pre-wrap.
func HTML(ops []Op) template.HTML {
	var sb strings.Builder
	for _, op := range ops {
		text := template.HTMLEscapeString(op.Text)
		switch op.Kind {
		case Delete:
			sb.WriteString("<del>")
			sb.WriteString(text)
			sb.WriteString("</del>")
		case Insert:
			sb.WriteString("<ins>")
			sb.WriteString(text)
			sb.WriteString("</ins>")
		default:
			sb.WriteString(text)
		}
	}
	return template.HTML(sb.String())
}

// ops turns chunks of a and b into operations.
func ops(a, b string, cs []chunk) []Op {
	var out []Op
	add := func(k Kind, text string) {
		if text == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Kind == k {
			out[n-1].Text += text
			return
		}
		out = append(out, Op{Kind: k, Text: text})
	}
	for _, c := range cs {
		if c.equal {
			add(Equal, a[c.a0:c.a1])
			continue
		}
		add(Delete, a[c.a0:c.a1])
		add(Insert, b[c.b0:c.b1])
	}
	return out
}
