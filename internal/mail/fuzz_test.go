package mail

import (
	"bytes"
	"mime"
	"net/mail"
	"slices"
	"strings"
	"testing"
	"unicode"
)

func FuzzParseAddress(f *testing.F) {
	for _, s := range []string{
		"a@b.org", " A@B.ORG ", "a@b.org\r\nBcc: x@y.org", "a@b.org, c@d.org", "<a@b.org>",
		"Name <a@b.org>", "用户@例子.中国", "user@例子.中国", "a@localhost", "a@[127.0.0.1]",
		"a@xn--fsqu00a.xn--fiqs8s", "a@ＥＸＡＭＰＬＥ。com", "\"a b\"@c.org", "a@b.org\x00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseAddress(s)
		if err != nil {
			if got != "" {
				t.Fatalf("error %v with result %q", err, got)
			}
			return
		}
		if len(got) > maxAddressLen || strings.Count(got, "@") != 1 {
			t.Fatalf("accepted %q as %q", s, got)
		}
		for _, r := range got {
			if r <= ' ' || r >= 0x7f || unicode.IsSpace(r) || unicode.IsControl(r) {
				t.Fatalf("accepted %q as %q, which holds %U", s, got, r)
			}
		}
		again, err := ParseAddress(got)
		if err != nil || again != got {
			t.Fatalf("ParseAddress(%q) = %q; again = %q, %v", s, got, again, err)
		}
		// What we accept, net/mail reads as the same single address.
		a, err := mail.ParseAddress(got)
		if err != nil || a.Address != got || a.Name != "" {
			t.Fatalf("net/mail reads %q as %+v, %v", got, a, err)
		}
	})
}

func FuzzCompose(f *testing.F) {
	f.Add("en", "Embassy", "Alex Chen", "alex@example.org", "Title", "Summary", "https://example.org/a", "Site", "noreply@example.org", "a@b.org", "id@host")
	f.Add("zh", "大使馆", "陈小明", "", "标题：长城", "摘要\n第二行", "https://example.org/zh/1", "大使馆", "noreply@example.org", "a@例子.中国", "x.y@h.example")
	f.Add("en", "S\r\nBcc: x@y.org", "A\r\nB", "a@b.org\r\nBcc: x@y.org", "T\r\nBcc: x@y.org", ".\r\n.\r\n", "https://e.org/\r\nX: y", "N\nX: y", "a@b.org", "c@d.org, e@f.org", "<i@h>")
	f.Add("fr", "=?utf-8?q?x?=", "J. Smith", "", strings.Repeat("word ", 90), "", "http://e.org/"+strings.Repeat("a", 900), strings.Repeat("n", 190), "noreply@example.org", "a@b.org", "i@h")
	f.Fuzz(func(t *testing.T, lang, site, name, sender, title, summary, link, fromName, fromAddr, to, id string) {
		s := Suggestion{Language: lang, SiteName: site, SenderName: name, SenderAddress: sender, Title: title, Summary: summary, URL: link}
		msg, err := s.Compose(Address{Name: fromName, Addr: fromAddr}, to, testDate, id)
		if err != nil {
			if msg != nil {
				t.Fatalf("error %v with a message", err)
			}
			return
		}
		p := readBack(t, msg)
		want := slices.Clone(wantHeaders)
		if strings.TrimSpace(sender) != "" {
			want = append(want, "Reply-To")
			slices.Sort(want)
		}
		if got := headerNames(p.header); !slices.Equal(got, want) {
			t.Fatalf("headers = %v, want %v\n%s", got, want, msg)
		}
		for _, l := range bytes.Split(msg, []byte("\r\n")) {
			if len(l) > 998 {
				t.Fatalf("line of %d bytes", len(l))
			}
		}
		toAddr, _ := ParseAddress(to)
		if got := p.header.Get("To"); got != toAddr {
			t.Fatalf("To = %q, want %q", got, toAddr)
		}
		from, err := mail.ParseAddress(p.header.Get("From"))
		wantFrom, _ := ParseAddress(fromAddr)
		if err != nil || from.Address != wantFrom || from.Name != strings.Join(strings.Fields(fromName), " ") {
			t.Fatalf("From = %+v, %v; header %q", from, err, p.header.Get("From"))
		}
		var d mime.WordDecoder
		subj, err := d.DecodeHeader(p.header.Get("Subject"))
		checked, _ := CheckName(name)
		if err != nil || !strings.HasPrefix(subj, checked+" ") || !strings.HasSuffix(subj, strings.Join(strings.Fields(title), " ")) {
			t.Fatalf("Subject = %q, %v", subj, err)
		}
		if !strings.Contains(p.body, "\r\n"+link+"\r\n") {
			t.Fatalf("link %q not on its own line", link)
		}
	})
}
