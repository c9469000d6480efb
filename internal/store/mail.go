package store

import (
	"context"
	"time"
)

// Mail is one message in the outbox: composed whole when a reader asks for
// it, kept until an SMTP server has accepted it or it has failed for good.
// Nothing in it is ever rewritten after it is queued, only its delivery
// state.
type Mail struct {
	ID        int64
	SiteID    int64
	ArticleID int64
	// Client identifies, without revealing it, the address the request
	// came from (a keyed hash), so that limits per client can be counted.
	Client string
	// From and To are the envelope addresses; Message is the whole RFC 5322
	// message, headers and body, with CRLF line ends.
	From, To string
	Message  []byte
	Status   MailStatus
	// Attempts counts the deliveries tried so far.
	Attempts int
	// NextAttempt is when a queued message may next be tried.
	NextAttempt time.Time
	// LastError is what the last failed attempt reported.
	LastError string
	// HeldUntil is when the current claim on the message ends; it also
	// names the claim, so that a worker whose lease ran out cannot settle
	// a message another worker now holds.
	HeldUntil time.Time
	// RecipientKey is what the per-recipient limit counts: the address
	// lower-cased, without a "+tag" after the local part, so that
	// "Friend+x@Example.org" and "friend@example.org" are one person.
	RecipientKey string
	CreatedAt    time.Time
	// DoneAt is when the message was delivered or given up; zero while
	// queued.
	DoneAt time.Time
}

// MailStatus is where a message of the outbox stands.
type MailStatus string

// The states of an outbox message. A queued message with Attempts > 0 is
// retrying.
const (
	MailQueued    MailStatus = "queued"
	MailDelivered MailStatus = "delivered"
	MailFailed    MailStatus = "failed"
)

// MailLimit counts the messages queued since a time, for one site (every
// site when SiteID is 0) and optionally one recipient (by RecipientKey)
// or one client. Every message counts, whatever became of it.
type MailLimit struct {
	SiteID    int64
	Recipient string
	Client    string
	Since     time.Time
}

// MailCounts is how a site's outbox stands.
type MailCounts struct {
	// Queued are waiting for their first attempt; Retrying have failed at
	// least once and will be tried again.
	Queued, Retrying, Delivered, Failed int
}

// MailQueries are the outbox's reads and writes, available on a Store and
// inside a transaction.
type MailQueries interface {
	// QueueMail stores a new message with status queued, due at once.
	QueueMail(ctx context.Context, m Mail) (Mail, error)
	// CountMail counts the messages that match a limit.
	CountMail(ctx context.Context, l MailLimit) (int, error)
	// MailCounts reports a site's outbox; siteID 0 counts every site.
	MailCounts(ctx context.Context, siteID int64) (MailCounts, error)
	// ClaimMail takes up to n queued messages due at now that no other
	// worker holds, holds them until now+lease and counts an attempt on
	// each. A message whose holder died is claimable again once its lease
	// ends.
	ClaimMail(ctx context.Context, now time.Time, lease time.Duration, n int) ([]Mail, error)
	// MailDelivered marks a claimed message (as ClaimMail returned it)
	// delivered at `at`. A claim that has passed to another worker returns
	// an error wrapping content.ErrNotFound and changes nothing.
	MailDelivered(ctx context.Context, m Mail, at time.Time) error
	// MailRetry puts a claimed message back in the queue, due at next,
	// with the reason the attempt failed.
	MailRetry(ctx context.Context, m Mail, next time.Time, reason string) error
	// MailFailed gives a claimed message up at `at` for reason.
	MailFailed(ctx context.Context, m Mail, at time.Time, reason string) error
	// PurgeMail forgets who sent and received the messages delivered or
	// failed before `before` (addresses, client, message, error), keeping
	// only their state for the counts; it returns how many it purged.
	PurgeMail(ctx context.Context, before time.Time) (int, error)

	// UseToken records a one-time token until expires; a token already
	// recorded returns an error wrapping content.ErrConflict. Tokens
	// expired before now are forgotten.
	UseToken(ctx context.Context, token string, expires, now time.Time) error
	// Secret returns the network's secret of the given name, creating it
	// with fresh() on first use, so that every process of a network signs
	// and checks with the same key.
	Secret(ctx context.Context, name string, fresh func() []byte) ([]byte, error)
}
