package textdiff

import (
	"reflect"
	"testing"
)

func TestParagraphs(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"empty", "", nil},
		{"blank", " \n\t\n\n", nil},
		{"one", "Just one paragraph.", []string{"Just one paragraph."}},
		{"several", "# Title\n\nFirst paragraph\nstill first.\n\n\n\nSecond.\n",
			[]string{"# Title", "First paragraph\nstill first.", "Second."}},
		{"trimmed", "  \n  Indented a little.  \n \t \n- a list\n- of items\t\n",
			[]string{"Indented a little.", "- a list\n- of items"}},
		{"CRLF", "第一段。\r\n\r\n第二段。\r\n", []string{"第一段。", "第二段。"}},
		{"fenced code kept whole", "Before.\n\n```go\nfunc f() {\n\n\treturn\n}\n```\n\nAfter.",
			[]string{"Before.", "```go\nfunc f() {\n\n\treturn\n}\n```", "After."}},
		{"tilde fence, longer closing", "~~~\na\n\nb\n~~~~~\n\nc", []string{"~~~\na\n\nb\n~~~~~", "c"}},
		{"shorter fence does not close", "````\na\n```\n\nb\n````\nafter\n\nc",
			[]string{"````\na\n```\n\nb\n````\nafter", "c"}},
		{"other character does not close", "```\na\n~~~\n\nb\n```", []string{"```\na\n~~~\n\nb\n```"}},
		{"unclosed fence runs to the end", "Text.\n\n```\ncode\n\nmore code\n", []string{"Text.", "```\ncode\n\nmore code"}},
		{"fence interrupting a paragraph", "Example:\n```\nx\n\ny\n```\n\nEnd.", []string{"Example:\n```\nx\n\ny\n```", "End."}},
		{"inline code is no fence", "```a``` text\n\nnext", []string{"```a``` text", "next"}},
		{"two backticks are no fence", "``\n\nx", []string{"``", "x"}},
		{"indented four spaces is no fence", "    ```\n\n    code", []string{"    ```", "    code"}},
		{"indented code keeps its indentation", "Para.\n\n    code line\n    more\n\n\tcode with tab",
			[]string{"Para.", "    code line\n    more", "\tcode with tab"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Paragraphs(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Paragraphs(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}
