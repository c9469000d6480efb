package mail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"chancery/internal/mail/mailtest"
)

// config returns a Config that sends through srv with the security it
// offers, trusting its certificate.
func config(srv *mailtest.Server) Config {
	cfg := Config{Host: srv.Host, Port: srv.Port, From: "noreply@embassy.example.org", Security: SecurityNone, Timeout: 5 * time.Second}
	if srv.ClientTLS != nil {
		cfg.TLS = srv.ClientTLS
		cfg.Security = SecuritySTARTTLS
		if srv.Options().Implicit {
			cfg.Security = SecurityTLS
		}
	}
	return cfg
}

func testMessage(t *testing.T, lang string) []byte {
	t.Helper()
	s := Suggestion{
		Language: lang, SiteName: "Embassy", SenderName: "Alex Chen", SenderAddress: "alex@example.org",
		Title: "A title\u3000with 中文", Summary: ".\r\n.leading dot lines\r\n..", URL: "https://example.org/a",
	}
	msg, err := s.Compose(testFrom, "friend@example.net", testDate, "id@embassy.example.org")
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

func TestSend(t *testing.T) {
	tests := []struct {
		name string
		o    mailtest.Options
		user string
		pass string
	}{
		{name: "none"},
		{name: "starttls", o: mailtest.Options{STARTTLS: true}},
		{name: "implicit tls", o: mailtest.Options{Implicit: true}},
		{name: "starttls auth", o: mailtest.Options{STARTTLS: true, User: "web", Pass: "s3cret"}, user: "web", pass: "s3cret"},
		{name: "tls auth", o: mailtest.Options{Implicit: true, User: "web", Pass: "s3cret"}, user: "web", pass: "s3cret"},
		{name: "loopback plain auth", o: mailtest.Options{InsecureAuth: true, User: "web", Pass: "s3cret"}, user: "web", pass: "s3cret"},
	}
	for _, tt := range tests {
		for _, lang := range []string{"en", "zh"} {
			t.Run(tt.name+"/"+lang, func(t *testing.T) {
				srv := mailtest.Start(t, tt.o)
				cfg := config(srv)
				cfg.Username, cfg.Password = tt.user, tt.pass
				if err := cfg.Validate(); err != nil {
					t.Fatal(err)
				}
				msg := testMessage(t, lang)
				if err := cfg.Send(context.Background(), "", "Friend@Example.NET", msg); err != nil {
					t.Fatal(err)
				}
				got := srv.Messages()
				if len(got) != 1 {
					t.Fatalf("server received %d messages", len(got))
				}
				m := got[0]
				if m.From != "noreply@embassy.example.org" || len(m.To) != 1 || m.To[0] != "Friend@example.net" || m.Auth != tt.user {
					t.Errorf("envelope = from %q to %q auth %q", m.From, m.To, m.Auth)
				}
				if string(m.Data) != string(msg) {
					t.Errorf("DATA differs from the composed message:\n%q\nwant\n%q", m.Data, msg)
				}
			})
		}
	}
}

func TestSendEnvelopeSender(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{})
	cfg := config(srv)
	if err := cfg.Send(context.Background(), "bounces@embassy.example.org", "a@b.org", testMessage(t, "en")); err != nil {
		t.Fatal(err)
	}
	if got := srv.Messages()[0].From; got != "bounces@embassy.example.org" {
		t.Errorf("MAIL FROM %q", got)
	}
}

func TestSendFailures(t *testing.T) {
	msg := testMessage(t, "en")
	t.Run("starttls not offered", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{})
		cfg := config(srv)
		cfg.Security = SecuritySTARTTLS
		err := cfg.Send(context.Background(), "", "a@b.org", msg)
		if !errors.Is(err, ErrNoSTARTTLS) || Permanent(err) {
			t.Fatalf("err = %v, permanent %v", err, Permanent(err))
		}
		if !strings.Contains(err.Error(), "does not offer STARTTLS") {
			t.Errorf("unclear error: %v", err)
		}
		if len(srv.Messages()) != 0 {
			t.Error("message sent without TLS")
		}
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		cfg := config(mailtest.Start(t, mailtest.Options{STARTTLS: true}))
		cfg.TLS = nil // system roots do not know the test CA
		err := cfg.Send(context.Background(), "", "a@b.org", msg)
		if err == nil || Permanent(err) {
			t.Fatalf("err = %v, permanent %v", err, Permanent(err))
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		cfg := config(mailtest.Start(t, mailtest.Options{STARTTLS: true, User: "web", Pass: "s3cret"}))
		cfg.Username, cfg.Password = "web", "wrong"
		err := cfg.Send(context.Background(), "", "a@b.org", msg)
		if err == nil || Permanent(err) {
			t.Fatalf("err = %v, permanent %v (a configuration problem must not drop messages)", err, Permanent(err))
		}
	})
	t.Run("550 recipient", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{})
		srv.SetRcptErr(&smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"})
		cfg := config(srv)
		err := cfg.Send(context.Background(), "", "a@b.org", msg)
		if err == nil || !Permanent(err) {
			t.Fatalf("err = %v, permanent %v", err, Permanent(err))
		}
	})
	t.Run("451 recipient", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{})
		srv.SetRcptErr(&smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "greylisted"})
		cfg := config(srv)
		err := cfg.Send(context.Background(), "", "a@b.org", msg)
		if err == nil || Permanent(err) {
			t.Fatalf("err = %v, permanent %v", err, Permanent(err))
		}
	})
	t.Run("refused address", func(t *testing.T) {
		cfg := config(mailtest.Start(t, mailtest.Options{}))
		err := cfg.Send(context.Background(), "", "a@b.org\r\nRCPT TO:<x@y.org>", msg)
		if !errors.Is(err, ErrAddressInvalid) || !Permanent(err) {
			t.Fatalf("err = %v, permanent %v", err, Permanent(err))
		}
	})
	t.Run("connection refused", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		cfg := Config{Host: "127.0.0.1", Port: port, Security: SecurityNone, From: "a@b.org", Timeout: time.Second}
		err = cfg.Send(context.Background(), "", "a@b.org", msg)
		if err == nil || Permanent(err) {
			t.Fatalf("err = %v, permanent %v", err, Permanent(err))
		}
	})
	t.Run("invalid config", func(t *testing.T) {
		err := Config{Host: "127.0.0.1", Security: "ssl", From: "a@b.org"}.Send(context.Background(), "", "a@b.org", msg)
		if err == nil || Permanent(err) {
			t.Fatalf("err = %v, permanent %v", err, Permanent(err))
		}
	})
}

// silentServer accepts connections and never says a word, like a filtered
// or overloaded server.
func silentServer(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().(*net.TCPAddr).Port
}

func TestSendStopsPromptly(t *testing.T) {
	msg := testMessage(t, "en")
	for _, sec := range []string{SecurityNone, SecurityTLS} {
		t.Run(sec+"/cancel", func(t *testing.T) {
			cfg := Config{Host: "127.0.0.1", Port: silentServer(t), Security: sec, From: "a@b.org", Timeout: time.Minute}
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(100*time.Millisecond, cancel)
			start := time.Now()
			err := cfg.Send(ctx, "", "a@b.org", msg)
			if !errors.Is(err, context.Canceled) || Permanent(err) {
				t.Fatalf("err = %v", err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v after cancel", d)
			}
		})
		t.Run(sec+"/timeout", func(t *testing.T) {
			cfg := Config{Host: "127.0.0.1", Port: silentServer(t), Security: sec, From: "a@b.org", Timeout: 200 * time.Millisecond}
			start := time.Now()
			err := cfg.Send(context.Background(), "", "a@b.org", msg)
			if !errors.Is(err, context.DeadlineExceeded) || Permanent(err) {
				t.Fatalf("err = %v", err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v for a 200ms timeout", d)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	ok := Config{Host: "smtp.example.org", From: "noreply@example.org", Username: "u", Password: "p"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	if ok.port() != 587 || (Config{Security: "tls"}).port() != 465 || (Config{Security: "none"}).port() != 25 {
		t.Error("default ports")
	}
	tests := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"no host", func(c *Config) { c.Host = "" }, "host is empty"},
		{"host with port", func(c *Config) { c.Host = "smtp.example.org:587" }, "not a host name"},
		{"host with space", func(c *Config) { c.Host = "smtp example.org" }, "not a host name"},
		{"unknown security", func(c *Config) { c.Security = "ssl" }, `unknown SMTP security "ssl"`},
		{"port negative", func(c *Config) { c.Port = -1 }, "out of range"},
		{"port too big", func(c *Config) { c.Port = 70000 }, "out of range"},
		{"from missing", func(c *Config) { c.From = "" }, "sender address"},
		{"from with name", func(c *Config) { c.From = "Site <noreply@example.org>" }, "sender address"},
		{"password without user", func(c *Config) { c.Username = "" }, "password is set without a user name"},
		{"user without password", func(c *Config) { c.Password = "" }, "without a password"},
		{"password in clear", func(c *Config) { c.Security = "none" }, "clear text"},
		{"bad hello", func(c *Config) { c.HelloName = "my host" }, "HELO name"},
		{"negative timeout", func(c *Config) { c.Timeout = -time.Second }, "negative"},
		{"CRLF in user", func(c *Config) { c.Username = "u\r\nMAIL FROM:<x@y.org>" }, "line break"},
	}
	for _, tt := range tests {
		c := ok
		tt.edit(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tt.name, err, tt.want)
		}
	}
	local := Config{Host: "127.0.0.1", Security: "NONE", From: "a@b.org", Username: "u", Password: "p", Port: 2525, HelloName: "web1.example.org"}
	if err := local.Validate(); err != nil {
		t.Errorf("plain auth on loopback: %v", err)
	}
}

func TestPermanent(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{&textproto.Error{Code: 550, Msg: "no"}, true},
		{&textproto.Error{Code: 421, Msg: "busy"}, false},
		{&sendError{"rcpt", &textproto.Error{Code: 550, Msg: "no such user"}}, true},
		{&sendError{"data", &textproto.Error{Code: 554, Msg: "spam"}}, true},
		{&sendError{"mail", &textproto.Error{Code: 553, Msg: "sender refused"}}, true},
		{&sendError{"rcpt", &textproto.Error{Code: 452, Msg: "too many"}}, false},
		{&sendError{"auth", &textproto.Error{Code: 535, Msg: "bad password"}}, false},
		{&sendError{"hello", &textproto.Error{Code: 501, Msg: "bad HELO"}}, false},
		{&sendError{"connect", &net.OpError{Op: "dial", Err: errors.New("refused")}}, false},
		{fmt.Errorf("queue: %w", ErrAddressTooLong), true},
		{ErrAddressEmpty, true},
		{ErrNoSTARTTLS, false},
		{context.Canceled, false},
	}
	for _, tt := range tests {
		if got := Permanent(tt.err); got != tt.want {
			t.Errorf("Permanent(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestHostNames(t *testing.T) {
	for _, s := range []string{"localhost", "127.0.0.1", "::1"} {
		if !isLoopback(s) {
			t.Errorf("isLoopback(%q) = false", s)
		}
	}
	for _, s := range []string{"smtp.example.org", "10.0.0.1", "localhost.example"} {
		if isLoopback(s) {
			t.Errorf("isLoopback(%q) = true", s)
		}
	}
	for s, want := range map[string]bool{
		"web1.example.org": true, "[192.0.2.1]": true, "[IPv6:2001:db8::1]": true,
		"my host": false, "[nonsense]": false, "a..b": false, strings.Repeat("a.", 200): false,
	} {
		if got := isHelloName(s); got != want {
			t.Errorf("isHelloName(%q) = %v", s, got)
		}
	}
}
