package auth

import "time"

// Sign-in throttling. The store counts the failed sign-ins of the last
// Window, per account and per client address; before checking a password
// (or a second factor), the handler refuses the attempt, with a
// Retry-After, until the latest failure plus the larger of
// AccountDelay(account's count) and AddressDelay(address's count) has
// passed. A refused attempt is not checked and is not a failure.
//
// The account's count should be cleared when that account signs in
// (second factor included); the address's count should not, or one valid
// account would let an address guess at all the others.

// Window is how far back failures count. Older ones are forgotten, so a
// person who mistyped their password yesterday starts afresh today.
const Window = 24 * time.Hour

// Throttle is a policy of waits: no wait for the first Free failures, then
// Base after the next, doubling with each further failure up to Max. A
// Throttle whose Base or Max is not positive never waits.
type Throttle struct {
	Free int
	Base time.Duration
	Max  time.Duration
}

// Delay returns how long after the latest failure the next attempt must
// wait, when failures failures are counted within Window.
func (t Throttle) Delay(failures int) time.Duration {
	n := failures - t.Free // failures beyond the free ones
	if n <= 0 || t.Base <= 0 || t.Max <= 0 {
		return 0
	}
	d := min(t.Base, t.Max)
	for i := 1; i < n; i++ {
		if d > t.Max-d { // 2d > Max, written so that it cannot overflow
			return t.Max
		}
		d *= 2
	}
	return d
}

// accountThrottle is the policy for one account, whatever the addresses
// the attempts come from. Five failures are free (a person trying their
// few usual passwords); then 1 s, 2 s, 4 s, … 512 s after the 15th, and
// 15 minutes from the 16th on. Against one account that is about a hundred
// guesses a day (96 at the steady rate, plus the first ones), NIST SP
// 800-63B's ceiling for failed attempts, which a password that passes the
// back office's rules withstands for years.
var accountThrottle = Throttle{Free: 5, Base: time.Second, Max: 15 * time.Minute}

// addressThrottle is the policy for one client address, whatever the
// accounts tried: it slows an attacker who tries one likely password on
// every account (which the account policy does not see). A mission's staff
// may all sign in from behind one address (the embassy's NAT) and
// legitimately mistype more often together than any one of them, so 30
// failures are free and the wait is capped at 5 minutes: 1 s after the
// 31st failure, doubling to 256 s after the 39th, 5 minutes from the 40th
// on, about 300 guesses a day from one address.
var addressThrottle = Throttle{Free: 30, Base: time.Second, Max: 5 * time.Minute}

// AccountDelay is the wait after the latest failure when failures
// failures of one account are counted within Window (see accountThrottle
// for the numbers).
func AccountDelay(failures int) time.Duration { return accountThrottle.Delay(failures) }

// AddressDelay is the wait after the latest failure when failures
// failures from one client address are counted within Window (see
// addressThrottle for the numbers).
func AddressDelay(failures int) time.Duration { return addressThrottle.Delay(failures) }
