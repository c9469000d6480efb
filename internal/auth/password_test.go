package auth

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Hashes made by the reference implementation (libargon2's
// argon2id_hash_encoded), so that these tests do not only check this
// package against itself.
const (
	// "correct horse battery staple" with the current parameters.
	refCurrent = "$argon2id$v=19$m=65536,t=3,p=4$Y2hhbmNlcnktc2FsdC0xNg$LGZEszFf6ByEHcXk+vhYdjooTs5th6pkCIsKKWVkYMA"
	// "密码 password" with small parameters, a 8-byte salt and a 16-byte key.
	refSmall = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ"
	// The empty password, two lanes.
	refEmpty = "$argon2id$v=19$m=256,t=2,p=2$MDEyMzQ1Njc4OWFiY2RlZg$ic5OM83WwMy1rdAu3X6yQKreYtkrDAEh5k15H32nffg"
	// "ABC123" with the current parameters.
	refABC = "$argon2id$v=19$m=65536,t=3,p=4$Y2hhbmNlcnktc2FsdC0xNg$qUDvt17Ab+HBdblT1f6jDL6tsOf2ZVReEWX/7Agngpk"
)

func TestVerifyPasswordReference(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		encoded, password string
		ok, needsRehash   bool
	}{
		{refCurrent, "correct horse battery staple", true, false},
		{refCurrent, "correct horse battery stapl", false, false},
		{refCurrent, "Correct horse battery staple", false, false},
		{refSmall, "密码 password", true, true},
		{refSmall, "密码password", false, false},
		{refEmpty, "", true, true},
		{refEmpty, " ", false, false},
		// Full-width letters and digits are read as ASCII (NFKC).
		{refABC, "ABC123", true, false},
		{refABC, "ＡＢＣ１２３", true, false},
		{refABC, "abc123", false, false},
	} {
		ok, rehash, err := VerifyPassword(ctx, tc.encoded, tc.password)
		if err != nil || ok != tc.ok || rehash != tc.needsRehash {
			t.Errorf("VerifyPassword(%.40s…, %q) = %v, %v, %v; want %v, %v, nil",
				tc.encoded, tc.password, ok, rehash, err, tc.ok, tc.needsRehash)
		}
	}
}

var phcShape = regexp.MustCompile(`^\$argon2id\$v=19\$m=65536,t=3,p=4\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func TestHashPassword(t *testing.T) {
	ctx := context.Background()
	const password = "Embassy of 中国 2026!"
	h1, err := HashPassword(ctx, password)
	if err != nil {
		t.Fatal(err)
	}
	if !phcShape.MatchString(h1) {
		t.Fatalf("HashPassword = %q, not the expected PHC string", h1)
	}
	h2, err := HashPassword(ctx, password)
	if err != nil {
		t.Fatal(err)
	}
	if h1 == h2 || h1[:48] == h2[:48] {
		t.Errorf("two hashes of one password share their salt: %q, %q", h1, h2)
	}
	for _, h := range []string{h1, h2} {
		ok, rehash, err := VerifyPassword(ctx, h, password)
		if !ok || rehash || err != nil {
			t.Errorf("VerifyPassword(own hash) = %v, %v, %v; want true, false, nil", ok, rehash, err)
		}
		ok, _, err = VerifyPassword(ctx, h, password+" ")
		if ok || err != nil {
			t.Errorf("VerifyPassword(wrong password) = %v, %v", ok, err)
		}
	}
}

func TestNormalization(t *testing.T) {
	ctx := context.Background()
	cheap := argonParams{memory: 64, time: 1, threads: 1, saltLen: 16, keyLen: 32}
	composed, decomposed := "caf\u00e9", "cafe\u0301"
	h, err := hashWith(ctx, decomposed, cheap)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _, err := VerifyPassword(ctx, h, composed); !ok || err != nil {
		t.Errorf("composed é does not match decomposed é: %v, %v", ok, err)
	}
	if ok, _, _ := VerifyPassword(ctx, h, "cafe"); ok {
		t.Error("cafe matches café")
	}
}

func TestNeedsRehash(t *testing.T) {
	ctx := context.Background()
	for _, p := range []argonParams{
		{memory: 64, time: 3, threads: 4, saltLen: 16, keyLen: 32},
		{memory: 64 * 1024, time: 2, threads: 4, saltLen: 16, keyLen: 32},
		{memory: 64 * 1024, time: 3, threads: 2, saltLen: 16, keyLen: 32},
		{memory: 64 * 1024, time: 3, threads: 4, saltLen: 8, keyLen: 32},
		{memory: 64 * 1024, time: 3, threads: 4, saltLen: 16, keyLen: 16},
	} {
		h, err := hashWith(ctx, "pw", p)
		if err != nil {
			t.Fatal(err)
		}
		ok, rehash, err := VerifyPassword(ctx, h, "pw")
		if !ok || !rehash || err != nil {
			t.Errorf("%+v: VerifyPassword = %v, %v, %v; want true, true, nil", p, ok, rehash, err)
		}
		// needsRehash says nothing when the password is wrong.
		if ok, rehash, _ := VerifyPassword(ctx, h, "PW"); ok || rehash {
			t.Errorf("%+v: wrong password gave %v, %v", p, ok, rehash)
		}
	}
}

func TestVerifyPasswordMalformed(t *testing.T) {
	ctx := context.Background()
	for _, encoded := range []string{
		"",
		"password",
		"$argon2id$",
		"$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2d$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ$",
		"$argon2id$m=64,t=1,p=1$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=16$m=64,t=1,p=1$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=019$m=64,t=1,p=1$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=19$t=1,m=64,p=1$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=19$m=64,t=1$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=19$m=64,t=1,p=1,k=2$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=19$m=064,t=1,p=1$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=19$m=+64,t=1,p=1$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=19$m=-64,t=1,p=1$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=19$m=,t=1,p=1$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=19$m=64,t=1,p=0$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=19$m=7,t=1,p=1$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=19$m=16,t=1,p=4$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=19$m=4294967296,t=1,p=1$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=19$m=64,t=4294967295,p=1$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=19$m=64,t=1,p=255$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=19$m=64,t=1,p=256$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		// Salt: too short, padded, not base64, stray bits, line break.
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdA$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ=$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=19$m=64,t=1,p=1$c2Fsd*NhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHR$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdHNh\nbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		// Key: URL alphabet, too short, too long, empty.
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5p_",
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$vIDTYXjBEUHXilm1",
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$" + strings.Repeat("A", 88),
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$",
	} {
		ok, rehash, err := VerifyPassword(ctx, encoded, "密码 password")
		if ok || rehash || !errors.Is(err, ErrMalformedHash) {
			t.Errorf("VerifyPassword(%q) = %v, %v, %v; want ErrMalformedHash", encoded, ok, rehash, err)
		}
	}
}

func TestParseHashRoundTrip(t *testing.T) {
	for _, encoded := range []string{refCurrent, refSmall, refEmpty, dummyHash} {
		p, salt, key, err := parseHash(encoded)
		if err != nil {
			t.Fatalf("parseHash(%q): %v", encoded, err)
		}
		if got := encodeHash(p, salt, key); got != encoded {
			t.Errorf("encodeHash(parseHash(%q)) = %q", encoded, got)
		}
	}
	p, _, _, _ := parseHash(refSmall)
	want := argonParams{memory: 64, time: 1, threads: 1, saltLen: 8, keyLen: 16}
	if p != want {
		t.Errorf("parseHash(refSmall) params = %+v, want %+v", p, want)
	}
}

// recordIDKey replaces idKey for the test and returns the parameters of
// every call.
func recordIDKey(t *testing.T) func() []argonParams {
	var mu sync.Mutex
	var calls []argonParams
	orig := idKey
	idKey = func(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
		mu.Lock()
		calls = append(calls, argonParams{memory: memory, time: time, threads: threads, saltLen: len(salt), keyLen: int(keyLen)})
		mu.Unlock()
		return make([]byte, keyLen) // as if computed
	}
	t.Cleanup(func() { idKey = orig })
	return func() []argonParams {
		mu.Lock()
		defer mu.Unlock()
		return append([]argonParams(nil), calls...)
	}
}

func TestDummyVerify(t *testing.T) {
	// DummyVerify costs what a sign-in with a current hash costs: one key
	// derivation with the current parameters.
	calls := recordIDKey(t)
	if err := DummyVerify(context.Background(), "any password"); err != nil {
		t.Fatal(err)
	}
	if got := calls(); len(got) != 1 || got[0] != currentParams {
		t.Errorf("DummyVerify derived keys with %+v, want once with %+v", got, currentParams)
	}
}

func TestDummyHashMatchesNothing(t *testing.T) {
	for _, pw := range []string{"", "password"} {
		if ok, rehash, err := VerifyPassword(context.Background(), dummyHash, pw); ok || rehash || err != nil {
			t.Errorf("VerifyPassword(dummyHash, %q) = %v, %v, %v", pw, ok, rehash, err)
		}
	}
}

func TestDummyVerifyReal(t *testing.T) {
	// A loose check on the real thing: DummyVerify takes about as long as
	// verifying a current hash (at least half as long: a regression that
	// skips the work takes microseconds, not tens of milliseconds).
	ctx := context.Background()
	measure := func(f func()) time.Duration {
		best := time.Duration(1 << 62)
		for range 3 {
			start := time.Now()
			f()
			best = min(best, time.Since(start))
		}
		return best
	}
	verify := measure(func() { VerifyPassword(ctx, refCurrent, "wrong") })
	dummy := measure(func() { DummyVerify(ctx, "wrong") })
	if dummy < verify/2 {
		t.Errorf("DummyVerify took %v, VerifyPassword %v", dummy, verify)
	}
}

// fillSlots takes every hashing slot and returns the function that gives
// them back.
func fillSlots(t *testing.T) func() {
	for range MaxConcurrentHashes {
		if err := acquireSlot(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	var once sync.Once
	release := func() {
		once.Do(func() {
			for range MaxConcurrentHashes {
				releaseSlot()
			}
		})
	}
	t.Cleanup(release)
	return release
}

func TestContextWhileWaiting(t *testing.T) {
	calls := recordIDKey(t)
	fillSlots(t)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := HashPassword(ctx, "pw"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("HashPassword with every slot taken: %v, want deadline exceeded", err)
	}
	if ok, rehash, err := VerifyPassword(ctx, refSmall, "密码 password"); ok || rehash || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("VerifyPassword with every slot taken: %v, %v, %v", ok, rehash, err)
	}
	if err := DummyVerify(ctx, "pw"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("DummyVerify with every slot taken: %v", err)
	}
	if n := len(calls()); n != 0 {
		t.Errorf("%d keys derived without a slot", n)
	}
}

func TestContextAlreadyDone(t *testing.T) {
	// A cancelled context fails even when slots are free.
	calls := recordIDKey(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 20 {
		if _, err := HashPassword(ctx, "pw"); !errors.Is(err, context.Canceled) {
			t.Fatalf("HashPassword(cancelled) = %v", err)
		}
	}
	if n := len(calls()); n != 0 {
		t.Errorf("%d keys derived for a cancelled context", n)
	}
	if len(hashSlots) != 0 {
		t.Errorf("%d slots left taken", len(hashSlots))
	}
}

func TestConcurrencyBound(t *testing.T) {
	// Many sign-ins at once never compute more than MaxConcurrentHashes
	// hashes at once, and all complete.
	var running, peak atomic.Int32
	orig := idKey
	idKey = func(password, salt []byte, time_, memory uint32, threads uint8, keyLen uint32) []byte {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
		running.Add(-1)
		return orig(password, salt, time_, memory, threads, keyLen)
	}
	t.Cleanup(func() { idKey = orig })

	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			if ok, _, err := VerifyPassword(context.Background(), refSmall, "密码 password"); !ok || err != nil {
				errs <- errors.New("a verification failed")
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if p := peak.Load(); p != MaxConcurrentHashes {
		t.Errorf("peak concurrent hashes = %d, want %d", p, MaxConcurrentHashes)
	}
	if len(hashSlots) != 0 {
		t.Errorf("%d slots left taken", len(hashSlots))
	}
}

func TestWaitsForSlot(t *testing.T) {
	// A hash waits for a slot, and proceeds once one is given back.
	recordIDKey(t)
	release := fillSlots(t)
	done := make(chan error, 1)
	go func() {
		_, err := HashPassword(context.Background(), "pw")
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("HashPassword finished (%v) while every slot was taken", err)
	case <-time.After(100 * time.Millisecond):
	}
	release()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("HashPassword did not proceed once slots were free")
	}
}

func FuzzVerify(f *testing.F) {
	for _, s := range []string{
		refSmall, refEmpty, refCurrent, dummyHash,
		"$argon2id$v=19$m=8,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ=$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=19$m=064,t=1,p=1$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdHNhbHQ$vIDTYXjBEUHXilm1Itz5pQ",
		"", "$", "$$$$$",
	} {
		f.Add(s, "密码 password")
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, encoded, password string) {
		p, salt, key, err := parseHash(encoded)
		if err != nil {
			if !errors.Is(err, ErrMalformedHash) {
				t.Fatalf("parseHash error %v does not wrap ErrMalformedHash", err)
			}
			if ok, rehash, verr := VerifyPassword(ctx, encoded, password); ok || rehash || !errors.Is(verr, ErrMalformedHash) {
				t.Fatalf("VerifyPassword of an unreadable hash = %v, %v, %v", ok, rehash, verr)
			}
			return
		}
		// What is read is within bounds, and has exactly one spelling.
		if p.memory > maxArgonMemory || p.time > maxArgonTime || p.threads < 1 || p.threads > maxArgonThreads ||
			p.memory < 8*uint32(p.threads) || len(salt) < minArgonSaltLen || len(key) < minArgonKeyLen {
			t.Fatalf("parseHash accepted out-of-bound parameters %+v", p)
		}
		if again := encodeHash(p, salt, key); again != encoded {
			t.Fatalf("parseHash accepted %q, which encodes as %q", encoded, again)
		}
		if uint64(p.memory)*uint64(p.time) > 1024 {
			return // too slow to compute in a fuzz loop
		}
		// The right key for those parameters and salt matches the
		// password, and no other key does.
		right := encodeHash(p, salt, idKey(normalizePassword(password), salt, p.time, p.memory, p.threads, uint32(len(key))))
		if ok, _, err := VerifyPassword(ctx, right, password); !ok || err != nil {
			t.Fatalf("VerifyPassword(%q, %q) = %v, %v; want a match", right, password, ok, err)
		}
		if right != encoded {
			if ok, _, err := VerifyPassword(ctx, encoded, password); ok || err != nil {
				t.Fatalf("VerifyPassword(%q, %q) = %v, %v; want no match", encoded, password, ok, err)
			}
		}
	})
}

func BenchmarkHashPassword(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		if _, err := HashPassword(ctx, "correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyPassword(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		if ok, _, err := VerifyPassword(ctx, refCurrent, "correct horse battery staple"); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}
