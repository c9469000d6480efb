package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// Tokens are the random secrets of session cookies and of links sent by
// e-mail (invitations, password resets). The secret goes to the browser or
// the message; the database keeps only its SHA-256 hash, so that a copy of
// the database does not let anyone in. A fast hash is enough: the secret
// has 256 random bits.
const (
	tokenBytes = 32
	// TokenLen is the length of a token's secret: 32 bytes in base64url
	// without padding.
	TokenLen = (tokenBytes*8 + 5) / 6
)

// NewToken returns a new random secret, 32 bytes in URL-safe base64
// without padding (fit for a cookie or a link as it is), and its hash to
// store.
func NewToken() (secret string, hash []byte) {
	raw := make([]byte, tokenBytes)
	rand.Read(raw) // never fails; see the package documentation
	secret = base64.RawURLEncoding.EncodeToString(raw)
	return secret, HashToken(secret)
}

// HashToken returns the SHA-256 hash of a token's secret, as stored: the
// key to look the token up by.
func HashToken(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// ValidTokenShape reports whether secret could be one that NewToken
// made: TokenLen characters of the base64url alphabet, the last one
// carrying no stray bits. It is a cheap check before a database look-up,
// which spares the database requests with junk cookies and links.
func ValidTokenShape(secret string) bool {
	if len(secret) != TokenLen {
		return false
	}
	for i := 0; i < len(secret); i++ {
		if base64URLValue(secret[i]) < 0 {
			return false
		}
	}
	// 43 characters carry 258 bits: the last character's two low bits are
	// padding and are zero in a canonical encoding.
	return base64URLValue(secret[len(secret)-1])&3 == 0
}

// base64URLValue is the value of c in the base64url alphabet, or -1.
func base64URLValue(c byte) int {
	switch {
	case 'A' <= c && c <= 'Z':
		return int(c - 'A')
	case 'a' <= c && c <= 'z':
		return int(c-'a') + 26
	case '0' <= c && c <= '9':
		return int(c-'0') + 52
	case c == '-':
		return 62
	case c == '_':
		return 63
	}
	return -1
}
