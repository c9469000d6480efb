package site

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"net/http/httptest"
	netmail "net/mail"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"chancery/internal/mail"
	"chancery/internal/mail/mailtest"
	"chancery/internal/store"
	"chancery/internal/theme"
)

// shareFixture is the fixture with mail turned on.
func shareFixture(t testing.TB, o ShareOptions) *fixture {
	t.Helper()
	f := newFixture(t)
	th, err := theme.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if o.From == "" {
		o.From = "news@un.example.test"
	}
	f.h = New(Options{Store: f.st, Theme: th, NetworkHost: "localhost", Now: func() time.Time { return f.now }, Share: o})
	return f
}

// form fetches a share form and returns its token.
func (f *fixture) form(t *testing.T, path string) string {
	t.Helper()
	resp := f.get(t, "un.example.test", path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", path, resp.StatusCode)
	}
	in := find(doc(t, resp), func(n *html.Node) bool { return tag("input")(n) && attr(n, "name") == "token" })
	if len(in) != 1 || attr(in[0], "value") == "" {
		t.Fatalf("%s has no form token", path)
	}
	return attr(in[0], "value")
}

// post sends a share form from a client address.
func (f *fixture) post(t *testing.T, path, client string, v url.Values) (*http.Response, string) {
	t.Helper()
	return f.postRaw(t, path, client, v.Encode())
}

// postRaw sends a form body as it is.
func (f *fixture) postRaw(t *testing.T, path, client, body string) (*http.Response, string) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "http://un.example.test"+path, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = client + ":40000"
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	resp := w.Result()
	page, _ := io.ReadAll(resp.Body)
	return resp, string(page)
}

// send fills in a fresh form, waits as a person would (think, default 10
// seconds) and posts it.
func (f *fixture) send(t *testing.T, path, client string, v url.Values, think ...time.Duration) (*http.Response, string) {
	t.Helper()
	v.Set("token", f.form(t, path))
	wait := 10 * time.Second
	if len(think) > 0 {
		wait = think[0]
	}
	f.now = f.now.Add(wait)
	return f.post(t, path, client, v)
}

func (f *fixture) outbox(t *testing.T) []store.Mail {
	t.Helper()
	// Claim far in the future: every queued message, whatever its time.
	got, err := f.st.Mail().ClaimMail(context.Background(), f.now.Add(24*time.Hour), time.Hour, 10000)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func (f *fixture) queued(t *testing.T) int {
	t.Helper()
	c, err := f.st.Mail().MailCounts(context.Background(), f.site.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c.Queued + c.Retrying + c.Delivered + c.Failed
}

func decodeHeader(t *testing.T, s string) string {
	t.Helper()
	d, err := new(mime.WordDecoder).DecodeHeader(s)
	if err != nil {
		t.Fatalf("header %q: %v", s, err)
	}
	return d
}

func TestShareSendsTheFixedMessage(t *testing.T) {
	f := shareFixture(t, ShareOptions{})
	path := shareURL(f.statement)
	if resp := f.get(t, "un.example.test", f.statement.Path); !strings.Contains(bodyOf(t, resp), `href="`+path+`"`) {
		t.Fatal("the article does not link to its share form")
	}
	resp := f.get(t, "un.example.test", path)
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("share form Cache-Control = %q; a form with a one-time token must not be cached", resp.Header.Get("Cache-Control"))
	}
	resp, body := f.send(t, path, "198.51.100.7", url.Values{"to": {"friend@example.org", "Other@Example.ORG", ""}, "name": {"Alex Chen"}, "from": {"alex@example.net"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != path+"?sent=2" {
		t.Fatalf("post = %d %s; want 303 to %s?sent=2\n%s", resp.StatusCode, resp.Header.Get("Location"), path, body)
	}
	done := bodyOf(t, f.get(t, "un.example.test", path+"?sent=2"))
	if !strings.Contains(done, "on its way to 2 addresses") {
		t.Fatal("the page after sending does not say the suggestion is on its way")
	}
	msgs := f.outbox(t)
	if len(msgs) != 2 || msgs[0].To != "friend@example.org" || msgs[1].To != "Other@example.org" || msgs[0].From != "news@un.example.test" {
		t.Fatalf("outbox = %+v; want one message to each friend, from the site", msgs)
	}
	m, err := netmail.ReadMessage(bytes.NewReader(msgs[0].Message))
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeHeader(t, m.Header.Get("Subject")); got != "Alex Chen suggests: Statement on Water Security" {
		t.Errorf("Subject = %q", got)
	}
	if got := decodeHeader(t, m.Header.Get("From")); got != `"Mission of Example to the UN" <news@un.example.test>` && got != "Mission of Example to the UN <news@un.example.test>" {
		t.Errorf("From = %q", got)
	}
	if m.Header.Get("To") != "friend@example.org" || !strings.Contains(m.Header.Get("Reply-To"), "alex@example.net") || m.Header.Get("Content-Language") != "en" {
		t.Errorf("headers = %v", m.Header)
	}
	text, _ := io.ReadAll(quotedprintable.NewReader(m.Body))
	for _, want := range []string{"Alex Chen", "Statement on Water Security", "The Ambassador spoke on water.", "http://un.example.test" + f.statement.Path} {
		if !strings.Contains(string(text), want) {
			t.Errorf("message body lacks %q:\n%s", want, text)
		}
	}
}

func TestShareInChinese(t *testing.T) {
	f := shareFixture(t, ShareOptions{})
	path := shareURL(f.zh)
	page := bodyOf(t, f.get(t, "un.example.test", path))
	if !strings.Contains(page, "朋友的邮箱地址") || !strings.Contains(page, `lang="zh"`) {
		t.Fatal("the Chinese share form is not in Chinese")
	}
	resp, body := f.send(t, path, "198.51.100.7", url.Values{"to": {"not an address"}, "name": {"王小明"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "不是有效的邮箱地址") {
		t.Fatalf("bad address on the Chinese form = %d; want 400 with a Chinese message", resp.StatusCode)
	}
	if resp, _ := f.send(t, path, "198.51.100.7", url.Values{"to": {"pengyou@example.org"}, "name": {"王小明"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("post = %d", resp.StatusCode)
	}
	msgs := f.outbox(t)
	if len(msgs) != 1 {
		t.Fatalf("outbox holds %d messages", len(msgs))
	}
	m, err := netmail.ReadMessage(bytes.NewReader(msgs[0].Message))
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeHeader(t, m.Header.Get("Subject")); !strings.Contains(got, "王小明") || !strings.Contains(got, "关于水安全的发言") || m.Header.Get("Content-Language") != "zh" {
		t.Errorf("Subject = %q, language %q", got, m.Header.Get("Content-Language"))
	}
	text, _ := io.ReadAll(quotedprintable.NewReader(m.Body))
	if !strings.Contains(string(text), "王小明") || !strings.Contains(string(text), "http://un.example.test"+f.zh.Path) {
		t.Errorf("Chinese body:\n%s", text)
	}
}

// TestShareRefusesBadInput posts hostile forms: each is refused with a
// message in the page's language and sends nothing.
func TestShareRefusesBadInput(t *testing.T) {
	f := shareFixture(t, ShareOptions{})
	path := shareURL(f.statement)
	good := func() url.Values { return url.Values{"to": {"friend@example.org"}, "name": {"Alex Chen"}} }
	fifty := make([]string, 50)
	for i := range fifty {
		fifty[i] = fmt.Sprintf("f%d@example.org", i)
	}
	other := f.form(t, shareURL(f.lonely))
	for _, tt := range []struct {
		name   string
		change func(v url.Values)
		token  func(fresh string) string
		wait   time.Duration
		want   string
	}{
		{name: "no recipient", change: func(v url.Values) { v["to"] = []string{"", " "} }, want: "at least one e-mail address"},
		{name: "four recipients", change: func(v url.Values) { v["to"] = fifty[:4] }, want: "at most 3 addresses"},
		{name: "fifty recipients", change: func(v url.Values) { v["to"] = fifty }, want: "at most 3 addresses"},
		{name: "header injection", change: func(v url.Values) { v.Set("to", "friend@example.org\r\nBcc: victim@example.org") }, want: "is not an e-mail address"},
		{name: "two in one field", change: func(v url.Values) { v.Set("to", "a@example.org, b@example.org") }, want: "is not an e-mail address"},
		{name: "display name", change: func(v url.Values) { v.Set("to", "Friend <friend@example.org>") }, want: "is not an e-mail address"},
		{name: "link in the name", change: func(v url.Values) { v.Set("name", "Win at evil.example now") }, want: "Give your name"},
		{name: "url name", change: func(v url.Values) { v.Set("name", "http://evil.example/") }, want: "Give your name"},
		{name: "name with line break", change: func(v url.Values) { v.Set("name", "Alex\r\nBcc: x@example.org") }, want: "Give your name"},
		{name: "no name", change: func(v url.Values) { v.Del("name") }, want: "Give your name"},
		{name: "bad sender address", change: func(v url.Values) { v.Set("from", "me at home") }, want: "Your own e-mail address"},
		{name: "huge field", change: func(v url.Values) { v.Set("name", strings.Repeat("A", 20000)) }, want: "cannot be read"},
		{name: "invalid UTF-8", change: func(v url.Values) { v.Set("name", "Alex \xff\xfe") }, want: "cannot be read"},
		{name: "honeypot", change: func(v url.Values) { v.Set("website", "http://spam.example") }, want: "can no longer be used"},
		{name: "forged token", token: func(s string) string { return strings.ToUpper(s[:10]) + s[10:] }, want: "can no longer be used"},
		{name: "no token", token: func(string) string { return "" }, want: "can no longer be used"},
		{name: "another article's token", token: func(string) string { return other }, want: "can no longer be used"},
		{name: "too fast", wait: time.Second, want: "too quickly"},
		{name: "too late", wait: 3 * time.Hour, want: "expired"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := good()
			if tt.change != nil {
				tt.change(v)
			}
			token := f.form(t, path)
			if tt.token != nil {
				token = tt.token(token)
			}
			v.Set("token", token)
			wait := tt.wait
			if wait == 0 {
				wait = 10 * time.Second
			}
			f.now = f.now.Add(wait)
			before := f.queued(t)
			resp, body := f.post(t, path, "198.51.100.7", v)
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, tt.want) || !strings.Contains(body, `role="alert"`) {
				t.Fatalf("status %d; want 400 with %q in an alert\n%s", resp.StatusCode, tt.want, body)
			}
			if f.queued(t) != before {
				t.Fatal("a refused form queued mail")
			}
			// The form comes back with a fresh token, ready to send again.
			if !strings.Contains(body, `name="token" value="`) {
				t.Fatal("the refused form has no fresh token")
			}
		})
	}
	// A token is good for one message only.
	token := f.form(t, path)
	f.now = f.now.Add(10 * time.Second)
	v := good()
	v.Set("token", token)
	if resp, _ := f.post(t, path, "198.51.100.7", v); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first use of a token = %d", resp.StatusCode)
	}
	resp, body := f.post(t, path, "198.51.100.7", v)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "can no longer be used") || f.queued(t) != 1 {
		t.Fatalf("reused token = %d, %d queued; want 400 and one message", resp.StatusCode, f.queued(t))
	}
}

func TestShareLimits(t *testing.T) {
	f := shareFixture(t, ShareOptions{PerClient: 4, PerRecipient: 2, PerSite: 6})
	path := shareURL(f.statement)
	send := func(client string, to ...string) (int, string) {
		resp, body := f.send(t, path, client, url.Values{"to": to, "name": {"Alex Chen"}})
		return resp.StatusCode, body
	}
	if code, _ := send("198.51.100.1", "a@example.org", "b@example.org"); code != http.StatusSeeOther {
		t.Fatalf("first = %d", code)
	}
	if code, body := send("198.51.100.2", "a@example.org"); code != http.StatusSeeOther {
		t.Fatalf("second to a = %d\n%s", code, body)
	}
	if code, body := send("198.51.100.3", "A+news@Example.org"); code != http.StatusTooManyRequests || !strings.Contains(body, "One of these addresses has already received") {
		t.Fatalf("third to a within the hour, written differently = %d; want 429", code)
	}
	if code, _ := send("198.51.100.1", "c@example.org", "d@example.org"); code != http.StatusSeeOther {
		t.Fatalf("client 1's second = %d", code)
	}
	if code, body := send("198.51.100.1", "e@example.org"); code != http.StatusTooManyRequests || !strings.Contains(body, "from your network") {
		t.Fatalf("client 1 over its limit = %d", code)
	}
	if code, _ := send("198.51.100.4", "e@example.org"); code != http.StatusSeeOther {
		t.Fatalf("client 4 = %d", code)
	}
	if code, body := send("198.51.100.5", "f@example.org"); code != http.StatusTooManyRequests || !strings.Contains(body, "This site has sent as many") {
		t.Fatalf("over the site's limit = %d", code)
	}
	// An hour later the limits have room again.
	f.now = f.now.Add(time.Hour)
	if code, _ := send("198.51.100.1", "a@example.org"); code != http.StatusSeeOther {
		t.Fatalf("an hour later = %d", code)
	}
	if n := f.queued(t); n != 7 {
		t.Fatalf("%d messages queued; want 7", n)
	}
}

// TestShareAbuse fires 1,000 well-formed requests, each with a fresh
// token and as fast as the form allows: 300 from one address, 300 from
// as many networks at one victim, 400 from as many networks at fresh
// addresses. No more messages are queued than each limit allows.
func TestShareAbuse(t *testing.T) {
	const perClient, perRecipient, perSite = 10, 3, 50
	f := shareFixture(t, ShareOptions{PerClient: perClient, PerRecipient: perRecipient, PerSite: perSite})
	path := shareURL(f.statement)
	refused := 0
	for i := range 1000 {
		client := fmt.Sprintf("2001:db8:%x::1", i) // a network of its own
		to := []string{fmt.Sprintf("v%d@example.org", i), fmt.Sprintf("w%d@example.org", i), fmt.Sprintf("x%d@example.org", i)}
		switch {
		case i < 300:
			client = "203.0.113.9"
		case i < 600:
			to = []string{"victim@example.org"}
		}
		// Three seconds apart: the whole attack fits in one hour.
		resp, _ := f.send(t, path, client, url.Values{"to": to, "name": {"Spam Bot"}}, 3*time.Second)
		switch resp.StatusCode {
		case http.StatusSeeOther:
		case http.StatusTooManyRequests:
			refused++
		default:
			t.Fatalf("request %d = %d", i, resp.StatusCode)
		}
	}
	msgs := f.outbox(t)
	from := map[string]int{}
	victim := 0
	for _, m := range msgs {
		from[m.Client]++
		if m.To == "victim@example.org" {
			victim++
		}
	}
	var most int
	for _, n := range from {
		most = max(most, n)
	}
	if len(msgs) > perSite || victim > perRecipient || most > perClient {
		t.Fatalf("1,000 requests queued %d messages (limit %d), %d to one recipient (limit %d), %d from one client (limit %d)",
			len(msgs), perSite, victim, perRecipient, most, perClient)
	}
	if victim != perRecipient || most != 9 || len(msgs) < perSite-2 {
		t.Fatalf("the limits let too little through: %d messages, %d to the victim, %d from one client", len(msgs), victim, most)
	}
	// What leaves: the outbox worker hands the queue to a real SMTP server.
	srv := mailtest.Start(t, mailtest.Options{})
	w := mail.NewWorker(mail.Worker{Store: f.st, Now: func() time.Time { return f.now.Add(48 * time.Hour) },
		Sender: mail.Config{Host: srv.Host, Port: srv.Port, Security: mail.SecurityNone, From: "news@un.example.test"}})
	for w.Drain(context.Background()) > 0 {
	}
	sent := srv.Messages()
	if len(sent) != len(msgs) {
		t.Fatalf("%d messages reached the SMTP server; %d were queued", len(sent), len(msgs))
	}
	t.Logf("1,000 requests: %d messages sent (%d to the victim, at most %d from one client), %d requests refused", len(sent), victim, most, refused)
}

func TestShareWithoutMail(t *testing.T) {
	f := newFixture(t)
	path := shareURL(f.statement)
	resp := f.get(t, "un.example.test", path)
	d := doc(t, resp)
	if resp.StatusCode != http.StatusOK || len(find(d, tag("form"))) != 1 { // the search box only
		t.Fatalf("share page without mail = %d", resp.StatusCode)
	}
	links := find(d, func(n *html.Node) bool { return tag("a")(n) && strings.HasPrefix(attr(n, "href"), "mailto:") })
	if len(links) != 1 {
		t.Fatal("the share page without mail offers no mailto: link")
	}
	if resp, _ := f.post(t, path, "198.51.100.7", url.Values{"to": {"a@example.org"}}); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("post without mail = %d; want 405", resp.StatusCode)
	}
}

func TestShareUnknownArticles(t *testing.T) {
	f := shareFixture(t, ShareOptions{})
	for _, p := range []string{"/en/share/99999/", "/en/share/abc/", "/en/share/01/", "/en/share/-1/",
		shareURL(f.draft), "/zh/share/" + fmt.Sprint(f.statement.ID) + "/", "/en/share/" + fmt.Sprint(f.statement.ID) + "/x/"} {
		if resp := f.get(t, "un.example.test", p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d; want 404", p, resp.StatusCode)
		}
	}
	if resp, _ := f.post(t, f.statement.Path, "198.51.100.7", url.Values{}); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST to an article = %d; want 405", resp.StatusCode)
	}
	if resp := f.get(t, "un.example.test", strings.TrimSuffix(shareURL(f.statement), "/")); resp.StatusCode != http.StatusMovedPermanently {
		t.Errorf("share address without its slash = %d; want 301", resp.StatusCode)
	}
}

func bodyOf(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestShareRefusesOtherSites: a form a browser posts from another site's
// page is refused, and nothing is queued; the same form from the site's
// own page goes out.
func TestShareRefusesOtherSites(t *testing.T) {
	f := shareFixture(t, ShareOptions{})
	path := shareURL(f.statement)
	post := func(headers ...string) int {
		v := url.Values{"to": {"colleague@example.org"}, "name": {"Alex Chen"}, "token": {f.form(t, path)}}
		f.now = f.now.Add(10 * time.Second)
		r := httptest.NewRequest(http.MethodPost, "http://un.example.test"+path, strings.NewReader(v.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for i := 0; i+1 < len(headers); i += 2 {
			r.Header.Set(headers[i], headers[i+1])
		}
		r.RemoteAddr = "198.51.100.7:40000"
		w := httptest.NewRecorder()
		f.h.ServeHTTP(w, r)
		return w.Code
	}
	if code := post("Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"); code != http.StatusForbidden {
		t.Errorf("posted from another site: %d; want 403", code)
	}
	if code := post("Origin", "https://evil.example"); code != http.StatusForbidden {
		t.Errorf("posted with another site's Origin: %d; want 403", code)
	}
	if n := f.queued(t); n != 0 {
		t.Fatalf("%d messages queued from other sites' posts", n)
	}
	if code := post("Sec-Fetch-Site", "same-origin", "Origin", "http://un.example.test"); code != http.StatusSeeOther {
		t.Errorf("posted from the site's own page: %d; want 303", code)
	}
}

// TestRecipientKey: the ways of writing one mailbox count as one.
func TestRecipientKey(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"Victim@Example.org", "victim+news@example.org"},
		{"victim@gmail.com", "v.ic.tim@gmail.com"},
		{"victim@googlemail.com", "V.ictim+x@GMAIL.com"},
	} {
		if recipientKey(c.a) != recipientKey(c.b) {
			t.Errorf("%s and %s count apart: %s, %s", c.a, c.b, recipientKey(c.a), recipientKey(c.b))
		}
	}
	if recipientKey("v.ictim@example.org") == recipientKey("victim@example.org") {
		t.Error("dots dropped for a provider that does not ignore them")
	}
}
