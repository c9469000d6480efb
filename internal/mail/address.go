package mail

import (
	"errors"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Address errors, returned by ParseAddress (wrapped by Compose and Send), for
// the web layer to translate with errors.Is.
var (
	// ErrAddressEmpty is returned for an empty (or all-space) address.
	ErrAddressEmpty = errors.New("mail: address is empty")
	// ErrAddressInvalid is returned for anything that is not one bare
	// address of the form name@example.org.
	ErrAddressInvalid = errors.New("mail: address is not a valid e-mail address")
	// ErrAddressTooLong is returned when the address exceeds 254 bytes or
	// the part before "@" exceeds 64.
	ErrAddressTooLong = errors.New("mail: address is too long")
)

const (
	maxAddressLen = 254 // RFC 5321 path limit (256) minus the angle brackets
	maxLocalLen   = 64  // RFC 5321 section 4.5.3.1.1
	maxLabelLen   = 63
)

// ParseAddress validates one bare e-mail address as typed into a form and
// returns it with the domain in lower-case ASCII (internationalised domain
// names are converted to their xn-- form).
//
// Only the plain "local@domain" form is accepted: no display name, angle
// brackets, comments, quoted local part, list, IP literal or single-label
// host, and no control character anywhere. The local part is an RFC 5322
// dot-atom of ASCII characters: non-ASCII local parts (RFC 6531) would need
// SMTPUTF8 from every server on the way and raw UTF-8 in the To header,
// while everything else this package writes is 7-bit, so they are refused.
//
// The errors are ErrAddressEmpty, ErrAddressInvalid and ErrAddressTooLong.
func ParseAddress(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", ErrAddressInvalid
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return "", ErrAddressEmpty
	}
	for _, r := range s {
		// Controls (CR, LF, NUL, DEL, C1) and every kind of space: a bare
		// address never contains one, and they are what header injection
		// and "several addresses" need.
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || isSpace(r) {
			return "", ErrAddressInvalid
		}
	}
	// Checked before the IDN conversion so that a huge input costs nothing;
	// a Unicode domain is longer in UTF-8 than in ASCII, so allow for that
	// here and check the exact limit on the result.
	if len(s) > 4*maxAddressLen {
		return "", ErrAddressTooLong
	}
	at := strings.IndexByte(s, '@')
	if at < 0 || strings.LastIndexByte(s, '@') != at {
		return "", ErrAddressInvalid
	}
	local, domain := s[:at], s[at+1:]
	if local == "" || domain == "" {
		return "", ErrAddressInvalid
	}
	if len(local) > maxLocalLen {
		return "", ErrAddressTooLong
	}
	if !isDotAtom(local) {
		return "", ErrAddressInvalid
	}
	domain, err := asciiDomain(domain)
	if err != nil {
		return "", err
	}
	addr := local + "@" + domain
	if len(addr) > maxAddressLen {
		return "", ErrAddressTooLong
	}
	return addr, nil
}

// isSpace reports Unicode white space, including the no-break and
// ideographic spaces that strings.TrimSpace also knows.
func isSpace(r rune) bool {
	switch r {
	case ' ', '\u0085', '\u00a0', '\u1680', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000':
		return true
	}
	return r >= '\u2000' && r <= '\u200a'
}

// isAtext reports the ASCII characters RFC 5322 allows in an atom.
func isAtext(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

// isDotAtom reports whether s is atoms joined by single dots.
func isDotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '.' && !isAtext(s[i]) {
			return false
		}
	}
	return true
}

// asciiDomain converts a host name to lower-case ASCII and checks that it
// has at least two labels of letters, digits and inner hyphens, the last
// not all digits (so "1.2.3.4" is not taken for a host name).
func asciiDomain(d string) (string, error) {
	// Lookup applies the UTS #46 mapping (case folding, full-width dots)
	// and the STD3 rules, and refuses anything that cannot be a host name.
	a, err := idna.Lookup.ToASCII(d)
	if err != nil {
		return "", ErrAddressInvalid
	}
	a = strings.ToLower(a)
	if len(a) > maxAddressLen-2 {
		return "", ErrAddressTooLong
	}
	labels := strings.Split(a, ".")
	if len(labels) < 2 {
		return "", ErrAddressInvalid
	}
	for _, l := range labels {
		if !isLabel(l) {
			return "", ErrAddressInvalid
		}
	}
	tld := labels[len(labels)-1]
	if strings.Trim(tld, "0123456789") == "" {
		return "", ErrAddressInvalid
	}
	return a, nil
}

// isLabel reports an ASCII host-name label (RFC 1123).
func isLabel(l string) bool {
	if l == "" || len(l) > maxLabelLen || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
