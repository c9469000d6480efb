package mail

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"chancery/internal/store"
)

// Sender hands one message to a mail server; Config is the real one.
type Sender interface {
	Send(ctx context.Context, from, to string, msg []byte) error
}

// Worker delivers the outbox. Several workers, in one process or in
// several sharing a database, may run at once: each message is claimed by
// one worker for a lease, so it is sent once unless a worker dies between
// the server's acceptance and the record of it (then it is sent again
// when the lease ends: at least once, never lost).
//
// The zero values of the optional fields take their defaults; set the
// fields before Run or Drain and do not change them afterwards. Wake may be
// called from any goroutine at any time.
type Worker struct {
	Store  store.Store
	Sender Sender
	// Log receives one line per attempt. Optional; nothing is logged when
	// nil.
	Log *slog.Logger
	// Now tells the time; tests set it. Default time.Now.
	Now func() time.Time
	// Poll is how often the outbox is read when nothing wakes the worker.
	// Default 5 seconds.
	Poll time.Duration
	// Lease is how long a claimed message is held. Default 5 minutes. No
	// send outlives its batch's lease (it is cancelled, and retried), and
	// the messages of a batch not begun within half the lease go back to
	// the queue, so Lease should be at least twice the Sender's timeout
	// (Config's default is 30 seconds).
	Lease time.Duration
	// MaxAttempts is how many times a message is tried before it fails
	// for good. Default 12 (with Backoff, about 10 hours of trying).
	MaxAttempts int

	wake chan struct{} // made on first use, under wakeInit
}

// batchSize is how many messages Drain claims at once.
const batchSize = 10

// wakeInit guards the lazy making of every Worker's wake channel, so that
// Wake and Run may race on a Worker that NewWorker did not make.
var wakeInit sync.Mutex

// Backoff is the wait after the nth failed attempt (n ≥ 1): one minute,
// doubling, at most two hours.
func Backoff(n int) time.Duration {
	d := time.Minute
	for i := 1; i < n && d < 2*time.Hour; i++ {
		d *= 2
	}
	return min(d, 2*time.Hour)
}

// The settings with their defaults. They only read the fields, so that
// Run, Drain and Wake may run at once on one Worker.

func (w *Worker) now() time.Time {
	if w.Now == nil {
		return time.Now()
	}
	return w.Now()
}

func (w *Worker) poll() time.Duration {
	if w.Poll <= 0 {
		return 5 * time.Second
	}
	return w.Poll
}

func (w *Worker) lease() time.Duration {
	if w.Lease <= 0 {
		return 5 * time.Minute
	}
	return w.Lease
}

func (w *Worker) maxAttempts() int {
	if w.MaxAttempts <= 0 {
		return 12
	}
	return w.MaxAttempts
}

func (w *Worker) log() *slog.Logger {
	if w.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return w.Log
}

func (w *Worker) wakeChan() chan struct{} {
	wakeInit.Lock()
	defer wakeInit.Unlock()
	if w.wake == nil {
		w.wake = make(chan struct{}, 1)
	}
	return w.wake
}

// Wake makes a running worker read the outbox now, instead of at its next
// poll; the share form calls it after queueing. A wake before Run starts
// is kept for it. It never blocks.
func (w *Worker) Wake() {
	select {
	case w.wakeChan() <- struct{}{}:
	default:
	}
}

// NewWorker returns a worker made of w, ready for Wake and Run. A Worker
// literal works as well; NewWorker only saves a &.
func NewWorker(w Worker) *Worker {
	w.wake = nil // a copied channel would be shared with the original
	return &w
}

// Run delivers until ctx ends, reading the outbox every Poll and whenever
// Wake is called. It returns soon after ctx ends: a send in progress is
// cancelled and its message put back in the queue, due at once.
func (w *Worker) Run(ctx context.Context) {
	wake := w.wakeChan()
	t := time.NewTicker(w.poll())
	defer t.Stop()
	var purged time.Time
	for {
		// A full batch may mean more are due: read again at once.
		for w.Drain(ctx) == batchSize && ctx.Err() == nil {
		}
		if now := w.now(); now.Sub(purged) >= time.Hour {
			purged = now
			w.Purge(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-wake:
		}
	}
}

// Retention is how long the outbox keeps who sent and received a message
// once it is delivered or given up: long enough for the hourly limits and
// for an administrator to look into a failure, no longer.
const Retention = 24 * time.Hour

// Purge forgets the addresses, client and text of messages settled more
// than Retention ago; Run calls it every hour.
func (w *Worker) Purge(ctx context.Context) {
	n, err := w.Store.Mail().PurgeMail(ctx, w.now().Add(-Retention))
	switch {
	case err != nil && ctx.Err() == nil:
		w.log().Error("outbox: cannot purge old messages", "err", err)
	case n > 0:
		w.log().Info("outbox: purged old messages", "count", n)
	}
}

// Drain claims the messages due now, a batch of up to ten, and tries each
// once; it returns how many it claimed. When ctx ends, or half the lease
// has passed, the messages not yet tried go back to the queue untouched
// (their attempt still counts).
func (w *Worker) Drain(ctx context.Context) int {
	claimed := w.now()
	lease := w.lease()
	batch, err := w.Store.Mail().ClaimMail(ctx, claimed, lease, batchSize)
	if err != nil {
		if ctx.Err() == nil {
			w.log().Error("outbox: cannot read the queue", "err", err)
		}
		return 0
	}
	for i, m := range batch {
		if ctx.Err() != nil || w.now().Sub(claimed) > lease/2 {
			w.release(ctx, batch[i:])
			break
		}
		w.deliver(ctx, m, claimed.Add(lease))
	}
	return len(batch)
}

// record returns a context for writing an outcome: it survives the end
// of ctx, so that a message delivered during shutdown is not sent again.
func record(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
}

// release puts claimed messages back in the queue, due now, keeping their
// last error.
func (w *Worker) release(ctx context.Context, ms []store.Mail) {
	rec, cancel := record(ctx)
	defer cancel()
	now := w.now()
	for _, m := range ms {
		if err := w.Store.Mail().MailRetry(rec, m, now, m.LastError); err != nil {
			w.log().Error("outbox: cannot put a message back", "id", m.ID, "err", err)
		}
	}
}

// deliver tries one claimed message and records the outcome. The send is
// cut at leaseEnd (in the Worker's clock), when another worker may claim
// the message.
func (w *Worker) deliver(ctx context.Context, m store.Mail, leaseEnd time.Time) {
	sendCtx, cancelSend := context.WithTimeout(ctx, leaseEnd.Sub(w.now()))
	err := w.Sender.Send(sendCtx, m.From, m.To, m.Message)
	cancelSend()
	now := w.now()
	rec, cancel := record(ctx)
	defer cancel()
	var recErr error
	log := w.log()
	switch {
	case err == nil:
		recErr = w.Store.Mail().MailDelivered(rec, m, now)
		log.Info("outbox: delivered", "id", m.ID, "site", m.SiteID, "attempt", m.Attempts)
	case ctx.Err() != nil:
		// Stopped, not refused: try again as soon as a worker runs, and
		// never give up a message because of a shutdown.
		recErr = w.Store.Mail().MailRetry(rec, m, now, err.Error())
		log.Info("outbox: interrupted", "id", m.ID, "site", m.SiteID, "attempt", m.Attempts, "err", err)
	case Permanent(err) || m.Attempts >= w.maxAttempts():
		recErr = w.Store.Mail().MailFailed(rec, m, now, err.Error())
		log.Warn("outbox: gave up", "id", m.ID, "site", m.SiteID, "attempt", m.Attempts, "err", err)
	default:
		next := now.Add(Backoff(m.Attempts))
		recErr = w.Store.Mail().MailRetry(rec, m, next, err.Error())
		log.Warn("outbox: will retry", "id", m.ID, "site", m.SiteID, "attempt", m.Attempts, "next", next, "err", err)
	}
	if recErr != nil {
		log.Error("outbox: cannot record the outcome", "id", m.ID, "err", recErr)
	}
}
