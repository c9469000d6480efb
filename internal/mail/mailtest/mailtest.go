// Package mailtest runs a real SMTP server on the loopback interface for
// tests: it speaks the protocol with github.com/emersion/go-smtp, records
// every message it accepts, and can be told to refuse recipients, to stop
// and to start again, so that a test can play an outage.
//
//	srv := mailtest.Start(t, mailtest.Options{STARTTLS: true})
//	// point the code under test at srv.Host, srv.Port, trusting srv.ClientTLS
//	msgs := srv.WaitFor(t, 1, 5*time.Second)
//
// It imports nothing of this project, so that any package's tests, the
// mail package's own included, can use it.
package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options say what the server offers and requires. The zero value is a
// plain server without TLS that accepts mail from anyone.
type Options struct {
	// STARTTLS offers STARTTLS on the plain connection.
	STARTTLS bool
	// Implicit speaks TLS from the first byte (like port 465). It also
	// makes ClientTLS non-nil.
	Implicit bool
	// InsecureAuth allows AUTH before TLS.
	InsecureAuth bool
	// User and Pass, when User is set, make MAIL require AUTH PLAIN with
	// these credentials.
	User, Pass string
	// Hold makes the server wait this long after a message's data before
	// answering, so that a test can act while a delivery is under way
	// (Holding counts them). A client that hangs up meanwhile has not
	// delivered: the message is not recorded.
	Hold time.Duration
}

// Message is what the server recorded of one accepted message.
type Message struct {
	From string   // envelope sender (MAIL FROM)
	Auth string   // the user name that authenticated; empty without AUTH
	To   []string // envelope recipients (RCPT TO), as the client wrote them
	Data []byte   // the message exactly as received, dot-stuffing undone
}

// Server is a running test server, started by Start and closed when the
// test ends. Its methods are safe for concurrent use.
type Server struct {
	// Host is the address to dial: "127.0.0.1".
	Host string
	// Port is the TCP port the server listens on; it stays the same across
	// Stop and Restart.
	Port int
	// ClientTLS is a client configuration that trusts the server's
	// self-signed certificate (valid for 127.0.0.1 and localhost); nil when
	// the server offers no TLS.
	ClientTLS *tls.Config

	opts      Options
	serverTLS *tls.Config

	mu       sync.Mutex
	srv      *smtp.Server // nil while stopped
	msgs     []Message
	rcpts    int             // RCPT commands received, accepted or not
	rcptErr  *smtp.SMTPError // refuses RCPT while rcptLeft != 0
	rcptLeft int             // < 0: every RCPT until changed
	changed  chan struct{}   // closed and replaced when a message arrives
	holding  int             // messages being held (Options.Hold)
}

// Start runs a server on 127.0.0.1 on a free port. It is closed when the
// test and its subtests have finished.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	s := &Server{Host: "127.0.0.1", opts: o, changed: make(chan struct{})}
	if o.STARTTLS || o.Implicit {
		cert, pool := certificate(t)
		s.serverTLS = &tls.Config{Certificates: []tls.Certificate{cert}}
		s.ClientTLS = &tls.Config{RootCAs: pool}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Port = l.Addr().(*net.TCPAddr).Port
	s.serve(l)
	t.Cleanup(s.Stop)
	return s
}

// Options returns the options the server was started with.
func (s *Server) Options() Options { return s.opts }

// Addr returns "127.0.0.1:port".
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

func (s *Server) serve(l net.Listener) {
	srv := smtp.NewServer(backend{s})
	srv.Domain = "mx.test"
	srv.AllowInsecureAuth = s.opts.InsecureAuth
	srv.ReadTimeout = 5 * time.Second
	srv.WriteTimeout = 5 * time.Second
	srv.ErrorLog = discard{}
	srv.TLSConfig = s.serverTLS
	if s.opts.Implicit {
		l = tls.NewListener(l, s.serverTLS)
	}
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
	go srv.Serve(l)
}

// Stop closes the listener and every open connection: a client then gets
// "connection refused", as from a server that is down. Stopping a stopped
// server does nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
}

// Restart listens again on the same port after Stop; it does nothing on
// a running server. The recorded messages are kept.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.mu.Lock()
	running := s.srv != nil
	s.mu.Unlock()
	if running {
		return
	}
	l, err := net.Listen("tcp", s.Addr())
	if err != nil {
		t.Fatalf("mailtest: listen again on %s: %v", s.Addr(), err)
	}
	s.serve(l)
}

// SetRcptErr makes the server refuse every RCPT with err (for example
// &smtp.SMTPError{Code: 451, …} for a temporary refusal, 550 for a
// permanent one) until it is called again; nil accepts recipients again.
func (s *Server) SetRcptErr(err *smtp.SMTPError) {
	s.FailRcpt(-1, err)
}

// FailRcpt makes the server refuse the next n RCPT commands with err, then
// accept again; n < 0 refuses until the next call. FailRcpt(0, nil)
// accepts at once.
func (s *Server) FailRcpt(n int, err *smtp.SMTPError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil {
		n = 0
	}
	s.rcptErr, s.rcptLeft = err, n
}

// Rcpts counts the RCPT commands received so far, refused ones included:
// how many delivery attempts reached the server.
func (s *Server) Rcpts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rcpts
}

// Messages returns a copy of the messages accepted so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// WaitFor waits until at least n messages have been accepted and returns
// them all; it fails the test if that takes longer than timeout.
func (s *Server) WaitFor(t testing.TB, n int, timeout time.Duration) []Message {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		msgs, changed := append([]Message(nil), s.msgs...), s.changed
		s.mu.Unlock()
		if len(msgs) >= n {
			return msgs
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("mailtest: %d messages arrived within %v, want %d", len(msgs), timeout, n)
			return nil
		}
	}
}

// rcpt decides the fate of one RCPT command.
func (s *Server) rcpt() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rcpts++
	if s.rcptErr == nil || s.rcptLeft == 0 {
		return nil
	}
	err := s.rcptErr
	if s.rcptLeft > 0 {
		s.rcptLeft--
	}
	return err
}

func (s *Server) record(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, m)
	close(s.changed)
	s.changed = make(chan struct{})
}

type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: b.s, conn: c}, nil
}

type session struct {
	s    *Server
	conn *smtp.Conn
	cur  Message
}

// Holding returns how many messages the server is holding before its
// answer (Options.Hold).
func (s *Server) Holding() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.holding
}

// hold waits Options.Hold and reports whether the client is still there:
// a client that has hung up reads as the end of the connection (one that
// waits for the answer, as net/smtp does, sends nothing meanwhile).
func (ss *session) hold() bool {
	ss.s.mu.Lock()
	ss.s.holding++
	ss.s.mu.Unlock()
	defer func() {
		ss.s.mu.Lock()
		ss.s.holding--
		ss.s.mu.Unlock()
	}()
	time.Sleep(ss.s.opts.Hold)
	c := ss.conn.Conn()
	c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	defer c.SetReadDeadline(time.Time{})
	_, err := c.Read(make([]byte, 1))
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

var _ smtp.AuthSession = (*session)(nil)

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		o := ss.s.opts
		if o.User == "" || user != o.User || pass != o.Pass {
			return errors.New("invalid credentials")
		}
		ss.cur.Auth = user
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.opts.User != "" && ss.cur.Auth == "" {
		return smtp.ErrAuthRequired
	}
	ss.cur.From = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := ss.s.rcpt(); err != nil {
		return err
	}
	ss.cur.To = append(ss.cur.To, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if ss.s.opts.Hold > 0 && !ss.hold() {
		return errors.New("the client hung up before the answer")
	}
	m := ss.cur
	m.To = append([]string(nil), m.To...)
	m.Data = data
	ss.s.record(m)
	return nil
}

// Reset forgets the message in progress; the authentication stays, as
// it does for the connection.
func (ss *session) Reset()        { ss.cur = Message{Auth: ss.cur.Auth} }
func (ss *session) Logout() error { return nil }

// certificate makes a self-signed ECDSA certificate for 127.0.0.1 and
// localhost, valid for an hour either side of now, and a pool trusting it.
func certificate(t testing.TB) (tls.Certificate, *x509.CertPool) {
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

// discard is go-smtp's error log, silenced: a test's clients hang up
// mid-conversation on purpose.
type discard struct{}

func (discard) Printf(string, ...any) {}
func (discard) Println(...any)        {}
