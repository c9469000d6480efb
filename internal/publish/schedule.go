package publish

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"chancery/internal/content"
)

// Scheduler publishes scheduled articles when their time comes, within
// about Interval of it (plus Margin), also those whose time came while no
// server ran. Every process of a network runs one: each due article is
// published by one of them (PublishDue), the others find it done.
type Scheduler struct {
	Publisher *Publisher
	// Interval is how often the database is asked (default 1 s).
	Interval time.Duration
	// Margin waits that long past an article's time before publishing it
	// (default 1 s): a process whose clock is behind the publisher's by
	// less renders the listings with the article in them.
	Margin time.Duration
	// Batch is how many due articles one read takes (default 100); Once
	// reads until none is left.
	Batch int
	Log   *slog.Logger
	// Observe, when set, is told how long each publication took, the
	// pages rendered included.
	Observe func(time.Duration)
	// Editions, when set, publishes the scheduled editions of live
	// articles too (the back office's), the same way.
	Editions Editions
	// published counts the articles this process published.
	published atomic.Int64
	// failing holds, per article whose publication failed, when to try
	// again: a failure waits, doubling, and never holds up the others.
	mu      sync.Mutex
	failing map[int64]retry
}

type retry struct {
	at   time.Time
	wait time.Duration
}

// Editions are scheduled new texts of published articles: which are due,
// and publishing one (false when another process did).
type Editions interface {
	DueEditions(ctx context.Context, now time.Time, after int64, limit int) ([]int64, error)
	PublishEdition(ctx context.Context, id int64) (content.Article, bool, error)
}

// maxRetryWait bounds the wait before a failed publication is tried again.
const maxRetryWait = 10 * time.Minute

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

// Once publishes the articles (and editions) due now; it returns how
// many this process published.
func (s *Scheduler) Once(ctx context.Context) int {
	n := s.once(ctx, "article", s.Publisher.Store.DueArticles, s.publish)
	if s.Editions != nil {
		n += s.once(ctx, "edition", s.Editions.DueEditions, func(ctx context.Context, id int64) (content.Article, bool, error) {
			jctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
			defer cancel()
			return s.Editions.PublishEdition(jctx, id)
		})
	}
	return n
}

// once publishes what due lists, one by one with publish.
func (s *Scheduler) once(ctx context.Context, what string, due func(context.Context, time.Time, int64, int) ([]int64, error),
	publish func(context.Context, int64) (content.Article, bool, error)) int {
	margin := s.Margin
	if margin == 0 {
		margin = time.Second
	}
	batch := s.Batch
	if batch <= 0 {
		batch = 100
	}
	now := s.Publisher.now()
	n := 0
	for after := int64(0); ; {
		ids, err := due(ctx, now.Add(-margin), after, batch)
		if err != nil {
			if ctx.Err() == nil {
				s.log().Warn("scheduled publishing: cannot read what is due; trying again", "what", what, "err", err)
			}
			return n
		}
		for _, id := range ids {
			if ctx.Err() != nil {
				return n
			}
			if s.waiting(id, now) {
				continue
			}
			start := time.Now()
			a, done, err := publish(ctx, id)
			switch {
			case err != nil && ctx.Err() == nil:
				wait := s.failed(id, now)
				s.log().Error("scheduled publishing failed; trying again later", "what", what, "article", id, "retry_in", wait, "err", err)
			case err == nil && !done:
				s.succeeded(id) // another process published it
			case done:
				n++
				s.published.Add(1)
				s.succeeded(id)
				if s.Observe != nil {
					s.Observe(time.Since(start))
				}
				s.log().Info("published on schedule", "what", what, "article", a.ID, "site", a.SiteID, "path", a.Path)
			}
		}
		if len(ids) < batch || ctx.Err() != nil {
			return n
		}
		after = ids[len(ids)-1]
	}
}

// publish publishes one due article to the end even when ctx ends in the
// middle (the server is stopping): the job in progress is finished, the
// next is left to the next look.
func (s *Scheduler) publish(ctx context.Context, id int64) (content.Article, bool, error) {
	jctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	return s.Publisher.PublishDue(jctx, id)
}

func (s *Scheduler) waiting(id int64, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.failing[id]
	return ok && now.Before(r.at)
}

func (s *Scheduler) failed(id int64, now time.Time) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failing == nil {
		s.failing = map[int64]retry{}
	}
	wait := min(max(2*s.failing[id].wait, time.Second), maxRetryWait)
	s.failing[id] = retry{at: now.Add(wait), wait: wait}
	return wait
}

func (s *Scheduler) succeeded(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.failing, id)
}

func (s *Scheduler) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}
