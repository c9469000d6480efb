package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"chancery/internal/content"
)

// DB is what both *sql.DB and *sql.Tx offer.
type DB interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// SQLMail implements MailQueries in SQL that SQLite and PostgreSQL both
// accept, so the outbox behaves the same on either engine. R and W are the
// read and write handles (the same transaction inside InTx); Dollar
// numbers the placeholders as PostgreSQL wants them.
type SQLMail struct {
	R, W   DB
	Dollar bool
}

var _ MailQueries = SQLMail{}

// bind turns the ? placeholders of query into $1, $2, … when the engine
// wants them. The outbox's SQL has no ? inside strings.
func (m SQLMail) bind(query string) string {
	if !m.Dollar {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (m SQLMail) QueueMail(ctx context.Context, mail Mail) (Mail, error) {
	if mail.SiteID == 0 || mail.From == "" || mail.To == "" || len(mail.Message) == 0 {
		return Mail{}, errors.New("outbox: a message needs a site, a sender, a recipient and a body")
	}
	if mail.RecipientKey == "" {
		mail.RecipientKey = strings.ToLower(mail.To)
	}
	if mail.CreatedAt.IsZero() {
		mail.CreatedAt = time.Now()
	}
	mail.Status, mail.Attempts, mail.NextAttempt = MailQueued, 0, mail.CreatedAt
	err := m.W.QueryRowContext(ctx, m.bind(`
		INSERT INTO mail_outbox (site_id, article_id, client, sender, recipient, recipient_key, message, status, next_attempt, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		mail.SiteID, mail.ArticleID, mail.Client, mail.From, mail.To, mail.RecipientKey, mail.Message, string(MailQueued),
		mail.NextAttempt.UnixMicro(), mail.CreatedAt.UnixMicro()).Scan(&mail.ID)
	if err != nil {
		return Mail{}, fmt.Errorf("outbox: queue: %w", err)
	}
	return mail, nil
}

func (m SQLMail) CountMail(ctx context.Context, l MailLimit) (int, error) {
	query := `SELECT count(*) FROM mail_outbox WHERE created_at >= ?`
	args := []any{l.Since.UnixMicro()}
	if l.SiteID != 0 {
		query += ` AND site_id = ?`
		args = append(args, l.SiteID)
	}
	if l.Recipient != "" {
		query += ` AND recipient_key = ?`
		args = append(args, l.Recipient)
	}
	if l.Client != "" {
		query += ` AND client = ?`
		args = append(args, l.Client)
	}
	var n int
	if err := m.R.QueryRowContext(ctx, m.bind(query), args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("outbox: count: %w", err)
	}
	return n, nil
}

func (m SQLMail) MailCounts(ctx context.Context, siteID int64) (MailCounts, error) {
	query := `SELECT status, attempts > 0, count(*) FROM mail_outbox`
	var args []any
	if siteID != 0 {
		query += ` WHERE site_id = ?`
		args = append(args, siteID)
	}
	rows, err := m.R.QueryContext(ctx, m.bind(query+` GROUP BY status, attempts > 0`), args...)
	if err != nil {
		return MailCounts{}, fmt.Errorf("outbox: counts: %w", err)
	}
	defer rows.Close()
	var c MailCounts
	for rows.Next() {
		var (
			status string
			tried  bool
			n      int
		)
		if err := rows.Scan(&status, &tried, &n); err != nil {
			return MailCounts{}, fmt.Errorf("outbox: counts: %w", err)
		}
		switch {
		case MailStatus(status) == MailDelivered:
			c.Delivered += n
		case MailStatus(status) == MailFailed:
			c.Failed += n
		case tried:
			c.Retrying += n
		default:
			c.Queued += n
		}
	}
	return c, rows.Err()
}

const mailColumns = `id, site_id, article_id, client, sender, recipient, recipient_key, message, status, attempts, next_attempt, held_until, last_error, created_at, done_at`

func (m SQLMail) ClaimMail(ctx context.Context, now time.Time, lease time.Duration, n int) ([]Mail, error) {
	// The outer conditions repeat the inner ones: under PostgreSQL's read
	// committed, a row another worker claimed meanwhile is re-checked
	// against them and skipped, so no message is held by two workers.
	at := now.UnixMicro()
	rows, err := m.W.QueryContext(ctx, m.bind(`
		UPDATE mail_outbox SET held_until = ?, attempts = attempts + 1
		WHERE id IN (SELECT id FROM mail_outbox WHERE status = 'queued' AND next_attempt <= ? AND held_until <= ? ORDER BY next_attempt, id LIMIT ?)
		  AND status = 'queued' AND held_until <= ?
		RETURNING `+mailColumns),
		now.Add(lease).UnixMicro(), at, at, n, at)
	if err != nil {
		return nil, fmt.Errorf("outbox: claim: %w", err)
	}
	defer rows.Close()
	var out []Mail
	for rows.Next() {
		var (
			ml                 Mail
			status             string
			next, create, held int64
			done               sql.NullInt64
		)
		if err := rows.Scan(&ml.ID, &ml.SiteID, &ml.ArticleID, &ml.Client, &ml.From, &ml.To, &ml.RecipientKey, &ml.Message, &status,
			&ml.Attempts, &next, &held, &ml.LastError, &create, &done); err != nil {
			return nil, fmt.Errorf("outbox: claim: %w", err)
		}
		ml.Status = MailStatus(status)
		ml.NextAttempt, ml.CreatedAt, ml.HeldUntil = time.UnixMicro(next).UTC(), time.UnixMicro(create).UTC(), time.UnixMicro(held).UTC()
		if done.Valid {
			ml.DoneAt = time.UnixMicro(done.Int64).UTC()
		}
		out = append(out, ml)
	}
	return out, rows.Err()
}

// settle changes the state of a message still queued and still under the
// claim ml holds, or says it is not.
func (m SQLMail) settle(ctx context.Context, ml Mail, query string, args ...any) error {
	res, err := m.W.ExecContext(ctx, m.bind(query+` WHERE id = ? AND status = 'queued' AND held_until = ?`), append(args, ml.ID, ml.HeldUntil.UnixMicro())...)
	if err != nil {
		return fmt.Errorf("outbox: message %d: %w", ml.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("outbox: message %d is no longer queued under this claim: %w", ml.ID, content.ErrNotFound)
	}
	return nil
}

func (m SQLMail) MailDelivered(ctx context.Context, ml Mail, at time.Time) error {
	return m.settle(ctx, ml, `UPDATE mail_outbox SET status = 'delivered', done_at = ?, held_until = 0, last_error = ''`, at.UnixMicro())
}

func (m SQLMail) MailRetry(ctx context.Context, ml Mail, next time.Time, reason string) error {
	return m.settle(ctx, ml, `UPDATE mail_outbox SET next_attempt = ?, held_until = 0, last_error = ?`, next.UnixMicro(), reason)
}

func (m SQLMail) MailFailed(ctx context.Context, ml Mail, at time.Time, reason string) error {
	return m.settle(ctx, ml, `UPDATE mail_outbox SET status = 'failed', done_at = ?, held_until = 0, last_error = ?`, at.UnixMicro(), reason)
}

func (m SQLMail) PurgeMail(ctx context.Context, before time.Time) (int, error) {
	res, err := m.W.ExecContext(ctx, m.bind(`UPDATE mail_outbox SET client = '', recipient = '', recipient_key = '', message = ?, last_error = ''
		WHERE status IN ('delivered', 'failed') AND done_at < ? AND recipient <> ''`), []byte{}, before.UnixMicro())
	if err != nil {
		return 0, fmt.Errorf("outbox: purge: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

func (m SQLMail) UseToken(ctx context.Context, token string, expires, now time.Time) error {
	if _, err := m.W.ExecContext(ctx, m.bind(`DELETE FROM used_tokens WHERE expires < ?`), now.UnixMicro()); err != nil {
		return fmt.Errorf("outbox: forget tokens: %w", err)
	}
	res, err := m.W.ExecContext(ctx, m.bind(`INSERT INTO used_tokens (token, expires) VALUES (?, ?) ON CONFLICT DO NOTHING`), token, expires.UnixMicro())
	if err != nil {
		return fmt.Errorf("outbox: use token: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("this form was already sent once: %w", content.ErrConflict)
	}
	return nil
}

func (m SQLMail) Secret(ctx context.Context, name string, fresh func() []byte) ([]byte, error) {
	var v []byte
	err := m.R.QueryRowContext(ctx, m.bind(`SELECT value FROM secrets WHERE name = ?`), name).Scan(&v)
	if err == nil {
		return v, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	// Two processes may make one at once; the first one stored wins and
	// both return it.
	if _, err := m.W.ExecContext(ctx, m.bind(`INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT DO NOTHING`), name, fresh()); err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	if err := m.W.QueryRowContext(ctx, m.bind(`SELECT value FROM secrets WHERE name = ?`), name).Scan(&v); err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	return v, nil
}
