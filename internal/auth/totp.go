package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"strings"
	"time"
	"unicode"
)

// TOTP as authenticator apps implement it: RFC 6238 over RFC 4226's HOTP,
// HMAC-SHA1, six digits, a new code every 30 seconds. These are the only
// settings every app supports, so they are fixed rather than configurable.
const (
	// TOTPSecretLen is the size of a new secret: 160 bits, the size of an
	// HMAC-SHA1 output, as RFC 4226 §4 recommends.
	TOTPSecretLen = 20
	// TOTPDigits is the length of a code.
	TOTPDigits = 6
	// TOTPPeriod is how long a code lasts (RFC 6238's time step X).
	TOTPPeriod = 30 * time.Second
	// totpSkew is how many steps before and after the current one are
	// accepted, for a phone's clock that is a little off and for the time
	// the code takes to type (RFC 6238 §5.2 recommends at most one).
	totpSkew = 1
)

// NewTOTPSecret returns a new random secret of TOTPSecretLen bytes.
func NewTOTPSecret() []byte {
	secret := make([]byte, TOTPSecretLen)
	rand.Read(secret) // never fails; see the package documentation
	return secret
}

// totpBase32 is the encoding of secrets for apps: RFC 4648 base32 without
// padding, which the key URI format requires.
var totpBase32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// TOTPKey returns the secret as a person types it into an app that cannot
// scan the QR code: base32 in groups of four, such as
// "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ".
func TOTPKey(secret []byte) string {
	s := totpBase32.EncodeToString(secret)
	var b strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+4, len(s))])
	}
	return b.String()
}

// TOTPURI returns the otpauth:// URI that the QR code shown at set-up
// holds, in the key URI format of Google Authenticator that other apps
// follow:
//
//	otpauth://totp/Issuer:account?secret=…&issuer=Issuer&algorithm=SHA1&digits=6&period=30
//
// issuer names the service in the app's list (a mission's name, which
// may be Chinese) and account the person (their e-mail address). Both are
// percent-encoded as RFC 3986 asks, UTF-8 included, with %20 for spaces
// (some apps show a '+' as it is). Colons are encoded too: the label's
// only literal colon separates the issuer from the account. An empty
// issuer leaves the label as the account alone and omits the parameter.
func TOTPURI(issuer, account string, secret []byte) string {
	var b strings.Builder
	b.WriteString("otpauth://totp/")
	if issuer != "" {
		b.WriteString(uriEscape(issuer))
		b.WriteByte(':')
	}
	b.WriteString(uriEscape(account))
	b.WriteString("?secret=")
	b.WriteString(totpBase32.EncodeToString(secret))
	if issuer != "" {
		b.WriteString("&issuer=")
		b.WriteString(uriEscape(issuer))
	}
	b.WriteString("&algorithm=SHA1&digits=6&period=30")
	return b.String()
}

// uriEscape percent-encodes every byte of s but RFC 3986's unreserved
// characters. (net/url's escapers keep characters such as ':' or '@' that
// are allowed in a path, or turn spaces into '+'.)
func uriEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// CheckTOTP reports whether code is the one-time code of secret at time
// now. It accepts the codes of the current step and of the steps just
// before and after it, but only of steps after lastStep, so that a code
// cannot be used twice: on success the caller stores the returned step and
// passes it as lastStep next time (0 when none has been used yet).
//
// The code may contain spaces ("123 456") and full-width digits (from a
// Chinese input method); anything but six digits once those are read is
// refused. The step is meaningful only when ok is true.
func CheckTOTP(secret []byte, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	typed, valid := normalizeTOTPCode(code)
	if !valid || len(secret) == 0 {
		return 0, false
	}
	current := totpStep(now)
	// Every candidate after lastStep is computed and compared, without
	// stopping at a match; the earliest match wins, as it leaves the later
	// steps usable.
	for s := current + totpSkew; s >= current-totpSkew; s-- {
		if s < 0 || s <= lastStep {
			continue
		}
		want := hotp(secret, uint64(s), TOTPDigits)
		if subtle.ConstantTimeCompare([]byte(want), typed) == 1 {
			step, ok = s, true
		}
	}
	return step, ok
}

// TOTPCode is the code an authenticator app shows at now for secret:
// what a person types, and what tests and the command line compute.
func TOTPCode(secret []byte, now time.Time) string {
	return hotp(secret, uint64(totpStep(now)), TOTPDigits)
}

// ParseTOTPKey reads back a key as TOTPKey shows it (any case, with or
// without the spaces).
func ParseTOTPKey(key string) ([]byte, error) {
	secret, err := totpBase32.DecodeString(strings.ToUpper(strings.Join(strings.Fields(key), "")))
	if err != nil || len(secret) < TOTPSecretLen {
		return nil, errors.New("not a two-factor key")
	}
	return secret, nil
}

// normalizeTOTPCode drops white space and reads full-width digits as
// ASCII ones. It reports whether the result is TOTPDigits digits.
func normalizeTOTPCode(code string) ([]byte, bool) {
	out := make([]byte, 0, TOTPDigits)
	for _, r := range code {
		switch {
		case unicode.IsSpace(r):
			continue
		case '0' <= r && r <= '9':
			out = append(out, byte(r))
		case '０' <= r && r <= '９':
			out = append(out, byte('0'+r-'０'))
		default:
			return nil, false
		}
		if len(out) > TOTPDigits {
			return nil, false
		}
	}
	return out, len(out) == TOTPDigits
}

// totpStep is RFC 6238's T: the number of whole periods since the Unix
// epoch (rounded down, for times before it).
func totpStep(now time.Time) int64 {
	period := int64(TOTPPeriod / time.Second)
	t := now.Unix()
	s := t / period
	if t%period < 0 {
		s--
	}
	return s
}

// hotp is RFC 4226's HOTP value of counter: digits decimal digits, with
// leading zeros.
func hotp(secret []byte, counter uint64, digits int) string {
	v := truncate(hotpMAC(secret, counter))
	out := make([]byte, digits)
	for i := digits - 1; i >= 0; i-- {
		out[i] = byte('0' + v%10)
		v /= 10
	}
	return string(out)
}

// hotpMAC is HMAC-SHA1 of the counter as 8 big-endian bytes (RFC 4226
// §5.3, step 1).
func hotpMAC(secret []byte, counter uint64) []byte {
	mac := hmac.New(sha1.New, secret)
	mac.Write(binary.BigEndian.AppendUint64(nil, counter))
	return mac.Sum(nil)
}

// truncate is RFC 4226's dynamic truncation (§5.3, step 2): the 31 bits
// at the offset that the low four bits of the last byte give.
func truncate(mac []byte) uint32 {
	offset := mac[len(mac)-1] & 0x0f
	return binary.BigEndian.Uint32(mac[offset:]) & 0x7fffffff
}
