package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// The cost of a password hash. Argon2id is the variant RFC 9106 §4
// recommends: memory access independent of the password in the first half
// of the first pass (against side channels), dependent on it afterwards
// (against time-memory trade-offs on GPUs and ASICs).
//
// RFC 9106 §4 gives two recommended settings: 2 GiB of memory with one
// pass, or, "if much less memory is available", 64 MiB with three passes,
// both with four lanes. The first is out of the question on the small
// 2-core servers this runs on. We use the second one exactly, which is
// also well above OWASP's Password Storage Cheat Sheet minimum for
// argon2id (19 MiB, two passes, one lane; its other equivalent settings
// trade memory for passes):
//
//   - memory 64 MiB: what makes each guess of an offline attacker, who has
//     stolen the table of users, expensive on GPUs. It is also what a sign-in
//     costs us, so concurrent hashes are bounded by [MaxConcurrentHashes]:
//     at most 2 × 64 MiB = 128 MiB in use for hashing, whatever the burst.
//   - three passes: the RFC's choice for this memory size.
//   - four lanes: the RFC's choice. Lanes change the result, so they are
//     part of the stored parameters; on two cores four lanes run as fast
//     as two (the work is the same, split finer), and a larger server
//     would use its cores without changing any stored hash.
//
// On the 2-core development machine (Xeon, Go 1.26) one hash takes about
// 80 ms (BenchmarkHashPassword, 81–84 ms/op on a quiet machine). Sign-in
// is rate limited per account and per address (see [AccountDelay] and
// [AddressDelay]), so online guessing is bounded by the throttle, not by
// this cost; the cost is for the offline case. Raising it later is safe: VerifyPassword reports
// needsRehash for hashes made with other parameters, and the caller stores
// a new hash after the next successful sign-in.
const (
	argonMemory  = 64 * 1024 // KiB
	argonTime    = 3
	argonThreads = 4
	argonSaltLen = 16 // bytes; 128 bits, as RFC 9106 §4 recommends
	argonKeyLen  = 32 // bytes; 256 bits, as RFC 9106 §4 recommends
)

// MaxConcurrentHashes is how many password hashes may be computed at once
// in this process. Each takes 64 MiB and, with four lanes, both cores of a
// small server, so more at once would add memory without adding
// throughput. Further sign-ins wait their turn (or give up when their
// context ends).
const MaxConcurrentHashes = 2

// The limits on parameters read back from a stored hash. They are far
// above anything this package writes and are there so that a corrupt or
// forged row cannot make a sign-in allocate without bound.
const (
	maxArgonMemory  = 1 << 20 // KiB, 1 GiB
	maxArgonTime    = 64
	maxArgonThreads = 64
	minArgonSaltLen = 8 // the Argon2 minimum
	maxArgonSaltLen = 64
	minArgonKeyLen  = 16
	maxArgonKeyLen  = 64
)

// ErrMalformedHash is returned (wrapped) by VerifyPassword when the stored
// hash cannot be read. It is a fault of the stored data, not of the person
// signing in.
var ErrMalformedHash = errors.New("auth: malformed password hash")

// argonParams are the parameters stored in a hash, including the sizes of
// its salt and key.
type argonParams struct {
	memory  uint32 // KiB
	time    uint32
	threads uint8
	saltLen int
	keyLen  int
}

// currentParams are the parameters HashPassword uses.
var currentParams = argonParams{
	memory:  argonMemory,
	time:    argonTime,
	threads: argonThreads,
	saltLen: argonSaltLen,
	keyLen:  argonKeyLen,
}

// idKey is argon2.IDKey; the tests replace it to see which parameters are
// used.
var idKey = argon2.IDKey

// hashSlots bounds the number of hashes computed at once.
var hashSlots = make(chan struct{}, MaxConcurrentHashes)

// acquireSlot waits for a free slot or for ctx to end. The slot must be
// given back with releaseSlot.
func acquireSlot(ctx context.Context) error {
	// A context already done fails even when a slot is free: select would
	// otherwise pick between the two at random.
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case hashSlots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func releaseSlot() { <-hashSlots }

// derive computes an argon2id key within a slot. Once started, the
// computation runs to its end whatever ctx does.
func derive(ctx context.Context, password string, salt []byte, p argonParams) ([]byte, error) {
	if err := acquireSlot(ctx); err != nil {
		return nil, err
	}
	defer releaseSlot()
	return idKey(normalizePassword(password), salt, p.time, p.memory, p.threads, uint32(p.keyLen)), nil
}

// normalizePassword applies Unicode NFKC before hashing, as NIST SP
// 800-63B advises, so that the same password typed on different systems
// hashes the same: composed and decomposed accents, and the full-width
// letters and digits a Chinese input method produces in full-width mode
// (ＡＢＣ１２３ is ABC123).
func normalizePassword(password string) []byte {
	return norm.NFKC.Bytes([]byte(password))
}

// HashPassword returns the argon2id hash of password in the PHC string
// format, with a new random salt:
//
//	$argon2id$v=19$m=65536,t=3,p=4$<salt>$<key>
//
// where salt and key are in standard base64 without padding. The password
// is normalised to Unicode NFKC first (see normalizePassword). It waits
// for one of the MaxConcurrentHashes slots and returns ctx's error if ctx
// ends first; a hash once started runs to its end (about a tenth of a
// second). Rules on the password's length or content are the caller's.
func HashPassword(ctx context.Context, password string) (string, error) {
	return hashWith(ctx, password, currentParams)
}

func hashWith(ctx context.Context, password string, p argonParams) (string, error) {
	salt := make([]byte, p.saltLen)
	rand.Read(salt) // never fails; see the package documentation
	key, err := derive(ctx, password, salt, p)
	if err != nil {
		return "", err
	}
	return encodeHash(p, salt, key), nil
}

// VerifyPassword reports whether password matches the encoded hash that
// HashPassword produced. When it matches and the hash was made with other
// parameters than HashPassword's current ones, needsRehash is true: the
// caller should hash the password again and store the new hash.
//
// A hash that cannot be read is an error wrapping ErrMalformedHash; the
// end of ctx while waiting for a slot is ctx's error. In both cases ok is
// false. The comparison takes constant time.
func VerifyPassword(ctx context.Context, encoded, password string) (ok, needsRehash bool, err error) {
	p, salt, want, err := parseHash(encoded)
	if err != nil {
		return false, false, err
	}
	got, err := derive(ctx, password, salt, p)
	if err != nil {
		return false, false, err
	}
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return false, false, nil
	}
	return true, p != currentParams, nil
}

// dummyHash is a well-formed hash with the current parameters that no
// password matches in practice (its key is all zeros).
var dummyHash = encodeHash(currentParams, make([]byte, argonSaltLen), make([]byte, argonKeyLen))

// DummyVerify spends the time of a VerifyPassword with the current
// parameters, and always fails. Sign-in calls it when the address typed
// belongs to no account (or to one without a password), so that the time
// taken does not tell which addresses have accounts. Its only error is
// ctx's, when ctx ends while waiting for a slot.
func DummyVerify(ctx context.Context, password string) error {
	_, _, err := VerifyPassword(ctx, dummyHash, password)
	return err
}

// b64 is the base64 of PHC strings: standard alphabet, no padding, and
// (for reading) no stray bits, so that every hash has one spelling.
var b64 = base64.RawStdEncoding.Strict()

func encodeHash(p argonParams, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.memory, p.time, p.threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// parseHash reads a PHC string as encodeHash writes it, and nothing else:
// the fields in that order, decimal numbers without signs or leading
// zeros, canonical base64, and parameters within the limits above.
func parseHash(encoded string) (p argonParams, salt, key []byte, err error) {
	malformed := func(format string, args ...any) (argonParams, []byte, []byte, error) {
		return argonParams{}, nil, nil, fmt.Errorf("%w: %s", ErrMalformedHash, fmt.Sprintf(format, args...))
	}
	fields := strings.Split(encoded, "$")
	if len(fields) != 6 || fields[0] != "" {
		return malformed("want $argon2id$v=…$m=…,t=…,p=…$salt$key")
	}
	if fields[1] != "argon2id" {
		return malformed("algorithm is not argon2id")
	}
	version, ok := strings.CutPrefix(fields[2], "v=")
	if !ok {
		return malformed("no version")
	}
	if v, err := parseDecimal(version, 32); err != nil || v != argon2.Version {
		return malformed("version is not %d", argon2.Version)
	}
	params := strings.Split(fields[3], ",")
	if len(params) != 3 {
		return malformed("want parameters m, t and p")
	}
	var values [3]uint64
	for i, name := range []string{"m", "t", "p"} {
		s, ok := strings.CutPrefix(params[i], name+"=")
		if !ok {
			return malformed("parameter %d is not %s", i+1, name)
		}
		values[i], err = parseDecimal(s, 32)
		if err != nil {
			return malformed("parameter %s: %v", name, err)
		}
	}
	m, t, threads := values[0], values[1], values[2]
	switch {
	case threads < 1 || threads > maxArgonThreads:
		return malformed("p=%d is out of range", threads)
	case t < 1 || t > maxArgonTime:
		return malformed("t=%d is out of range", t)
	case m < 8*threads || m > maxArgonMemory: // Argon2 needs 8 KiB a lane
		return malformed("m=%d is out of range", m)
	}
	salt, ok = decodeB64(fields[4], minArgonSaltLen, maxArgonSaltLen)
	if !ok {
		return malformed("bad salt")
	}
	key, ok = decodeB64(fields[5], minArgonKeyLen, maxArgonKeyLen)
	if !ok {
		return malformed("bad key")
	}
	p = argonParams{
		memory:  uint32(m),
		time:    uint32(t),
		threads: uint8(threads),
		saltLen: len(salt),
		keyLen:  len(key),
	}
	return p, salt, key, nil
}

// decodeB64 decodes canonical base64 of lo to hi bytes. The decoder
// skips line breaks, so the length of the text is checked as well.
func decodeB64(s string, lo, hi int) ([]byte, bool) {
	b, err := b64.DecodeString(s)
	if err != nil || len(b) < lo || len(b) > hi || b64.EncodedLen(len(b)) != len(s) {
		return nil, false
	}
	return b, true
}

// parseDecimal reads an unsigned decimal number of at most bits bits,
// written without sign or leading zeros.
func parseDecimal(s string, bits int) (uint64, error) {
	if len(s) > 1 && s[0] == '0' {
		return 0, errors.New("leading zero")
	}
	return strconv.ParseUint(s, 10, bits)
}
