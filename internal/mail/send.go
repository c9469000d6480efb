package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"strconv"
	"strings"
	"time"
)

// Security values for Config.Security.
const (
	SecuritySTARTTLS = "starttls" // plain connection upgraded with STARTTLS, which is required (port 587)
	SecurityTLS      = "tls"      // implicit TLS from the first byte (port 465)
	SecurityNone     = "none"     // no encryption: only for a relay on the same machine or network
)

// DefaultTimeout bounds a whole Send when Config.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// ErrNoSTARTTLS is returned by Send with security "starttls" when the server
// does not offer STARTTLS: the message and any password would otherwise
// travel in clear text.
var ErrNoSTARTTLS = errors.New(`mail: the SMTP server does not offer STARTTLS, so nothing was sent; ` +
	`use security "tls" if the server expects TLS from the start (usually port 465), ` +
	`or "none" only for a relay on this machine`)

// Config says how to reach the SMTP server that relays the messages.
type Config struct {
	Host string // server host name or IP address
	// Port defaults to 587 for "starttls", 465 for "tls" and 25 for "none".
	Port int
	// Security is "starttls" (the default), "tls" or "none", in any case.
	// "starttls" refuses to go on when the server does not offer it. "none" sends
	// everything, password included, in clear text: use it only for a
	// relay on the loopback interface or a trusted private network.
	Security string
	Username string // AUTH PLAIN user name; no authentication when empty
	Password string
	// From is the envelope sender, and the address to give Compose as
	// Address.Addr so that From and envelope agree.
	From string
	// HelloName is the name given in EHLO; "localhost" when empty. Set it
	// to this machine's public host name if the relay checks it.
	HelloName string
	// Timeout bounds a whole Send (connection, TLS and conversation);
	// DefaultTimeout when zero.
	Timeout time.Duration
	// TLS, when set, is used for "tls" and "starttls" (for example to trust
	// a private certificate authority). ServerName defaults to Host.
	TLS *tls.Config
}

// Validate reports the first problem in the configuration, in a sentence
// that says what to change.
func (c Config) Validate() error {
	if strings.TrimSpace(c.Host) == "" {
		return errors.New("mail: the SMTP host is empty; set it to the name or address of the mail server")
	}
	if net.ParseIP(c.Host) == nil && !isHostName(c.Host) {
		return fmt.Errorf("mail: the SMTP host %q is not a host name or IP address; give the port separately", c.Host)
	}
	switch c.security() {
	case SecuritySTARTTLS, SecurityTLS, SecurityNone:
	default:
		return fmt.Errorf(`mail: unknown SMTP security %q; use "starttls" (port 587), "tls" (port 465) or "none" (local relay only)`, c.Security)
	}
	if c.Port < 0 || c.Port > 65535 {
		return fmt.Errorf("mail: SMTP port %d is out of range; use 1 to 65535, or 0 for the default of the security mode", c.Port)
	}
	if _, err := ParseAddress(c.From); err != nil {
		return fmt.Errorf("mail: the sender address %q is not a bare e-mail address like noreply@example.org: %w", c.From, err)
	}
	if c.Password != "" && c.Username == "" {
		return errors.New("mail: an SMTP password is set without a user name; set the user name too, or remove the password")
	}
	if c.Username != "" && c.Password == "" {
		return errors.New("mail: an SMTP user name is set without a password; set the password too, or remove the user name")
	}
	if strings.ContainsAny(c.Username+c.Password, "\r\n\x00") {
		return errors.New("mail: the SMTP user name or password contains a line break or NUL")
	}
	if c.Username != "" && c.security() == SecurityNone && !isLoopback(c.Host) {
		return fmt.Errorf(`mail: security "none" would send the SMTP password to %s in clear text; use "starttls" or "tls"`, c.Host)
	}
	if c.HelloName != "" && !isHelloName(c.HelloName) {
		return fmt.Errorf("mail: HELO name %q is not a host name; use this machine's fully qualified name or leave it empty", c.HelloName)
	}
	if c.Timeout < 0 {
		return fmt.Errorf("mail: SMTP timeout %s is negative; use a positive duration or 0 for %s", c.Timeout, DefaultTimeout)
	}
	return nil
}

func (c Config) security() string {
	if c.Security == "" {
		return SecuritySTARTTLS
	}
	return strings.ToLower(c.Security)
}

func (c Config) port() int {
	if c.Port != 0 {
		return c.Port
	}
	switch c.security() {
	case SecurityTLS:
		return 465
	case SecurityNone:
		return 25
	}
	return 587
}

func (c Config) tlsConfig() *tls.Config {
	var t *tls.Config
	if c.TLS != nil {
		t = c.TLS.Clone()
	} else {
		t = &tls.Config{}
	}
	if t.ServerName == "" {
		t.ServerName = c.Host
	}
	if t.MinVersion == 0 {
		t.MinVersion = tls.VersionTLS12
	}
	return t
}

// isLoopback reports the hosts net/smtp's PlainAuth sends a password to
// without TLS: "localhost", 127.0.0.1 and ::1. Another loopback address
// (127.0.0.2) would pass a looser check and then have every log-in refused.
func isLoopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

// isHelloName accepts a host name or an address literal without spaces.
func isHelloName(s string) bool {
	if len(s) > 255 {
		return false
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		return net.ParseIP(strings.TrimPrefix(s[1:len(s)-1], "IPv6:")) != nil
	}
	return isHostName(s)
}

// isHostName accepts dot-separated labels of letters, digits and hyphens.
func isHostName(s string) bool {
	if len(s) > 255 {
		return false
	}
	for _, l := range strings.Split(strings.ToLower(s), ".") {
		if !isLabel(l) {
			return false
		}
	}
	return true
}

// sendError records the SMTP step at which sending failed, so that
// Permanent can tell a refused message from a refused connection.
type sendError struct {
	step string // "connect", "tls", "hello", "starttls", "auth", "mail", "rcpt", "data", "quit"
	err  error
}

func (e *sendError) Error() string { return "mail: smtp " + e.step + ": " + e.err.Error() }
func (e *sendError) Unwrap() error { return e.err }

// Send delivers msg (as written by Compose) to one recipient through the
// configured server: connect, TLS as configured, EHLO, AUTH PLAIN when a
// user name is set, MAIL FROM, RCPT TO, DATA and QUIT. The envelope sender
// is from, or Config.From when from is empty; both addresses are checked
// with ParseAddress.
//
// The whole exchange is bounded by Config.Timeout and by ctx: cancelling
// ctx interrupts a connection that is in progress, and Send then returns an
// error wrapping ctx.Err(). Use Permanent to decide whether to retry.
func (c Config) Send(ctx context.Context, from, to string, msg []byte) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if strings.TrimSpace(from) == "" {
		from = c.From
	}
	from, err := ParseAddress(from)
	if err != nil {
		return fmt.Errorf("mail: envelope sender: %w", err)
	}
	to, err = ParseAddress(to)
	if err != nil {
		return fmt.Errorf("mail: recipient: %w", err)
	}
	timeout := c.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	err = c.send(ctx, from, to, msg)
	if err != nil && ctx.Err() != nil {
		// The connection was cut because of ctx: say so, rather than
		// "use of closed connection" or "i/o timeout".
		return fmt.Errorf("mail: sending to %s: %w (%v)", c.Host, context.Cause(ctx), err)
	}
	return err
}

func (c Config) send(ctx context.Context, from, to string, msg []byte) error {
	addr := net.JoinHostPort(c.Host, strconv.Itoa(c.port()))
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return &sendError{"connect", err}
	}
	defer conn.Close()
	// net/smtp has no context: when ctx ends (cancelled, or the timeout
	// Send added), the connection's deadline moves to the past, which makes
	// the blocked read or write return at once; ctx.Err is set by then.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	tlsConf := c.tlsConfig()
	if c.security() == SecurityTLS {
		tc := tls.Client(conn, tlsConf)
		if err := tc.HandshakeContext(ctx); err != nil {
			return &sendError{"tls", err}
		}
		conn = tc
	}
	cl, err := smtp.NewClient(conn, c.Host)
	if err != nil {
		return &sendError{"connect", err}
	}
	defer cl.Close()
	hello := c.HelloName
	if hello == "" {
		hello = "localhost"
	}
	if err := cl.Hello(hello); err != nil {
		return &sendError{"hello", err}
	}
	if c.security() == SecuritySTARTTLS {
		if ok, _ := cl.Extension("STARTTLS"); !ok {
			return &sendError{"starttls", ErrNoSTARTTLS}
		}
		if err := cl.StartTLS(tlsConf); err != nil {
			return &sendError{"starttls", err}
		}
	}
	if c.Username != "" {
		if err := cl.Auth(smtp.PlainAuth("", c.Username, c.Password, c.Host)); err != nil {
			return &sendError{"auth", err}
		}
	}
	if err := cl.Mail(from); err != nil {
		return &sendError{"mail", err}
	}
	if err := cl.Rcpt(to); err != nil {
		return &sendError{"rcpt", err}
	}
	w, err := cl.Data()
	if err != nil {
		return &sendError{"data", err}
	}
	if _, err := w.Write(msg); err != nil {
		return &sendError{"data", err}
	}
	if err := w.Close(); err != nil {
		return &sendError{"data", err}
	}
	// The message is accepted once DATA is; a failed QUIT changes nothing.
	_ = cl.Quit()
	return nil
}

// Permanent reports whether a failed Send should not be retried: the server
// refused the sender, the recipient or the message with a 5xx reply, or an
// address was refused before anything was sent. Network and TLS errors, 4xx
// replies, a missing STARTTLS, and 5xx replies to the greeting, EHLO,
// STARTTLS or AUTH (a problem of the server or of the configuration, not of
// this message) are temporary, and so is an invalid Config (it is fixed by
// the operator, not by dropping the message): the worker retries them.
func Permanent(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrAddressEmpty) || errors.Is(err, ErrAddressInvalid) || errors.Is(err, ErrAddressTooLong) {
		return true
	}
	var tp *textproto.Error
	if !errors.As(err, &tp) || tp.Code < 500 {
		return false
	}
	var se *sendError
	if errors.As(err, &se) {
		switch se.step {
		case "mail", "rcpt", "data":
			return true
		}
		return false
	}
	return true
}
