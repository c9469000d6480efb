package cli

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"chancery/internal/mail/mailtest"
)

// startServe runs serve with args until the test ends and returns the
// address it listens on.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), out, &syncBuffer{})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop")
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "Press Ctrl+C") {
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v\n%s", err, out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve printed no addresses: %q", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	m := regexp.MustCompile(`Health: http://(127\.0\.0\.1:\d+)/healthz`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("serve output lacks its address: %q", out.String())
	}
	if !strings.Contains(out.String(), "Mail: ") {
		t.Fatalf("serve does not say where mail goes: %q", out.String())
	}
	return m[1]
}

// do sends a request to addr for host and returns the status and body.
func do(t *testing.T, addr, method, host, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, "http://"+addr+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatalf("%s %s%s: %v", method, host, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestServeSendsSuggestions is the whole feature from the command line: a
// reader opens an article's share form on a running server, sends it, and
// the message reaches a real SMTP server, which asks for a password given
// in the environment; mail status then counts it delivered.
func TestServeSendsSuggestions(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{InsecureAuth: true, User: "chancery", Pass: "s3cret pass"})
	t.Setenv(passwordEnv, "s3cret pass")
	t.Setenv("CHANCERY_SMTP_HOST", "127.0.0.1")
	t.Setenv("CHANCERY_SMTP_PORT", strconv.Itoa(srv.Port))
	data := t.TempDir()
	addr := startServe(t, "--data", data, "--smtp-security", "none", "--smtp-user", "chancery", "--smtp-from", "news@un.example.org")

	_, home := do(t, addr, http.MethodGet, "un.localhost", "/en/", nil)
	article := regexp.MustCompile(`href="(/en/[a-z0-9/-]+/\d{4}/\d{2}/[a-z0-9-]+)"`).FindStringSubmatch(home)
	if article == nil {
		t.Fatal("the home page links to no article")
	}
	_, page := do(t, addr, http.MethodGet, "un.localhost", article[1], nil)
	share := regexp.MustCompile(`href="(/en/share/\d+/)"`).FindStringSubmatch(page)
	if share == nil {
		t.Fatalf("%s does not link to its share form", article[1])
	}
	_, form := do(t, addr, http.MethodGet, "un.localhost", share[1], nil)
	token := regexp.MustCompile(`name="token" value="([^"]+)"`).FindStringSubmatch(form)
	if token == nil {
		t.Fatal("the share form has no token")
	}
	time.Sleep(3100 * time.Millisecond) // a person takes at least this long
	resp, body := do(t, addr, http.MethodPost, "un.localhost", share[1], url.Values{
		"token": {token[1]}, "to": {"friend@example.org"}, "name": {"Alex Chen"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("posting the form = %d\n%s", resp.StatusCode, body)
	}
	msgs := srv.WaitFor(t, 1, 15*time.Second)
	m := msgs[0]
	if m.From != "news@un.example.org" || len(m.To) != 1 || m.To[0] != "friend@example.org" || m.Auth != "chancery" {
		t.Fatalf("delivered %+v; want from the site to the friend, after logging in", m)
	}
	if !strings.Contains(string(m.Data), "Subject: Alex Chen suggests:") || !strings.Contains(string(m.Data), "http://un.localhost") {
		t.Fatalf("message:\n%s", m.Data)
	}
	// The worker records the delivery just after the server accepts it.
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, _, err := run(t, "mail", "status", "--data", data)
		if err != nil {
			t.Fatal(err)
		}
		if regexp.MustCompile(`(?m)^un\s+0\s+0\s+1\s+0\s*$`).MatchString(out) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("mail status after delivery:\n%s", out)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestMailTestCommand(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	port := strconv.Itoa(srv.Port)
	out, _, err := run(t, "mail", "test", "--to", "me@example.org", "--smtp-host", "127.0.0.1", "--smtp-port", port,
		"--smtp-security", "none", "--smtp-from", "news@un.example.org")
	if err != nil || !strings.Contains(out, "Sent a test message to me@example.org") {
		t.Fatalf("mail test = %q, %v", out, err)
	}
	if got := srv.WaitFor(t, 1, 5*time.Second); got[0].To[0] != "me@example.org" {
		t.Fatalf("delivered to %v", got[0].To)
	}
	srv.Stop()
	_, _, err = run(t, "mail", "test", "--to", "me@example.org", "--smtp-host", "127.0.0.1", "--smtp-port", port,
		"--smtp-security", "none", "--smtp-from", "news@un.example.org")
	if err == nil || !strings.Contains(err.Error(), "could not be sent") {
		t.Fatalf("mail test with the server down = %v; want a clear failure", err)
	}
}

// TestMailFlagsRefused checks that mail settings a server could not use
// stop serve before it listens, with a message that names the setting.
func TestMailFlagsRefused(t *testing.T) {
	pw := filepath.Join(t.TempDir(), "missing-password")
	for _, tt := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--smtp-host", "127.0.0.1", "--smtp-from", "news@example.org", "--smtp-security", "ssl"}, nil, `unknown SMTP security "ssl"`},
		{[]string{"--smtp-host", "127.0.0.1"}, nil, "sender address"},
		{[]string{"--smtp-from", "news@example.org"}, nil, "need --smtp-host"},
		{[]string{"--smtp-host", "mail.example.org", "--smtp-from", "news@example.org", "--share-per-site", "0"}, nil, "--share-per-site must be 1 or more"},
		{[]string{"--smtp-host", "mail.example.org", "--smtp-from", "news@example.org", "--smtp-user", "u", "--smtp-password-file", pw}, nil, "cannot read the SMTP password"},
		{[]string{"--smtp-host", "mail.example.org", "--smtp-from", "news@example.org", "--smtp-user", "u", "--smtp-security", "none"},
			map[string]string{passwordEnv: "pw"}, "clear text"},
		{nil, map[string]string{"CHANCERY_SMTP_PORT": "twenty-five"}, "$CHANCERY_SMTP_PORT"},
	} {
		for k, v := range tt.env {
			t.Setenv(k, v)
		}
		_, _, err := run(t, append([]string{"serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0"}, tt.args...)...)
		var usage *UsageError
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("serve %v = %v; want an error saying %q", tt.args, err, tt.want)
		} else if !strings.Contains(tt.want, "password") && !errors.As(err, &usage) {
			t.Errorf("serve %v: %v is not a usage error", tt.args, err)
		}
		for k := range tt.env {
			os.Unsetenv(k)
		}
	}
}
