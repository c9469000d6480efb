package mail

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"
)

// Header values are written as a list of words joined by single spaces and
// folded before a space whenever a line would pass 78 characters (RFC 5322
// section 2.1.1). A word never exceeds maxWord, so every line stays under 78
// and far under the hard limit of 998 whatever the input.
const (
	lineLimit = 78
	maxWord   = 66 // "Reply-To: " + one word still fits in 78
)

// headerWriter accumulates an RFC 5322 header block with CRLF line ends.
type headerWriter struct {
	b strings.Builder
}

// field writes one header field from its words, folding as needed. Words
// must be ASCII without CR, LF or spaces; callers build them with the
// helpers below.
func (h *headerWriter) field(name string, words ...string) {
	h.b.WriteString(name)
	h.b.WriteByte(':')
	n := len(name) + 1
	for _, w := range words {
		if n+1+len(w) > lineLimit && n > len(name)+1 {
			h.b.WriteString("\r\n")
			n = 0
		}
		h.b.WriteByte(' ')
		h.b.WriteString(w)
		n += 1 + len(w)
	}
	h.b.WriteString("\r\n")
}

// textWords turns unstructured text (a Subject) into header words. Plain
// ASCII stays readable; the text is written as encoded words (RFC 2047) when
// it has non-ASCII characters, a word too long to fold, or "=?" that a reader
// would otherwise decode as an encoded word it never was.
func textWords(s string) []string {
	fields := strings.Fields(s)
	plain := true
	for _, f := range fields {
		if len(f) > maxWord || !printableASCII(f) || strings.Contains(f, "=?") {
			plain = false
			break
		}
	}
	if plain {
		return fields
	}
	return encodedWords(strings.Join(fields, " "))
}

// phraseWords turns a display name into header words: atoms stay as they
// are, anything else (periods, non-ASCII) is encoded, which RFC 2047 allows
// in a phrase and avoids quoting rules.
func phraseWords(s string) []string {
	fields := strings.Fields(s)
	plain := len(fields) > 0
	for _, f := range fields {
		if len(f) > maxWord || !isAtom(f) || strings.Contains(f, "=?") {
			plain = false
			break
		}
	}
	if plain {
		return fields
	}
	return encodedWords(strings.Join(fields, " "))
}

// isAtom reports an RFC 5322 atom.
func isAtom(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isAtext(s[i]) {
			return false
		}
	}
	return s != ""
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// encodedWords encodes s as RFC 2047 "B" encoded words of at most maxWord
// characters each, split between characters (never inside a UTF-8
// sequence, section 5 (3)). B is used rather than Q because it is shorter
// for Chinese, and valid both in a Subject and in a display name.
func encodedWords(s string) []string {
	const prefix, suffix = "=?utf-8?b?", "?="
	// Raw bytes per word: the base64 of n bytes is 4*ceil(n/3) characters.
	maxRaw := (maxWord - len(prefix) - len(suffix)) / 4 * 3
	var words []string
	for s != "" {
		n := 0
		for n < len(s) {
			_, size := utf8.DecodeRuneInString(s[n:])
			if n+size > maxRaw {
				break
			}
			n += size
		}
		words = append(words, prefix+base64.StdEncoding.EncodeToString([]byte(s[:n]))+suffix)
		s = s[n:]
	}
	return words
}

// mailbox returns the words of "Display Name <addr>", or just the address.
func mailbox(name, addr string) []string {
	if name == "" {
		return []string{addr}
	}
	return append(phraseWords(name), "<"+addr+">")
}
