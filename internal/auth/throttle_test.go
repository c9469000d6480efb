package auth

import (
	"math"
	"testing"
	"time"
)

func TestAccountDelay(t *testing.T) {
	const s = time.Second
	want := map[int]time.Duration{
		-1: 0, 0: 0, 1: 0, 4: 0, 5: 0,
		6: 1 * s, 7: 2 * s, 8: 4 * s, 9: 8 * s, 14: 256 * s, 15: 512 * s,
		16: 15 * time.Minute, 17: 15 * time.Minute, 100: 15 * time.Minute,
		1000: 15 * time.Minute, math.MaxInt: 15 * time.Minute,
	}
	for n, d := range want {
		if got := AccountDelay(n); got != d {
			t.Errorf("AccountDelay(%d) = %v, want %v", n, got, d)
		}
	}
}

func TestAddressDelay(t *testing.T) {
	const s = time.Second
	want := map[int]time.Duration{
		0: 0, 10: 0, 29: 0, 30: 0,
		31: 1 * s, 32: 2 * s, 39: 256 * s,
		40: 5 * time.Minute, 41: 5 * time.Minute, math.MaxInt: 5 * time.Minute,
	}
	for n, d := range want {
		if got := AddressDelay(n); got != d {
			t.Errorf("AddressDelay(%d) = %v, want %v", n, got, d)
		}
	}
	// An address may fail more often than an account before waiting.
	for n := range 100 {
		if AddressDelay(n) > AccountDelay(n) {
			t.Errorf("AddressDelay(%d) = %v > AccountDelay = %v", n, AddressDelay(n), AccountDelay(n))
		}
	}
}

func TestThrottleMonotonic(t *testing.T) {
	for _, th := range []Throttle{accountThrottle, addressThrottle, {Free: 0, Base: 3 * time.Millisecond, Max: time.Hour}} {
		prev := time.Duration(0)
		for n := range 200 {
			d := th.Delay(n)
			if d < prev || d > th.Max {
				t.Errorf("%+v: Delay(%d) = %v after %v", th, n, d, prev)
			}
			prev = d
		}
		if prev != th.Max {
			t.Errorf("%+v: never reaches Max", th)
		}
	}
}

func TestThrottleEdges(t *testing.T) {
	for _, tc := range []struct {
		th   Throttle
		n    int
		want time.Duration
	}{
		{Throttle{Free: 0, Base: time.Second, Max: time.Minute}, 1, time.Second},
		{Throttle{Free: 0, Base: time.Second, Max: time.Minute}, 0, 0},
		// Base above Max: Max.
		{Throttle{Free: 0, Base: time.Hour, Max: time.Minute}, 1, time.Minute},
		// No overflow with a huge Max.
		{Throttle{Free: 0, Base: time.Second, Max: math.MaxInt64}, 100, math.MaxInt64},
		{Throttle{Free: 0, Base: 1, Max: math.MaxInt64}, 63, 1 << 62},
		{Throttle{Free: 0, Base: 1, Max: math.MaxInt64}, 64, math.MaxInt64},
		// Zero policies never wait.
		{Throttle{}, 10, 0},
		{Throttle{Free: 1, Base: time.Second}, 10, 0},
		{Throttle{Free: 1, Max: time.Second}, 10, 0},
	} {
		if got := tc.th.Delay(tc.n); got != tc.want {
			t.Errorf("%+v.Delay(%d) = %v, want %v", tc.th, tc.n, got, tc.want)
		}
	}
}

func TestWindow(t *testing.T) {
	if Window != 24*time.Hour {
		t.Errorf("Window = %v", Window)
	}
	// Against one account, at most about a hundred guesses fit in a
	// window: the free ones, then one per delay.
	guesses, elapsed := 0, time.Duration(0)
	for elapsed < Window {
		elapsed += AccountDelay(guesses)
		guesses++
	}
	if guesses > 120 {
		t.Errorf("%d guesses a day against one account", guesses)
	}
}
