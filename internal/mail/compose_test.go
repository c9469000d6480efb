package mail

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"slices"
	"strings"
	"testing"
	"time"
)

var (
	testDate = time.Date(2026, 3, 5, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))
	testFrom = Address{Name: "Embassy of Testland in Beijing", Addr: "noreply@embassy.example.org"}
)

// parsed is a composed message read back the way a mail client would.
type parsed struct {
	header mail.Header
	raw    []byte
	body   string // decoded quoted-printable
}

// readBack parses msg with net/mail, checks the framing every message must
// have (CRLF line ends, no line over 998, 7-bit) and decodes the body.
func readBack(t testing.TB, msg []byte) parsed {
	t.Helper()
	for i, line := range bytes.SplitAfter(msg, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		if !bytes.HasSuffix(line, []byte("\r\n")) || bytes.Count(line, []byte("\r")) != 1 {
			t.Fatalf("line %d does not end in CRLF alone: %q", i, line)
		}
		if len(line)-2 > 998 {
			t.Fatalf("line %d is %d bytes long", i, len(line)-2)
		}
	}
	for _, c := range msg {
		if c >= 0x80 || c == 0 {
			t.Fatalf("message is not 7-bit clean: byte %#x", c)
		}
	}
	m, err := mail.ReadMessage(bytes.NewReader(msg))
	if err != nil {
		t.Fatalf("net/mail cannot read the message: %v\n%s", err, msg)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		t.Fatalf("body is not quoted-printable: %v", err)
	}
	return parsed{header: m.Header, raw: msg, body: string(body)}
}

// wantHeaders is the exact header set of a suggestion, Reply-To aside.
var wantHeaders = []string{
	"Auto-Submitted", "Content-Language", "Content-Transfer-Encoding", "Content-Type",
	"Date", "From", "Message-Id", "Mime-Version", "Subject", "To", "X-Auto-Response-Suppress",
}

func headerNames(h mail.Header) []string {
	var names []string
	for k, v := range h {
		for range v {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	return names
}

func decode(t testing.TB, s string) string {
	t.Helper()
	var d mime.WordDecoder
	out, err := d.DecodeHeader(s)
	if err != nil {
		t.Fatalf("cannot decode %q: %v", s, err)
	}
	return out
}

func TestCompose(t *testing.T) {
	tests := []struct {
		name        string
		s           Suggestion
		subject     string
		contentLang string
		phrases     []string // fixed text expected in the body
	}{
		{
			name: "english with reply",
			s: Suggestion{
				Language: "en", SiteName: "Embassy of Testland", SenderName: "Alex Chen",
				SenderAddress: "Alex@Example.ORG",
				Title:         "Ambassador visits the Great Wall",
				Summary:       "A short visit.\nWith a second line, and 100% real.",
				URL:           "https://cn.embassy.example.org/en/news/2026/03/great-wall",
			},
			subject:     "Alex Chen suggests: Ambassador visits the Great Wall",
			contentLang: "en",
			phrases: []string{
				"Alex Chen thought you would be interested in this article from Embassy of Testland:",
				`sent from the "suggest to a friend" form of Embassy of Testland`,
				"does not use your address for anything else", "ignore it", "Replying to this message reaches Alex Chen.",
			},
		},
		{
			name: "chinese without reply",
			s: Suggestion{
				Language: "zh", SiteName: "泰斯特兰驻华大使馆", SenderName: "陈小明",
				Title:   "大使参观长城：一次难忘的访问，" + strings.Repeat("很长的标题", 12),
				Summary: "大使于三月五日参观了八达岭长城。",
				URL:     "https://cn.embassy.example.org/zh/news/2026/03/1234",
			},
			subject:     "陈小明 向您推荐：大使参观长城：一次难忘的访问，" + strings.Repeat("很长的标题", 12),
			contentLang: "zh",
			phrases: []string{
				"陈小明 认为您可能会对泰斯特兰驻华大使馆的这篇文章感兴趣：",
				"“推荐给朋友”", "不会将您的邮箱地址用于其他用途", "可以直接忽略",
			},
		},
		{
			name: "unknown language falls back to english, no summary",
			s: Suggestion{
				Language: "fr", SiteName: "Ambassade", SenderName: "Zoë Ångström",
				Title: "=?utf-8?q?not_an_encoded_word?=", URL: "http://example.org/a",
			},
			subject:     "Zoë Ångström suggests: =?utf-8?q?not_an_encoded_word?=",
			contentLang: "en",
			phrases:     []string{"Zoë Ångström thought you would be interested"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, err := tt.s.Compose(testFrom, " friend@Example.NET ", testDate, "abc123@embassy.example.org")
			if err != nil {
				t.Fatal(err)
			}
			p := readBack(t, msg)
			want := slices.Clone(wantHeaders)
			if tt.s.SenderAddress != "" {
				want = append(want, "Reply-To")
				slices.Sort(want)
			}
			if got := headerNames(p.header); !slices.Equal(got, want) {
				t.Fatalf("headers = %v, want %v", got, want)
			}
			h := p.header
			if d, err := h.Date(); err != nil || !d.Equal(testDate) {
				t.Errorf("Date = %v, %v", d, err)
			}
			if got := h.Get("Date"); got != "Thu, 05 Mar 2026 09:30:00 +0800" {
				t.Errorf("Date header = %q", got)
			}
			from, err := mail.ParseAddress(h.Get("From"))
			if err != nil || from.Name != testFrom.Name || from.Address != testFrom.Addr {
				t.Errorf("From = %+v, %v", from, err)
			}
			if got := h.Get("To"); got != "friend@example.net" {
				t.Errorf("To = %q", got)
			}
			if tt.s.SenderAddress != "" {
				rt, err := mail.ParseAddress(h.Get("Reply-To"))
				if err != nil || rt.Name != tt.s.SenderName || rt.Address != "Alex@example.org" {
					t.Errorf("Reply-To = %+v, %v", rt, err)
				}
			}
			if got := decode(t, h.Get("Subject")); got != tt.subject {
				t.Errorf("Subject = %q, want %q", got, tt.subject)
			}
			for k, v := range map[string]string{
				"Message-Id":                "<abc123@embassy.example.org>",
				"Mime-Version":              "1.0",
				"Content-Type":              "text/plain; charset=utf-8",
				"Content-Transfer-Encoding": "quoted-printable",
				"Content-Language":          tt.contentLang,
				"Auto-Submitted":            "auto-generated",
				"X-Auto-Response-Suppress":  "All",
			} {
				if got := h.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if mt, params, err := mime.ParseMediaType(h.Get("Content-Type")); err != nil || mt != "text/plain" || params["charset"] != "utf-8" {
				t.Errorf("Content-Type parses as %q %v %v", mt, params, err)
			}
			// Header lines stay within 78 characters for this ordinary input.
			head, _, _ := bytes.Cut(msg, []byte("\r\n\r\n"))
			for _, l := range strings.Split(string(head), "\r\n") {
				if len(l) > 78 {
					t.Errorf("header line of %d characters: %q", len(l), l)
				}
			}

			body := p.body
			if !strings.Contains(body, "\r\n"+tt.s.Title+"\r\n") {
				t.Errorf("title not on its own line:\n%s", body)
			}
			if !strings.Contains(body, "\r\n"+tt.s.URL+"\r\n") {
				t.Errorf("link not on its own line:\n%s", body)
			}
			if sum := strings.ReplaceAll(tt.s.Summary, "\n", "\r\n"); !strings.Contains(body, sum) {
				t.Errorf("summary %q missing:\n%s", sum, body)
			}
			for _, ph := range tt.phrases {
				if !strings.Contains(body, ph) {
					t.Errorf("body lacks %q:\n%s", ph, body)
				}
			}
			if strings.Contains(body, "@") {
				// No address reaches the text: neither the sender's nor the recipient's.
				t.Errorf("body contains an address:\n%s", body)
			}
			// Nothing but the fixed text and the given values: remove them
			// and what is left must be the wording for the language.
			rest := body
			for _, v := range []string{tt.s.Title, strings.ReplaceAll(tt.s.Summary, "\n", "\r\n"), tt.s.URL, tt.s.SiteName, tt.s.SenderName} {
				if v != "" {
					rest = strings.ReplaceAll(rest, v, "")
				}
			}
			tx := textFor(tt.s.Language)
			fixed := tx.body("", "", "", "", "", tt.s.SenderAddress != "")
			if tt.s.Summary != "" {
				fixed = tx.body("", "", "", "x", "", tt.s.SenderAddress != "")
				fixed = strings.Replace(fixed, "x\r\n\r\n", "\r\n\r\n", 1)
			}
			if rest != fixed {
				t.Errorf("body has unexpected text:\n%q\nwant\n%q", rest, fixed)
			}
		})
	}
}

func TestComposeLongValuesFold(t *testing.T) {
	s := Suggestion{
		Language: "en", SiteName: strings.Repeat("Embassy ", 20), SenderName: "Alex Chen",
		Title: strings.Repeat("x", 300) + " " + strings.Repeat("word ", 30),
		URL:   "https://example.org/" + strings.Repeat("a", 1500),
	}
	msg, err := s.Compose(testFrom, "a@b.org", testDate, "id@host")
	if err != nil {
		t.Fatal(err)
	}
	p := readBack(t, msg)
	if got, want := decode(t, p.header.Get("Subject")), "Alex Chen suggests: "+strings.Join(strings.Fields(s.Title), " "); got != want {
		t.Errorf("Subject = %q, want %q", got, want)
	}
	head, _, _ := bytes.Cut(msg, []byte("\r\n\r\n"))
	for _, l := range strings.Split(string(head), "\r\n") {
		if len(l) > 78 {
			t.Errorf("header line of %d characters: %q", len(l), l)
		}
	}
	if !strings.Contains(p.body, "\r\n"+s.URL+"\r\n") {
		t.Error("long link not restored by quoted-printable decoding")
	}
}

func TestComposeRefusesHostileInput(t *testing.T) {
	good := Suggestion{Language: "en", SiteName: "Site", SenderName: "Alex", Title: "T", URL: "https://example.org/a"}
	tests := []struct {
		name string
		edit func(*Suggestion, *Address, *string, *string)
		err  error
	}{
		{"CRLF in title", func(s *Suggestion, _ *Address, _, _ *string) { s.Title = "T\r\nBcc: victim@example.org" }, ErrHeaderValue},
		{"LF in title", func(s *Suggestion, _ *Address, _, _ *string) { s.Title = "T\nBcc: victim@example.org" }, ErrHeaderValue},
		{"CR in title", func(s *Suggestion, _ *Address, _, _ *string) { s.Title = "T\rBcc: victim@example.org" }, ErrHeaderValue},
		{"U+2028 in title", func(s *Suggestion, _ *Address, _, _ *string) { s.Title = "T\u2028x" }, ErrHeaderValue},
		{"CRLF in name", func(s *Suggestion, _ *Address, _, _ *string) { s.SenderName = "Alex\r\nBcc: victim@example.org" }, ErrNameInvalid},
		{"link in name", func(s *Suggestion, _ *Address, _, _ *string) { s.SenderName = "win at evil.com" }, ErrNameInvalid},
		{"empty name", func(s *Suggestion, _ *Address, _, _ *string) { s.SenderName = "" }, ErrNameEmpty},
		{"Bcc in sender address", func(s *Suggestion, _ *Address, _, _ *string) { s.SenderAddress = "a@b.org\r\nBcc: victim@example.org" }, ErrAddressInvalid},
		{"two reply addresses", func(s *Suggestion, _ *Address, _, _ *string) { s.SenderAddress = "a@b.org, victim@example.org" }, ErrAddressInvalid},
		{"Bcc in recipient", func(_ *Suggestion, _ *Address, to, _ *string) { *to = "a@b.org\r\nBcc: victim@example.org" }, ErrAddressInvalid},
		{"list of recipients", func(_ *Suggestion, _ *Address, to, _ *string) { *to = "a@b.org, c@d.org" }, ErrAddressInvalid},
		{"named recipient", func(_ *Suggestion, _ *Address, to, _ *string) { *to = "Name <a@b.org>" }, ErrAddressInvalid},
		{"CRLF in from name", func(_ *Suggestion, f *Address, _, _ *string) { f.Name = "Site\r\nBcc: victim@example.org" }, ErrHeaderValue},
		{"bad from address", func(_ *Suggestion, f *Address, _, _ *string) { f.Addr = "Site <a@b.org>" }, ErrAddressInvalid},
		{"CRLF in site name", func(s *Suggestion, _ *Address, _, _ *string) { s.SiteName = "Site\r\nX: y" }, ErrHeaderValue},
		{"empty site name", func(s *Suggestion, _ *Address, _, _ *string) { s.SiteName = " " }, ErrHeaderValue},
		{"empty title", func(s *Suggestion, _ *Address, _, _ *string) { s.Title = "" }, ErrHeaderValue},
		{"javascript URL", func(s *Suggestion, _ *Address, _, _ *string) { s.URL = "javascript:alert(1)" }, ErrHeaderValue},
		{"relative URL", func(s *Suggestion, _ *Address, _, _ *string) { s.URL = "/en/news/a" }, ErrHeaderValue},
		{"URL with line break", func(s *Suggestion, _ *Address, _, _ *string) { s.URL = "https://example.org/\r\nBcc: x@y.org" }, ErrHeaderValue},
		{"URL with space", func(s *Suggestion, _ *Address, _, _ *string) { s.URL = "https://example.org/ see https://evil.example" }, ErrHeaderValue},
		{"URL with user info", func(s *Suggestion, _ *Address, _, _ *string) { s.URL = "https://example.org@evil.example/" }, ErrHeaderValue},
		{"NUL in summary", func(s *Suggestion, _ *Address, _, _ *string) { s.Summary = "a\x00b" }, ErrHeaderValue},
		{"message ID with CRLF", func(_ *Suggestion, _ *Address, _, id *string) { *id = "a@b\r\nBcc: x@y.org" }, ErrHeaderValue},
		{"message ID with brackets", func(_ *Suggestion, _ *Address, _, id *string) { *id = "<a@b>" }, ErrHeaderValue},
		{"message ID without host", func(_ *Suggestion, _ *Address, _, id *string) { *id = "abc" }, ErrHeaderValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, from, to, id := good, testFrom, "friend@example.net", "id@host.example"
			tt.edit(&s, &from, &to, &id)
			msg, err := s.Compose(from, to, testDate, id)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v\n%s", err, tt.err, msg)
			}
		})
	}
	if _, err := good.Compose(testFrom, "friend@example.net", time.Time{}, "id@host"); !errors.Is(err, ErrHeaderValue) {
		t.Errorf("zero date: err = %v", err)
	}
}

// Values that are not line breaks but look like header syntax stay inside
// their header, decoded back verbatim.
func TestComposeNeutralisesHeaderLookalikes(t *testing.T) {
	s := Suggestion{
		Language: "en", SiteName: "Site <evil@example.org>, Bcc: x@y.org",
		SenderName: "Alex", SenderAddress: "alex@example.org",
		Title: "Bcc: victim@example.org =?utf-8?b?Qm9ndXM=?= \"quoted\" (comment)",
		URL:   "https://example.org/a?b=c&d=%0D%0ABcc:x@y.org",
	}
	msg, err := s.Compose(Address{Name: s.SiteName, Addr: "noreply@example.org"}, "a@b.org", testDate, "id@host")
	if err != nil {
		t.Fatal(err)
	}
	p := readBack(t, msg)
	if got := headerNames(p.header); len(got) != len(wantHeaders)+1 {
		t.Fatalf("headers = %v", got)
	}
	from, err := mail.ParseAddress(p.header.Get("From"))
	if err != nil || from.Address != "noreply@example.org" || from.Name != s.SiteName {
		t.Errorf("From = %+v, %v", from, err)
	}
	if got := decode(t, p.header.Get("Subject")); got != "Alex suggests: "+s.Title {
		t.Errorf("Subject = %q", got)
	}
	if !strings.Contains(p.body, "\r\n"+s.URL+"\r\n") {
		t.Errorf("URL changed:\n%s", p.body)
	}
}

func TestComposeFromWithoutName(t *testing.T) {
	s := Suggestion{Language: "zh-Hans", SiteName: "Site", SenderName: "Alex", Title: "T", URL: "https://example.org/a", Summary: "\r\n  line one  \r\rline three\t\n"}
	msg, err := s.Compose(Address{Addr: "noreply@example.org"}, "a@b.org", testDate, "i@h")
	if err != nil {
		t.Fatal(err)
	}
	p := readBack(t, msg)
	if got := p.header.Get("From"); got != "noreply@example.org" {
		t.Errorf("From = %q", got)
	}
	if got := p.header.Get("Content-Language"); got != "zh" {
		t.Errorf("Content-Language = %q", got)
	}
	if !strings.Contains(p.body, "\r\nline one\r\n\r\nline three\r\n") {
		t.Errorf("summary lines not normalised:\n%q", p.body)
	}
}
