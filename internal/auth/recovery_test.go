package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var recoveryShape = regexp.MustCompile(`^[2-9a-km-np-z]{4}-[2-9a-km-np-z]{4}-[2-9a-km-np-z]{4}$`)

func TestRecoveryAlphabet(t *testing.T) {
	if len(recoveryAlphabet) != 32 {
		t.Fatalf("alphabet of %d characters; 32 are needed for 5 bits each", len(recoveryAlphabet))
	}
	if bits := recoveryLen * 5; bits < 60 {
		t.Errorf("codes carry %d bits, want at least 60", bits)
	}
	for _, c := range "01lo" + "OIL" {
		if strings.ContainsRune(recoveryAlphabet, c) {
			t.Errorf("alphabet holds the ambiguous %q", c)
		}
	}
	seen := map[rune]bool{}
	for _, c := range recoveryAlphabet {
		if seen[c] {
			t.Errorf("%q twice in the alphabet", c)
		}
		seen[c] = true
	}
}

func TestNewRecoveryCodes(t *testing.T) {
	codes, hashes := NewRecoveryCodes(10)
	if len(codes) != 10 || len(hashes) != 10 {
		t.Fatalf("got %d codes and %d hashes, want 10", len(codes), len(hashes))
	}
	for i, c := range codes {
		if !recoveryShape.MatchString(c) {
			t.Errorf("code %q is not xxxx-xxxx-xxxx of the alphabet", c)
		}
		sum := sha256.Sum256([]byte(strings.ReplaceAll(c, "-", "")))
		if want := hex.EncodeToString(sum[:]); hashes[i] != want {
			t.Errorf("hash of %q = %s, want %s", c, hashes[i], want)
		}
	}
	if len(slices.Compact(slices.Sorted(slices.Values(codes)))) != len(codes) {
		t.Error("two codes are equal")
	}
	if c, h := NewRecoveryCodes(0); len(c) != 0 || len(h) != 0 {
		t.Errorf("NewRecoveryCodes(0) = %v, %v", c, h)
	}
}

func TestRecoveryCodesUniform(t *testing.T) {
	// Every character of the alphabet turns up, at every position, about
	// as often as the others: 4000 codes give 125 of each per position on
	// average; below 60 or above 200 happens by chance with probability
	// far below one in a million.
	codes, _ := NewRecoveryCodes(4000)
	for pos := range 14 {
		if pos == 4 || pos == 9 {
			continue // dashes
		}
		counts := map[byte]int{}
		for _, c := range codes {
			counts[c[pos]]++
		}
		for _, a := range []byte(recoveryAlphabet) {
			if n := counts[a]; n < 60 || n > 200 {
				t.Errorf("position %d: %q %d times in 4000 codes", pos, a, n)
			}
		}
	}
}

func TestUseRecoveryCode(t *testing.T) {
	codes, hashes := NewRecoveryCodes(5)
	orig := slices.Clone(hashes)

	remaining, ok := UseRecoveryCode(hashes, codes[2])
	if !ok {
		t.Fatalf("code %q not accepted", codes[2])
	}
	want := []string{orig[0], orig[1], orig[3], orig[4]}
	if !slices.Equal(remaining, want) {
		t.Errorf("remaining = %v, want %v", remaining, want)
	}
	if !slices.Equal(hashes, orig) {
		t.Error("UseRecoveryCode changed its argument")
	}
	// Once used, a code is gone.
	if r, ok := UseRecoveryCode(remaining, codes[2]); ok || !slices.Equal(r, remaining) {
		t.Errorf("used code accepted again: %v, %v", r, ok)
	}
	// All of them, one by one, in any spelling.
	left := remaining
	for _, i := range []int{4, 0, 3, 1} {
		typed := " " + strings.ToUpper(strings.ReplaceAll(codes[i], "-", " – ")) + "\n"
		var ok bool
		if left, ok = UseRecoveryCode(left, typed); !ok {
			t.Fatalf("%q not accepted", typed)
		}
	}
	if len(left) != 0 {
		t.Errorf("%d hashes left after using every code", len(left))
	}
	if r, ok := UseRecoveryCode(nil, codes[0]); ok || r != nil {
		t.Errorf("UseRecoveryCode(nil) = %v, %v", r, ok)
	}
}

func TestUseRecoveryCodeSpellings(t *testing.T) {
	hashes := []string{hashRecoveryCode("7kq2m9xhcw4e")}
	for _, tc := range []struct {
		typed string
		ok    bool
	}{
		{"7kq2-m9xh-cw4e", true},
		{"7KQ2-M9XH-CW4E", true},
		{"7kq2m9xhcw4e", true},
		{"7kq2 m9xh cw4e", true},
		{" 7kq2 - m9xh - cw4e ", true},
		{"7kq2–m9xh—cw4e", true},           // en and em dashes
		{"7kq2\u2010m9xh\u2011cw4e", true}, // hyphen, non-breaking hyphen
		{"7kq2-m9xh-cw4f", false},
		{"7kq2-m9xh-cw4", false},
		{"7kq2-m9xh-cw4ee", false},
		{"7kq2_m9xh_cw4e", false},
		{"7kq2.m9xh.cw4e", false},
		{"", false},
		{"-", false},
		{strings.Repeat("7kq2-m9xh-cw4e", 100), false},
	} {
		_, ok := UseRecoveryCode(hashes, tc.typed)
		if ok != tc.ok {
			t.Errorf("UseRecoveryCode(%q) = %v, want %v", tc.typed, ok, tc.ok)
		}
	}
}

func TestUseRecoveryCodeDuplicateHashes(t *testing.T) {
	// Only one copy goes, if the store somehow held two.
	h := hashRecoveryCode("7kq2m9xhcw4e")
	other := hashRecoveryCode("22222222222z")
	remaining, ok := UseRecoveryCode([]string{other, h, h}, "7kq2-m9xh-cw4e")
	if !ok || !slices.Equal(remaining, []string{other, h}) {
		t.Errorf("got %v, %v", remaining, ok)
	}
}
