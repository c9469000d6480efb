package auth

import (
	"encoding/base32"
	"encoding/hex"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// rfcSecret is the secret of the test vectors of RFC 4226 and RFC 6238
// (for HMAC-SHA1).
var rfcSecret = []byte("12345678901234567890")

// RFC 4226, appendix D.
func TestHOTPRFC4226(t *testing.T) {
	for count, want := range []struct {
		mac       string
		truncated uint32
		hotp      string
	}{
		{"cc93cf18508d94934c64b65d8ba7667fb7cde4b0", 1284755224, "755224"},
		{"75a48a19d4cbe100644e8ac1397eea747a2d33ab", 1094287082, "287082"},
		{"0bacb7fa082fef30782211938bc1c5e70416ff44", 137359152, "359152"},
		{"66c28227d03a2d5529262ff016a1e6ef76557ece", 1726969429, "969429"},
		{"a904c900a64b35909874b33e61c5938a8e15ed1c", 1640338314, "338314"},
		{"a37e783d7b7233c083d4f62926c7a25f238d0316", 868254676, "254676"},
		{"bc9cd28561042c83f219324d3c607256c03272ae", 1918287922, "287922"},
		{"a4fb960c0bc06e1eabb804e5b397cdc4b45596fa", 82162583, "162583"},
		{"1b3c89f65e6c9e883012052823443f048b4332db", 673399871, "399871"},
		{"1637409809a679dc698207310c8c7fc07290d9e5", 645520489, "520489"},
	} {
		mac := hotpMAC(rfcSecret, uint64(count))
		if got := hex.EncodeToString(mac); got != want.mac {
			t.Errorf("count %d: HMAC = %s, want %s", count, got, want.mac)
		}
		if got := truncate(mac); got != want.truncated {
			t.Errorf("count %d: truncated = %d, want %d", count, got, want.truncated)
		}
		if got := hotp(rfcSecret, uint64(count), 6); got != want.hotp {
			t.Errorf("count %d: HOTP = %s, want %s", count, got, want.hotp)
		}
	}
}

// RFC 4226 §5.4: the worked example of dynamic truncation.
func TestTruncateExample(t *testing.T) {
	mac, _ := hex.DecodeString("1f8698690e02ca16618550ef7f19da8e945b555a")
	if got := truncate(mac); got != 0x50ef7f19 {
		t.Errorf("truncate = %#x, want 0x50ef7f19", got)
	}
	if got := truncate(mac) % 1000000; got != 872921 {
		t.Errorf("HOTP = %d, want 872921", got)
	}
}

// rfc6238 are the SHA1 rows of RFC 6238, appendix B: 8-digit values.
var rfc6238 = []struct {
	unix int64
	step int64
	totp string
}{
	{59, 0x1, "94287082"},
	{1111111109, 0x23523EC, "07081804"},
	{1111111111, 0x23523ED, "14050471"},
	{1234567890, 0x273EF07, "89005924"},
	{2000000000, 0x3F940AA, "69279037"},
	{20000000000, 0x27BC86AA, "65353130"},
}

func TestTOTPRFC6238(t *testing.T) {
	for _, v := range rfc6238 {
		now := time.Unix(v.unix, 0)
		step := totpStep(now)
		if step != v.step {
			t.Errorf("%d: step = %#x, want %#x", v.unix, step, v.step)
		}
		if got := hotp(rfcSecret, uint64(step), 8); got != v.totp {
			t.Errorf("%d: 8-digit TOTP = %s, want %s", v.unix, got, v.totp)
		}
		// Six digits are the last six of the eight (mod 10^6 of the same
		// number), and CheckTOTP accepts them.
		six := v.totp[2:]
		if got := hotp(rfcSecret, uint64(step), 6); got != six {
			t.Errorf("%d: 6-digit TOTP = %s, want %s", v.unix, got, six)
		}
		got, ok := CheckTOTP(rfcSecret, six, now, 0)
		if !ok || got != v.step {
			t.Errorf("%d: CheckTOTP(%s) = %d, %v; want %d, true", v.unix, six, got, ok, v.step)
		}
	}
}

func TestTOTPStep(t *testing.T) {
	for _, tc := range []struct {
		unix int64
		step int64
	}{
		{0, 0}, {29, 0}, {30, 1}, {59, 1}, {60, 2},
		{-1, -1}, {-30, -1}, {-31, -2},
	} {
		if got := totpStep(time.Unix(tc.unix, 999_999_999)); got != tc.step {
			t.Errorf("totpStep(%d) = %d, want %d", tc.unix, got, tc.step)
		}
	}
}

func TestCheckTOTPWindow(t *testing.T) {
	secret := NewTOTPSecret()
	now := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	cur := totpStep(now)
	code := func(step int64) string { return hotp(secret, uint64(step), 6) }

	for d := int64(-1); d <= 1; d++ {
		if step, ok := CheckTOTP(secret, code(cur+d), now, 0); !ok || step != cur+d {
			t.Errorf("step %+d: CheckTOTP = %d, %v; want %d, true", d, step, ok, cur+d)
		}
	}
	for _, d := range []int64{-3, -2, 2, 3} {
		if code(cur+d) == code(cur-1) || code(cur+d) == code(cur) || code(cur+d) == code(cur+1) {
			continue // the same six digits by chance
		}
		if _, ok := CheckTOTP(secret, code(cur+d), now, 0); ok {
			t.Errorf("step %+d accepted", d)
		}
	}
	// Another secret's code is refused.
	if other := hotp(NewTOTPSecret(), uint64(cur), 6); other != code(cur-1) && other != code(cur) && other != code(cur+1) {
		if _, ok := CheckTOTP(secret, other, now, 0); ok {
			t.Error("another secret's code accepted")
		}
	}
	if _, ok := CheckTOTP(nil, code(cur), now, 0); ok {
		t.Error("code accepted with an empty secret")
	}
}

func TestCheckTOTPReplay(t *testing.T) {
	secret := NewTOTPSecret()
	now := time.Unix(1_800_000_000, 0)
	cur := totpStep(now)
	c := hotp(secret, uint64(cur), 6)

	step, ok := CheckTOTP(secret, c, now, 0)
	if !ok || step != cur {
		t.Fatalf("first use: %d, %v", step, ok)
	}
	// The same code again, in the same period or the next one.
	if _, ok := CheckTOTP(secret, c, now, step); ok {
		t.Error("code accepted twice")
	}
	if _, ok := CheckTOTP(secret, c, now.Add(TOTPPeriod), step); ok {
		t.Error("code accepted twice, one period later")
	}
	// An earlier code, still within the window, after a later one was used.
	prev := hotp(secret, uint64(cur-1), 6)
	if prev != c {
		if _, ok := CheckTOTP(secret, prev, now, step); ok {
			t.Error("earlier step accepted after a later one was used")
		}
	}
	// The next code is fine.
	next := hotp(secret, uint64(cur+1), 6)
	if step2, ok := CheckTOTP(secret, next, now.Add(TOTPPeriod), step); !ok || step2 != cur+1 {
		t.Errorf("next code: %d, %v", step2, ok)
	}
	// lastStep only rules out the steps up to it: with lastStep = cur-1
	// the current code is accepted.
	if step3, ok := CheckTOTP(secret, c, now, cur-1); !ok || step3 != cur {
		t.Errorf("lastStep cur-1: %d, %v", step3, ok)
	}
}

func TestCheckTOTPEarliestMatch(t *testing.T) {
	// When a code matches two steps of the window (a one-in-a-million
	// coincidence: this secret was found by search), the earlier one is
	// returned, and the later one is still usable.
	now := time.Unix(1_700_000_000, 0)
	cur := totpStep(now)
	secret := make([]byte, TOTPSecretLen)
	copy(secret, []byte{0xae, 0xe0, 0x11})
	const c = "768597"
	if hotp(secret, uint64(cur-1), 6) != c || hotp(secret, uint64(cur+1), 6) != c || hotp(secret, uint64(cur), 6) == c {
		t.Fatal("the coincidence does not hold")
	}
	if step, ok := CheckTOTP(secret, c, now, 0); !ok || step != cur-1 {
		t.Errorf("CheckTOTP = %d, %v; want %d", step, ok, cur-1)
	}
	if step, ok := CheckTOTP(secret, c, now, cur-1); !ok || step != cur+1 {
		t.Errorf("after cur-1: CheckTOTP = %d, %v; want %d", step, ok, cur+1)
	}
	if _, ok := CheckTOTP(secret, c, now, cur+1); ok {
		t.Error("accepted after cur+1")
	}
}

func TestCheckTOTPTyping(t *testing.T) {
	now := time.Unix(1111111111, 0) // code 050471
	for _, tc := range []struct {
		code string
		ok   bool
	}{
		{"050471", true},
		{"050 471", true},
		{" 050471\t", true},
		{"0 5 0 4 7 1", true},
		{"０５０４７１", true},       // full-width digits
		{"０５０\u3000４７１", true}, // and an ideographic space
		{"050-471", false},
		{"50471", false},
		{"0504710", false},
		{"14050471", false}, // the 8-digit code
		{"05047a", false},
		{"", false},
		{"      ", false},
		{"٠٥٠٤٧١", false}, // Arabic-Indic digits are not read
		{"050471\x00", false},
		{"+50471", false},
		{"050471" + strings.Repeat("0", 1000), false},
	} {
		_, ok := CheckTOTP(rfcSecret, tc.code, now, 0)
		if ok != tc.ok {
			t.Errorf("CheckTOTP(%q) = %v, want %v", tc.code, ok, tc.ok)
		}
	}
}

func TestNewTOTPSecret(t *testing.T) {
	a, b := NewTOTPSecret(), NewTOTPSecret()
	if len(a) != 20 || len(b) != 20 {
		t.Fatalf("lengths %d, %d", len(a), len(b))
	}
	if string(a) == string(b) {
		t.Error("two secrets are equal")
	}
}

func TestTOTPKey(t *testing.T) {
	got := TOTPKey(rfcSecret)
	want := "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"
	if got != want {
		t.Errorf("TOTPKey = %q, want %q", got, want)
	}
	// Typed back without spaces, it is the secret.
	back, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ReplaceAll(got, " ", ""))
	if err != nil || string(back) != string(rfcSecret) {
		t.Errorf("decoding %q: %q, %v", got, back, err)
	}
	// A length that is not a multiple of four: a shorter last group.
	if got := TOTPKey([]byte("12345")); got != "GEZD GNBV" {
		t.Errorf("TOTPKey(5 bytes) = %q", got)
	}
	if got := TOTPKey([]byte("123456")); got != "GEZD GNBV GY" {
		t.Errorf("TOTPKey(6 bytes) = %q", got)
	}
	secret := NewTOTPSecret()
	if !regexp.MustCompile(`^[A-Z2-7]{4}( [A-Z2-7]{4}){7}$`).MatchString(TOTPKey(secret)) {
		t.Errorf("TOTPKey(new secret) = %q", TOTPKey(secret))
	}
}

func TestTOTPURI(t *testing.T) {
	for _, tc := range []struct {
		issuer, account string
		want            string
	}{
		{
			"Chancery", "li.wei@example.org",
			"otpauth://totp/Chancery:li.wei%40example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Chancery&algorithm=SHA1&digits=6&period=30",
		},
		{
			"Embassy of Ruritania", "a+b@example.org",
			"otpauth://totp/Embassy%20of%20Ruritania:a%2Bb%40example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Embassy%20of%20Ruritania&algorithm=SHA1&digits=6&period=30",
		},
		{
			"中国大使馆", "王芳",
			"otpauth://totp/%E4%B8%AD%E5%9B%BD%E5%A4%A7%E4%BD%BF%E9%A6%86:%E7%8E%8B%E8%8A%B3?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=%E4%B8%AD%E5%9B%BD%E5%A4%A7%E4%BD%BF%E9%A6%86&algorithm=SHA1&digits=6&period=30",
		},
		{
			"A:B&C=D?#/", "x:y",
			"otpauth://totp/A%3AB%26C%3DD%3F%23%2F:x%3Ay?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=A%3AB%26C%3DD%3F%23%2F&algorithm=SHA1&digits=6&period=30",
		},
		{
			"", "li.wei@example.org",
			"otpauth://totp/li.wei%40example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA1&digits=6&period=30",
		},
	} {
		got := TOTPURI(tc.issuer, tc.account, rfcSecret)
		if got != tc.want {
			t.Errorf("TOTPURI(%q, %q) =\n%s\nwant\n%s", tc.issuer, tc.account, got, tc.want)
		}
		// A URL parser reads back what was put in.
		u, err := url.Parse(got)
		if err != nil {
			t.Fatalf("url.Parse(%q): %v", got, err)
		}
		label := tc.account
		if tc.issuer != "" {
			label = tc.issuer + ":" + tc.account
		}
		q := u.Query()
		if u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/"+label ||
			q.Get("issuer") != tc.issuer || q.Get("secret") != "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" {
			t.Errorf("parsed back: scheme %q host %q path %q query %v", u.Scheme, u.Host, u.Path, q)
		}
	}
}
