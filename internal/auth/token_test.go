package auth

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
)

func TestNewToken(t *testing.T) {
	secret, hash := NewToken()
	if len(secret) != 43 || TokenLen != 43 {
		t.Fatalf("secret %q of %d characters, TokenLen %d; want 43", secret, len(secret), TokenLen)
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(secret)
	if err != nil || len(raw) != 32 {
		t.Fatalf("secret %q decodes to %d bytes, %v", secret, len(raw), err)
	}
	sum := sha256.Sum256([]byte(secret))
	if string(hash) != string(sum[:]) || string(HashToken(secret)) != string(sum[:]) {
		t.Errorf("hash is not SHA-256 of the secret")
	}
	if !ValidTokenShape(secret) {
		t.Errorf("ValidTokenShape(%q) = false", secret)
	}
	other, otherHash := NewToken()
	if other == secret || string(otherHash) == string(hash) {
		t.Error("two tokens are equal")
	}
	if string(HashToken(secret+"x")) == string(hash) {
		t.Error("HashToken ignores its input")
	}
}

func TestValidTokenShapeAgreesWithDecoder(t *testing.T) {
	// Every possible last character: valid exactly when strict decoding
	// gives 32 bytes.
	prefix := strings.Repeat("A", 42)
	for c := 0; c < 256; c++ {
		s := prefix + string([]byte{byte(c)})
		raw, err := base64.RawURLEncoding.Strict().DecodeString(s)
		want := err == nil && len(raw) == 32
		if got := ValidTokenShape(s); got != want {
			t.Errorf("ValidTokenShape(…%q) = %v, want %v", s[42:], got, want)
		}
	}
	// And every possible character elsewhere.
	for c := 0; c < 256; c++ {
		s := "A" + string([]byte{byte(c)}) + strings.Repeat("A", 41)
		raw, err := base64.RawURLEncoding.Strict().DecodeString(s)
		want := err == nil && len(raw) == 32
		if got := ValidTokenShape(s); got != want {
			t.Errorf("ValidTokenShape(A%qA…) = %v, want %v", byte(c), got, want)
		}
	}
}

func TestValidTokenShape(t *testing.T) {
	secret, _ := NewToken()
	for _, tc := range []struct {
		s  string
		ok bool
	}{
		{secret, true},
		{strings.Repeat("A", 43), true},
		{strings.Repeat("_", 42) + "w", true},
		{"", false},
		{secret[:42], false},
		{secret + "A", false},
		{secret + "=", false},
		{strings.Repeat("A", 42) + "B", false}, // stray bits
		{strings.Repeat("A", 41) + "+A", false},
		{strings.Repeat("A", 41) + "/A", false},
		{strings.Repeat("A", 41) + "\nA", false},
		{strings.Repeat("A", 41) + "é", false},
		{strings.Repeat("A", 44), false},
	} {
		if got := ValidTokenShape(tc.s); got != tc.ok {
			t.Errorf("ValidTokenShape(%q) = %v, want %v", tc.s, got, tc.ok)
		}
	}
}
