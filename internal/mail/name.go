package mail

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Name errors, returned by CheckName (and wrapped by Compose).
var (
	// ErrNameEmpty is returned when no name is given.
	ErrNameEmpty = errors.New("mail: name is empty")
	// ErrNameInvalid is returned when the name holds anything but letters,
	// combining marks, spaces, apostrophes, hyphens, middle dots and a
	// period closing an initial or abbreviation.
	ErrNameInvalid = errors.New("mail: name may contain only letters, spaces, apostrophes, hyphens and periods after initials")
	// ErrNameTooLong is returned for a name of more than 60 characters.
	ErrNameTooLong = errors.New("mail: name is too long")
)

const (
	maxNameRunes = 60
	// maxMarks bounds a run of combining marks on one letter: real scripts
	// need a few, "Zalgo" text stacks dozens to overflow the lines around it.
	maxMarks = 4
)

// CheckName validates the sender's name as it will appear in the subject and
// text of a suggestion, and returns it trimmed, with runs of spaces collapsed
// to one and in Unicode NFC.
//
// The name is the one piece of free text a reader puts into a message sent
// under the site's name, so it must not be able to carry a link, a domain or
// an address: only letters of any script, combining marks, spaces,
// apostrophes (' and ’), hyphens (- and ‐), the middle dot of transliterated
// names ("约翰·史密斯", between two letters) and a period after a letter that
// ends the name or is followed by a space ("J. Smith", "Jr.") are allowed.
// "evil.com", "x@y", "http://…", digits, emoji, symbols and control
// characters are refused. The name must be 1 to 60 characters long.
//
// The errors are ErrNameEmpty, ErrNameInvalid and ErrNameTooLong.
func CheckName(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", ErrNameInvalid
	}
	for _, r := range s {
		// Refused before spaces are collapsed, which would otherwise turn
		// CR and LF into harmless-looking spaces.
		if unicode.IsControl(r) {
			return "", ErrNameInvalid
		}
	}
	s = norm.NFC.String(strings.Join(strings.Fields(s), " "))
	if s == "" {
		return "", ErrNameEmpty
	}
	rs := []rune(s)
	if len(rs) > maxNameRunes {
		return "", ErrNameTooLong
	}
	marks := 0
	for i, r := range rs {
		prev, next := rune(0), rune(0)
		if i > 0 {
			prev = rs[i-1]
		}
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		if isVariationSelector(r) {
			// They turn letter-like symbols into emoji (ℹ + U+FE0F).
			return "", ErrNameInvalid
		}
		if unicode.In(r, unicode.Mn, unicode.Mc) {
			marks++
			if i == 0 || marks > maxMarks {
				return "", ErrNameInvalid
			}
			continue
		}
		marks = 0
		switch {
		case unicode.IsLetter(r), r == ' ':
		case r == '\'', r == '’', r == '-', r == '‐':
		case r == '.':
			if !isNameLetter(prev) || (next != 0 && next != ' ') {
				return "", ErrNameInvalid
			}
		case r == '·', r == '・':
			if !isNameLetter(prev) || !isNameLetter(next) {
				return "", ErrNameInvalid
			}
		default:
			return "", ErrNameInvalid
		}
	}
	return s, nil
}

// isNameLetter reports a letter or a combining mark (which follows one).
func isNameLetter(r rune) bool {
	return unicode.IsLetter(r) || unicode.In(r, unicode.Mn, unicode.Mc)
}

// isVariationSelector reports the variation selectors, which are combining
// marks but select emoji or glyph variants rather than spell a name.
func isVariationSelector(r rune) bool {
	return r >= 0xfe00 && r <= 0xfe0f || r >= 0xe0100 && r <= 0xe01ef
}
