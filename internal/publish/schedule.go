package publish

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"
)

// Scheduler publishes scheduled articles when their time comes, within
// about Interval of it, also those whose time came while no server ran.
// Every process of a network runs one: each due article is published by
// one of them (PublishDue), the others find it done.
type Scheduler struct {
	Publisher *Publisher
	// Interval is how often the database is asked (default 1 s).
	Interval time.Duration
	Log      *slog.Logger
	// Observe, when set, is told how long each publication took, the
	// pages rendered included.
	Observe func(time.Duration)
	// published counts the articles this process published.
	published atomic.Int64
}

// dueBatch is how many due articles one look takes; more wait for the next.
const dueBatch = 100

// Published counts the scheduled articles this process has published.
func (s *Scheduler) Published() int64 { return s.published.Load() }

// Run publishes due articles until ctx ends.
func (s *Scheduler) Run(ctx context.Context) {
	interval := s.Interval
	if interval <= 0 {
		interval = time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		s.Once(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Once publishes the articles due now; it returns how many this process
// published.
func (s *Scheduler) Once(ctx context.Context) int {
	ids, err := s.Publisher.Store.DueArticles(ctx, s.Publisher.now(), dueBatch)
	if err != nil {
		if ctx.Err() == nil {
			s.log().Warn("scheduled publishing: cannot read the due articles; trying again", "err", err)
		}
		return 0
	}
	n := 0
	for _, id := range ids {
		start := time.Now()
		a, done, err := s.Publisher.PublishDue(ctx, id)
		if done && s.Observe != nil {
			s.Observe(time.Since(start))
		}
		switch {
		case err != nil && ctx.Err() == nil:
			s.log().Error("scheduled publishing failed; trying again", "article", id, "err", err)
		case done:
			n++
			s.published.Add(1)
			s.log().Info("published a scheduled article", "article", a.ID, "site", a.SiteID, "path", a.Path, "due", a.PublishedAt)
		}
	}
	return n
}

func (s *Scheduler) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}
