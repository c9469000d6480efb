package mail

import (
	"bytes"
	"errors"
	"fmt"
	"mime/quotedprintable"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Address is a mailbox with an optional display name, such as the site's
// sending address.
type Address struct {
	Name string // display name, e.g. the site's name; may be empty
	Addr string // bare address, checked with ParseAddress
}

// Suggestion is one "suggest an article to a friend" message. SenderName and
// SenderAddress come from the reader (the form), the rest from the site and
// the article.
type Suggestion struct {
	Language      string // the article's language: "zh" (or "zh-…") for Chinese, anything else English
	SiteName      string // shown as the sender's display name and in the text
	SenderName    string // the reader's name, checked with CheckName
	SenderAddress string // optional; when set, replies go to it (Reply-To)
	Title         string // the article's title
	Summary       string // optional; may hold several lines
	URL           string // absolute http or https address of the article
}

// Limits on the site's and the article's fields. They are generous for real
// content and keep a message from growing without bound.
const (
	maxSiteName = 200
	maxTitle    = 500
	maxSummary  = 5000
	maxURL      = 2000
	maxMsgID    = 250
)

// ErrHeaderValue is wrapped by Compose when a value meant for a header holds
// a line break or another control character, or is otherwise unusable.
var ErrHeaderValue = errors.New("mail: unusable header value")

// Compose writes the suggestion as a complete RFC 5322 message from the site
// (from) to one recipient (to), dated date, with the Message-ID
// <messageID> (the caller passes "unique@host").
//
// The text is fixed per language; the only variable parts are the site's
// name, the article's title, summary and address, and the reader's name.
// Every address is checked again with ParseAddress and the sender's name with
// CheckName, whatever the caller did before, and a line break or other
// control character in any value that reaches a header (or the title, URL
// and site name in the text) is an error, so no input can add a header or
// change the shape of the message. The result is 7-bit: headers use RFC 2047
// encoded words, the body is UTF-8 in quoted-printable, lines end in CRLF and
// header lines are folded to 78 characters where the content allows (never
// near 998).
func (s Suggestion) Compose(from Address, to string, date time.Time, messageID string) ([]byte, error) {
	fromAddr, err := ParseAddress(from.Addr)
	if err != nil {
		return nil, fmt.Errorf("compose: from address %q: %w", from.Addr, err)
	}
	fromName, err := oneLine("from name", from.Name, maxSiteName, false)
	if err != nil {
		return nil, err
	}
	toAddr, err := ParseAddress(to)
	if err != nil {
		return nil, fmt.Errorf("compose: recipient %q: %w", to, err)
	}
	var replyTo string
	if strings.TrimSpace(s.SenderAddress) != "" {
		if replyTo, err = ParseAddress(s.SenderAddress); err != nil {
			return nil, fmt.Errorf("compose: sender address %q: %w", s.SenderAddress, err)
		}
	}
	sender, err := CheckName(s.SenderName)
	if err != nil {
		return nil, fmt.Errorf("compose: sender name: %w", err)
	}
	site, err := oneLine("site name", s.SiteName, maxSiteName, true)
	if err != nil {
		return nil, err
	}
	title, err := oneLine("title", s.Title, maxTitle, true)
	if err != nil {
		return nil, err
	}
	summary, err := paragraph(s.Summary)
	if err != nil {
		return nil, err
	}
	link, err := articleURL(s.URL)
	if err != nil {
		return nil, err
	}
	if err := checkMessageID(messageID); err != nil {
		return nil, err
	}
	if date.IsZero() {
		return nil, fmt.Errorf("compose: date: %w: zero time", ErrHeaderValue)
	}
	t := textFor(s.Language)

	var h headerWriter
	h.field("Date", date.Format(time.RFC1123Z))
	h.field("From", mailbox(fromName, fromAddr)...)
	h.field("To", toAddr)
	if replyTo != "" {
		h.field("Reply-To", mailbox(sender, replyTo)...)
	}
	h.field("Subject", textWords(t.subject(sender, title))...)
	h.field("Message-ID", "<"+messageID+">")
	h.field("MIME-Version", "1.0")
	h.field("Content-Type", "text/plain;", "charset=utf-8")
	h.field("Content-Transfer-Encoding", "quoted-printable")
	h.field("Content-Language", t.lang)
	// Mark the message as machine-sent so that autoresponders (RFC 3834)
	// and Exchange out-of-office replies stay quiet.
	h.field("Auto-Submitted", "auto-generated")
	h.field("X-Auto-Response-Suppress", "All")

	var msg bytes.Buffer
	msg.WriteString(h.b.String())
	msg.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&msg)
	if _, err := qp.Write([]byte(t.body(sender, site, title, summary, link, replyTo != ""))); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return msg.Bytes(), nil
}

// oneLine checks a single-line value: valid UTF-8, no control character
// (a tab counts as a space), at most max characters; runs of white space
// become one space.
func oneLine(what, v string, max int, required bool) (string, error) {
	if !utf8.ValidString(v) {
		return "", fmt.Errorf("compose: %s: %w: invalid UTF-8", what, ErrHeaderValue)
	}
	for _, r := range v {
		if r != '\t' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029') {
			return "", fmt.Errorf("compose: %s: %w: control character %U", what, ErrHeaderValue, r)
		}
	}
	v = strings.Join(strings.Fields(v), " ")
	if v == "" && required {
		return "", fmt.Errorf("compose: %s: %w: empty", what, ErrHeaderValue)
	}
	if utf8.RuneCountInString(v) > max {
		return "", fmt.Errorf("compose: %s: %w: longer than %d characters", what, ErrHeaderValue, max)
	}
	return v, nil
}

// paragraph checks the summary, which only reaches the quoted-printable
// body: line breaks are kept (as CRLF), other control characters refused,
// blank lines at either end dropped.
func paragraph(v string) (string, error) {
	if !utf8.ValidString(v) {
		return "", fmt.Errorf("compose: summary: %w: invalid UTF-8", ErrHeaderValue)
	}
	v = strings.ReplaceAll(v, "\r\n", "\n")
	v = strings.ReplaceAll(v, "\r", "\n")
	for _, r := range v {
		if r != '\n' && r != '\t' && unicode.IsControl(r) {
			return "", fmt.Errorf("compose: summary: %w: control character %U", ErrHeaderValue, r)
		}
	}
	v = strings.TrimSpace(v)
	if utf8.RuneCountInString(v) > maxSummary {
		return "", fmt.Errorf("compose: summary: %w: longer than %d characters", ErrHeaderValue, maxSummary)
	}
	lines := strings.Split(v, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	return strings.Join(lines, "\r\n"), nil
}

// articleURL accepts only an absolute http or https address without spaces
// or control characters, so the link line is one clickable link.
func articleURL(v string) (string, error) {
	if v == "" || len(v) > maxURL || !printableASCIIOrUnicode(v) {
		return "", fmt.Errorf("compose: URL %q: %w", v, ErrHeaderValue)
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return "", fmt.Errorf("compose: URL %q: %w: not an absolute http(s) address", v, ErrHeaderValue)
	}
	return v, nil
}

// printableASCIIOrUnicode reports valid UTF-8 without spaces or controls.
func printableASCIIOrUnicode(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == '\u2028' || r == '\u2029' {
			return false
		}
	}
	return true
}

// checkMessageID accepts "left@right", both dot-atoms (RFC 5322 msg-id
// without the brackets, which Compose adds).
func checkMessageID(id string) error {
	at := strings.IndexByte(id, '@')
	if at <= 0 || len(id) > maxMsgID || !isDotAtom(id[:at]) || !isDotAtom(id[at+1:]) {
		return fmt.Errorf("compose: message ID %q: %w: want unique@host", id, ErrHeaderValue)
	}
	return nil
}
