package web

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := NewLimiter(60, 3) // one a second, three in a row
	l.now = func() time.Time { return now }
	for i := range 3 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait <= 0 || wait > time.Second {
		t.Fatalf("fourth request: %v, retry after %v; want refused, about a second", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another address was refused")
	}
	now = now.Add(time.Second)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("refused after a second's refill")
	}
	now = now.Add(2 * time.Minute)
	l.Allow("c")
	if _, kept := l.buckets["b"]; kept {
		t.Fatal("an idle client's bucket was kept")
	}
}
