package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
)

// CSRF tokens are HMAC-SHA256 tags, under a server key, of what the form
// is bound to: the hash of the session (see HashToken) for the back
// office's forms, or the nonce of a pre-session cookie for the forms shown
// before sign-in (sign-in itself, account set-up, password reset). A page
// from another site cannot read either, so it cannot forge the token; the
// server keeps no state beyond the key.
//
// The two kinds are tagged under different labels, so a token for one is
// never valid for the other, even if a nonce were chosen to equal some
// session's hash.

// CSRFKeyLen is the size of a key that NewCSRFKey returns.
const CSRFKeyLen = 32

// MinCSRFKeyLen is the shortest key accepted. A shorter key is a
// programming or configuration error, and the functions below panic on it.
const MinCSRFKeyLen = 16

// NewCSRFKey returns a new random key of CSRFKeyLen bytes.
func NewCSRFKey() []byte {
	key := make([]byte, CSRFKeyLen)
	rand.Read(key) // never fails; see the package documentation
	return key
}

// The labels that separate the two kinds of binding.
const (
	csrfSessionLabel   = "chancery csrf session\x00"
	csrfAnonymousLabel = "chancery csrf anonymous\x00"
)

// CSRFToken returns the token for forms of the session whose stored hash
// is sessionHash. It is the same for the whole session and fits in a form
// field or a header as it is (URL-safe base64 without padding).
func CSRFToken(key, sessionHash []byte) string {
	return csrfTag(key, csrfSessionLabel, sessionHash)
}

// CheckCSRF reports, in constant time, whether token is CSRFToken(key,
// sessionHash). An empty sessionHash (no session) matches no token.
func CheckCSRF(key, sessionHash []byte, token string) bool {
	return csrfCheck(key, csrfSessionLabel, sessionHash, token)
}

// CSRFTokenAnonymous returns the token for forms shown before sign-in,
// bound to nonce, the value of a random pre-session cookie (NewToken's
// secret will do).
func CSRFTokenAnonymous(key []byte, nonce string) string {
	return csrfTag(key, csrfAnonymousLabel, []byte(nonce))
}

// CheckCSRFAnonymous reports, in constant time, whether token is
// CSRFTokenAnonymous(key, nonce). An empty nonce (no cookie) matches no
// token.
func CheckCSRFAnonymous(key []byte, nonce, token string) bool {
	return csrfCheck(key, csrfAnonymousLabel, []byte(nonce), token)
}

func csrfTag(key []byte, label string, binding []byte) string {
	return base64.RawURLEncoding.EncodeToString(csrfMAC(key, label, binding))
}

func csrfCheck(key []byte, label string, binding []byte, token string) bool {
	want := csrfTag(key, label, binding)
	if len(binding) == 0 {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(token)) == 1
}

func csrfMAC(key []byte, label string, binding []byte) []byte {
	if len(key) < MinCSRFKeyLen {
		panic("auth: CSRF key shorter than MinCSRFKeyLen")
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(label))
	mac.Write(binding)
	return mac.Sum(nil)
}
