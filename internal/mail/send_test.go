package mail

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// received is what the test server recorded of one message.
type received struct {
	from, auth string
	to         []string
	data       []byte
}

// backend is a go-smtp backend that records messages and can be told to
// require a password or to refuse recipients.
type backend struct {
	user, pass string          // when set, MAIL requires AUTH PLAIN with these
	rcptErr    *smtp.SMTPError // returned from RCPT when set

	mu   sync.Mutex
	msgs []received
}

func (b *backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{b: b}, nil }

func (b *backend) messages() []received {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]received(nil), b.msgs...)
}

type session struct {
	b   *backend
	cur received
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if s.b.user == "" || user != s.b.user || pass != s.b.pass {
			return errors.New("invalid credentials")
		}
		s.cur.auth = user
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.b.user != "" && s.cur.auth == "" {
		return smtp.ErrAuthRequired
	}
	s.cur.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.b.rcptErr != nil {
		return s.b.rcptErr
	}
	s.cur.to = append(s.cur.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.data = data
	s.b.mu.Lock()
	s.b.msgs = append(s.b.msgs, s.cur)
	s.b.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.cur = received{auth: s.cur.auth} }
func (s *session) Logout() error { return nil }

// testCert makes a self-signed ECDSA certificate for 127.0.0.1 and returns
// the server certificate and a pool trusting it.
func testCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "chancery test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}, pool
}

type serverOpts struct {
	tls      bool // offer STARTTLS
	implicit bool // TLS from the first byte
	insecure bool // allow AUTH without TLS
}

// startServer runs a go-smtp server on 127.0.0.1 for the test and returns a
// Config pointing at it.
func startServer(t *testing.T, be *backend, o serverOpts) Config {
	t.Helper()
	srv := smtp.NewServer(be)
	srv.Domain = "mx.test"
	srv.AllowInsecureAuth = o.insecure
	srv.ReadTimeout = 5 * time.Second
	srv.WriteTimeout = 5 * time.Second
	srv.ErrorLog = discardLogger{}
	cfg := Config{Host: "127.0.0.1", From: "noreply@embassy.example.org", Security: SecurityNone, Timeout: 5 * time.Second}
	var l net.Listener
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if o.tls || o.implicit {
		cert, pool := testCert(t)
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		cfg.TLS = &tls.Config{RootCAs: pool}
		cfg.Security = SecuritySTARTTLS
		if o.implicit {
			l = tls.NewListener(l, srv.TLSConfig)
			cfg.Security = SecurityTLS
		}
	}
	cfg.Port = l.Addr().(*net.TCPAddr).Port
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return cfg
}

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}
func (discardLogger) Println(...any)        {}

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
		be   *backend
		o    serverOpts
		user string
		pass string
	}{
		{name: "none", be: &backend{}},
		{name: "starttls", be: &backend{}, o: serverOpts{tls: true}},
		{name: "implicit tls", be: &backend{}, o: serverOpts{implicit: true}},
		{name: "starttls auth", be: &backend{user: "web", pass: "s3cret"}, o: serverOpts{tls: true}, user: "web", pass: "s3cret"},
		{name: "tls auth", be: &backend{user: "web", pass: "s3cret"}, o: serverOpts{implicit: true}, user: "web", pass: "s3cret"},
		{name: "loopback plain auth", be: &backend{user: "web", pass: "s3cret"}, o: serverOpts{insecure: true}, user: "web", pass: "s3cret"},
	}
	for _, tt := range tests {
		for _, lang := range []string{"en", "zh"} {
			t.Run(tt.name+"/"+lang, func(t *testing.T) {
				be := &backend{user: tt.be.user, pass: tt.be.pass}
				cfg := startServer(t, be, tt.o)
				cfg.Username, cfg.Password = tt.user, tt.pass
				if err := cfg.Validate(); err != nil {
					t.Fatal(err)
				}
				msg := testMessage(t, lang)
				if err := cfg.Send(context.Background(), "", "Friend@Example.NET", msg); err != nil {
					t.Fatal(err)
				}
				got := be.messages()
				if len(got) != 1 {
					t.Fatalf("server received %d messages", len(got))
				}
				m := got[0]
				if m.from != "noreply@embassy.example.org" || len(m.to) != 1 || m.to[0] != "Friend@example.net" || m.auth != tt.user {
					t.Errorf("envelope = from %q to %q auth %q", m.from, m.to, m.auth)
				}
				if string(m.data) != string(msg) {
					t.Errorf("DATA differs from the composed message:\n%q\nwant\n%q", m.data, msg)
				}
			})
		}
	}
}

func TestSendEnvelopeSender(t *testing.T) {
	be := &backend{}
	cfg := startServer(t, be, serverOpts{})
	if err := cfg.Send(context.Background(), "bounces@embassy.example.org", "a@b.org", testMessage(t, "en")); err != nil {
		t.Fatal(err)
	}
	if got := be.messages()[0].from; got != "bounces@embassy.example.org" {
		t.Errorf("MAIL FROM %q", got)
	}
}

func TestSendFailures(t *testing.T) {
	msg := testMessage(t, "en")
	t.Run("starttls not offered", func(t *testing.T) {
		be := &backend{}
		cfg := startServer(t, be, serverOpts{})
		cfg.Security = SecuritySTARTTLS
		err := cfg.Send(context.Background(), "", "a@b.org", msg)
		if !errors.Is(err, ErrNoSTARTTLS) || Permanent(err) {
			t.Fatalf("err = %v, permanent %v", err, Permanent(err))
		}
		if !strings.Contains(err.Error(), "does not offer STARTTLS") {
			t.Errorf("unclear error: %v", err)
		}
		if len(be.messages()) != 0 {
			t.Error("message sent without TLS")
		}
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		cfg := startServer(t, &backend{}, serverOpts{tls: true})
		cfg.TLS = nil // system roots do not know the test CA
		err := cfg.Send(context.Background(), "", "a@b.org", msg)
		if err == nil || Permanent(err) {
			t.Fatalf("err = %v, permanent %v", err, Permanent(err))
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		cfg := startServer(t, &backend{user: "web", pass: "s3cret"}, serverOpts{tls: true})
		cfg.Username, cfg.Password = "web", "wrong"
		err := cfg.Send(context.Background(), "", "a@b.org", msg)
		if err == nil || Permanent(err) {
			t.Fatalf("err = %v, permanent %v (a configuration problem must not drop messages)", err, Permanent(err))
		}
	})
	t.Run("550 recipient", func(t *testing.T) {
		cfg := startServer(t, &backend{rcptErr: &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}}, serverOpts{})
		err := cfg.Send(context.Background(), "", "a@b.org", msg)
		if err == nil || !Permanent(err) {
			t.Fatalf("err = %v, permanent %v", err, Permanent(err))
		}
	})
	t.Run("451 recipient", func(t *testing.T) {
		cfg := startServer(t, &backend{rcptErr: &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "greylisted"}}, serverOpts{})
		err := cfg.Send(context.Background(), "", "a@b.org", msg)
		if err == nil || Permanent(err) {
			t.Fatalf("err = %v, permanent %v", err, Permanent(err))
		}
	})
	t.Run("refused address", func(t *testing.T) {
		cfg := startServer(t, &backend{}, serverOpts{})
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
