package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"testing"
)

func TestCSRF(t *testing.T) {
	key := NewCSRFKey()
	if len(key) != CSRFKeyLen {
		t.Fatalf("key of %d bytes", len(key))
	}
	_, session := NewToken()
	_, otherSession := NewToken()

	token := CSRFToken(key, session)
	// HMAC-SHA256, in base64url without padding.
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(csrfSessionLabel))
	mac.Write(session)
	if want := base64.RawURLEncoding.EncodeToString(mac.Sum(nil)); token != want {
		t.Errorf("CSRFToken = %q, want %q", token, want)
	}
	if len(token) != 43 {
		t.Errorf("token of %d characters", len(token))
	}
	if CSRFToken(key, session) != token {
		t.Error("CSRFToken is not stable within a session")
	}

	if !CheckCSRF(key, session, token) {
		t.Error("own token refused")
	}
	for name, bad := range map[string]string{
		"empty":           "",
		"other session":   CSRFToken(key, otherSession),
		"other key":       CSRFToken(NewCSRFKey(), session),
		"truncated":       token[:42],
		"extended":        token + "A",
		"padded":          token + "=",
		"one change":      flipLast(token),
		"anonymous token": CSRFTokenAnonymous(key, string(session)),
	} {
		if CheckCSRF(key, session, bad) {
			t.Errorf("%s token accepted", name)
		}
	}
	// No session, no valid token.
	if CheckCSRF(key, nil, CSRFToken(key, nil)) || CheckCSRF(key, []byte{}, CSRFToken(key, []byte{})) {
		t.Error("token accepted without a session")
	}
}

func TestCSRFAnonymous(t *testing.T) {
	key := NewCSRFKey()
	nonce, _ := NewToken()
	otherNonce, _ := NewToken()
	token := CSRFTokenAnonymous(key, nonce)
	if !CheckCSRFAnonymous(key, nonce, token) {
		t.Error("own token refused")
	}
	for name, bad := range map[string]string{
		"empty":         "",
		"other nonce":   CSRFTokenAnonymous(key, otherNonce),
		"other key":     CSRFTokenAnonymous(NewCSRFKey(), nonce),
		"one change":    flipLast(token),
		"session token": CSRFToken(key, []byte(nonce)),
	} {
		if CheckCSRFAnonymous(key, nonce, bad) {
			t.Errorf("%s token accepted", name)
		}
	}
	if CheckCSRFAnonymous(key, "", CSRFTokenAnonymous(key, "")) {
		t.Error("token accepted without a nonce")
	}
	// The two kinds differ for the same bytes.
	if CSRFTokenAnonymous(key, nonce) == CSRFToken(key, []byte(nonce)) {
		t.Error("anonymous and session tokens are the same")
	}
}

func TestCSRFShortKey(t *testing.T) {
	for name, f := range map[string]func(){
		"CSRFToken":          func() { CSRFToken(make([]byte, 15), []byte("s")) },
		"CheckCSRF":          func() { CheckCSRF(nil, []byte("s"), "t") },
		"CSRFTokenAnonymous": func() { CSRFTokenAnonymous([]byte("short"), "n") },
		"CheckCSRFAnonymous": func() { CheckCSRFAnonymous(nil, "n", "t") },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s with a short key did not panic", name)
				}
			}()
			f()
		}()
	}
	// 16 bytes are enough.
	if !CheckCSRF(make([]byte, 16), []byte("s"), CSRFToken(make([]byte, 16), []byte("s"))) {
		t.Error("16-byte key refused")
	}
}

// flipLast changes the last character of a base64url token to another
// valid one.
func flipLast(token string) string {
	last := token[len(token)-1]
	repl := byte('A')
	if last == 'A' {
		repl = 'E'
	}
	return token[:len(token)-1] + string(repl)
}
