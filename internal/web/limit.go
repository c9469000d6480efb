package web

import (
	"math"
	"net"
	"net/http"
	"sync"
	"time"
)

// Limiter is a token bucket per key, such as a client address: each key
// may act PerMinute times a minute on average, Burst times in a row. It is
// safe for concurrent use and forgets keys that have been idle long enough
// to refill. It tracks at most MaxKeys keys: past that, a new key is let
// through untracked rather than refused, since limits per address cannot
// stop a flood from that many addresses anyway and memory must stay bounded.
type Limiter struct {
	mu        sync.Mutex
	perSecond float64
	burst     float64
	buckets   map[string]*bucket
	lastSweep time.Time
	now       func() time.Time
}

// MaxKeys bounds the keys a Limiter tracks.
const MaxKeys = 100_000

type bucket struct {
	tokens float64
	last   time.Time
}

// NewLimiter returns a Limiter; perMinute and burst must be positive.
func NewLimiter(perMinute, burst int) *Limiter {
	return &Limiter{perSecond: float64(perMinute) / 60, burst: float64(burst), buckets: map[string]*bucket{}, now: time.Now}
}

// Allow spends one token of key. When none is left it returns false and
// how long until one is.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Sub(l.lastSweep) > time.Minute {
		l.sweep(now)
	}
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= MaxKeys {
			l.sweep(now)
			if len(l.buckets) >= MaxKeys {
				return true, 0
			}
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.perSecond)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.perSecond * float64(time.Second))
	return false, wait
}

// sweep forgets buckets that would be full by now.
func (l *Limiter) sweep(now time.Time) {
	l.lastSweep = now
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.perSecond >= l.burst {
			delete(l.buckets, k)
		}
	}
}

// ClientAddr is the address a request came from, without its port. An
// IPv6 address stands for its /64 network, which one host usually holds
// whole: counting its addresses one by one would let it rotate past any
// limit.
func ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil || ip.To4() != nil {
		return host
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}
