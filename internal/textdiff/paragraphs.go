package textdiff

import "strings"

// Paragraphs splits a Markdown body into its blocks (paragraphs, headings,
// lists, quotations, tables…) at blank lines, for editing a translation
// beside its source block by block. A fenced code block is never split,
// whatever blank lines it holds (an unclosed fence runs to the end, as in
// CommonMark). Line endings become "\n" and each block is trimmed of white
// space around it, except that the indentation of a block's first line is
// kept when it makes an indented code block (four columns or more).
// Nested constructions are not parsed: a list item's second paragraph is a
// block of its own.
func Paragraphs(markdown string) []string {
	text := strings.ReplaceAll(markdown, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	var (
		blocks []string
		block  []string // the lines of the block being read
		fence  string   // the opening fence of the code block being read
	)
	flush := func() {
		if b := trimBlock(strings.Join(block, "\n")); b != "" {
			blocks = append(blocks, b)
		}
		block = block[:0]
	}
	for line := range strings.SplitSeq(text, "\n") {
		switch {
		case fence != "":
			if closesFence(line, fence) {
				fence = ""
			}
		case strings.TrimSpace(line) == "":
			flush()
			continue
		default:
			fence = openingFence(line)
		}
		block = append(block, line)
	}
	flush()
	return blocks
}

// trimBlock trims the white space around a block, keeping the indentation
// of an indented code block.
func trimBlock(b string) string {
	b = strings.TrimRight(b, " \t\n")
	rest := strings.TrimLeft(b, " \t")
	if indent(b[:len(b)-len(rest)]) >= 4 {
		return b
	}
	return rest
}

// indent returns the width in columns of leading white space, with tab
// stops every four columns.
func indent(ws string) int {
	col := 0
	for _, c := range ws {
		if c == '\t' {
			col += 4 - col%4
		} else {
			col++
		}
	}
	return col
}

// openingFence returns the fence (three or more backticks or tildes) that
// opens a fenced code block on line, or "" if the line opens none.
func openingFence(line string) string {
	rest := strings.TrimLeft(line, " ")
	if len(line)-len(rest) > 3 || rest == "" || (rest[0] != '`' && rest[0] != '~') {
		return ""
	}
	n := len(rest) - len(strings.TrimLeft(rest, rest[:1]))
	if n < 3 {
		return ""
	}
	if rest[0] == '`' && strings.Contains(rest[n:], "`") {
		return "" // an info string with a backtick: inline code, not a fence
	}
	return rest[:n]
}

// closesFence reports whether line closes the code block that fence
// opened: the same character at least as many times, indented by three
// spaces at most, and nothing after it but white space.
func closesFence(line, fence string) bool {
	rest := strings.TrimLeft(line, " ")
	if len(line)-len(rest) > 3 {
		return false
	}
	n := len(rest) - len(strings.TrimLeft(rest, fence[:1]))
	return n >= len(fence) && strings.TrimSpace(rest[n:]) == ""
}
