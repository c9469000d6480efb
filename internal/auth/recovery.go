package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"
	"unicode"
)

// Recovery codes let a person sign in when their phone is lost: each one
// replaces a TOTP code once. They look like "7kq2-m9xh-cw4e".
//
// The alphabet has 32 characters, digits and lower-case letters without
// 0, 1, l and o, which are easily read as one another; a code is three
// groups of four, 12 × 5 = 60 random bits.
//
// They are stored as SHA-256 hashes, not with a slow password hash: with
// 60 random bits, guessing a code from its hash costs about 2^59 hashes on
// average, out of reach without a memory-hard function, which is only
// needed for secrets that people choose and that are therefore guessable.
const (
	recoveryAlphabet = "23456789abcdefghijkmnpqrstuvwxyz"
	recoveryGroups   = 3
	recoveryGroupLen = 4
	recoveryLen      = recoveryGroups * recoveryGroupLen
)

// NewRecoveryCodes returns n new recovery codes, all different, to show
// once, and their hashes, in the same order, to store.
func NewRecoveryCodes(n int) (codes []string, hashes []string) {
	seen := make(map[string]bool, n)
	for len(codes) < n {
		code := newRecoveryCode()
		if seen[code] {
			continue // a one-in-2^60 chance, but cheap to rule out
		}
		seen[code] = true
		codes = append(codes, code)
		hashes = append(hashes, hashRecoveryCode(strings.ReplaceAll(code, "-", "")))
	}
	return codes, hashes
}

func newRecoveryCode() string {
	raw := make([]byte, recoveryLen)
	rand.Read(raw) // never fails; see the package documentation
	var b strings.Builder
	for i, c := range raw {
		if i > 0 && i%recoveryGroupLen == 0 {
			b.WriteByte('-')
		}
		// 32 divides 256, so every character is equally likely.
		b.WriteByte(recoveryAlphabet[c%byte(len(recoveryAlphabet))])
	}
	return b.String()
}

// hashRecoveryCode is the hex SHA-256 of a normalised code (12 characters
// of the alphabet, without dashes).
func hashRecoveryCode(normalized string) string {
	sum := sha256.Sum256([]byte(normalized))
	return hex.EncodeToString(sum[:])
}

// UseRecoveryCode reports whether typed is one of the codes whose hashes
// are given, and returns the hashes that remain usable: all but the one
// matched, in their order, in a new slice (hashes itself is unchanged).
// When typed matches none, remaining is hashes.
//
// Case, white space and dashes (of any kind: a code pasted from a document
// may have en dashes) are ignored. Every stored hash is compared, in
// constant time.
func UseRecoveryCode(hashes []string, typed string) (remaining []string, ok bool) {
	code, valid := normalizeRecoveryCode(typed)
	if !valid {
		return hashes, false
	}
	h := []byte(hashRecoveryCode(code))
	match := -1
	for i, stored := range hashes {
		if subtle.ConstantTimeCompare(h, []byte(stored)) == 1 && match < 0 {
			match = i
		}
	}
	if match < 0 {
		return hashes, false
	}
	remaining = make([]string, 0, len(hashes)-1)
	remaining = append(remaining, hashes[:match]...)
	remaining = append(remaining, hashes[match+1:]...)
	return remaining, true
}

// normalizeRecoveryCode lower-cases typed and drops white space and
// dashes. It reports whether the result is a code's length of characters
// of the alphabet.
func normalizeRecoveryCode(typed string) (string, bool) {
	var b strings.Builder
	for _, r := range typed {
		if unicode.IsSpace(r) || unicode.Is(unicode.Dash, r) {
			continue
		}
		r = unicode.ToLower(r)
		if r >= 0x80 || !strings.ContainsRune(recoveryAlphabet, r) || b.Len() == recoveryLen {
			return "", false
		}
		b.WriteRune(r)
	}
	return b.String(), b.Len() == recoveryLen
}
