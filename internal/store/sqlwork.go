package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

var _ WorkQueries = SQLAccounts{}

const stateColumns = `article_id, coalesce(created_by, 0), coalesce(live_revision, 0), coalesce(submitted_revision, 0),
	coalesce(submitted_by, 0), submitted_at, edition_at, withdrawn_at, withdrawal_reason`

func scanState(sc interface{ Scan(...any) error }) (ArticleState, error) {
	var (
		st                            ArticleState
		submitted, edition, withdrawn sql.NullInt64
	)
	err := sc.Scan(&st.ArticleID, &st.CreatedBy, &st.LiveRevision, &st.SubmittedRevision, &st.SubmittedBy,
		&submitted, &edition, &withdrawn, &st.WithdrawalReason)
	st.SubmittedAt, st.EditionAt, st.WithdrawnAt = fromNullMicros(submitted), fromNullMicros(edition), fromNullMicros(withdrawn)
	return st, err
}

func fromNullMicros(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMicro(v.Int64).UTC()
}

func nullMicros(t time.Time) sql.NullInt64 {
	return sql.NullInt64{Int64: t.UnixMicro(), Valid: !t.IsZero()}
}

func (q SQLAccounts) ArticleState(ctx context.Context, articleID int64) (ArticleState, error) {
	st, err := scanState(q.R.QueryRowContext(ctx, q.bind(`SELECT `+stateColumns+` FROM article_states WHERE article_id = ?`), articleID))
	if errors.Is(err, sql.ErrNoRows) {
		return ArticleState{ArticleID: articleID}, nil
	}
	if err != nil {
		return ArticleState{}, fmt.Errorf("state of article %d: %w", articleID, err)
	}
	return st, nil
}

func (q SQLAccounts) PutArticleState(ctx context.Context, st ArticleState) error {
	_, err := q.W.ExecContext(ctx, q.bind(`
		INSERT INTO article_states (article_id, created_by, live_revision, submitted_revision, submitted_by, submitted_at,
			edition_at, withdrawn_at, withdrawal_reason)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (article_id) DO UPDATE SET created_by = excluded.created_by, live_revision = excluded.live_revision,
			submitted_revision = excluded.submitted_revision, submitted_by = excluded.submitted_by,
			submitted_at = excluded.submitted_at, edition_at = excluded.edition_at,
			withdrawn_at = excluded.withdrawn_at, withdrawal_reason = excluded.withdrawal_reason`),
		st.ArticleID, nullID(st.CreatedBy), nullID(st.LiveRevision), nullID(st.SubmittedRevision), nullID(st.SubmittedBy),
		nullMicros(st.SubmittedAt), nullMicros(st.EditionAt), nullMicros(st.WithdrawnAt), st.WithdrawalReason)
	if err != nil {
		return fmt.Errorf("state of article %d: %w", st.ArticleID, err)
	}
	return nil
}

func (q SQLAccounts) ArticleStates(ctx context.Context, ids []int64) (map[int64]ArticleState, error) {
	out := make(map[int64]ArticleState, len(ids))
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := q.R.QueryContext(ctx, q.bind(`SELECT `+stateColumns+` FROM article_states WHERE article_id IN (?`+
			strings.Repeat(", ?", len(chunk)-1)+`)`), args...)
		if err != nil {
			return nil, fmt.Errorf("article states: %w", err)
		}
		for rows.Next() {
			st, err := scanState(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("article states: %w", err)
			}
			out[st.ArticleID] = st
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("article states: %w", err)
		}
	}
	return out, nil
}

func (q SQLAccounts) DueEditions(ctx context.Context, now time.Time, after int64, limit int) ([]int64, error) {
	rows, err := q.R.QueryContext(ctx, q.bind(`SELECT article_id FROM article_states
		WHERE edition_at IS NOT NULL AND edition_at <= ? AND article_id > ? ORDER BY article_id LIMIT ?`),
		now.UnixMicro(), after, limit)
	if err != nil {
		return nil, fmt.Errorf("due editions: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("due editions: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func (q SQLAccounts) PublicNotes(ctx context.Context, articleID, upTo int64) ([]ChangeNote, error) {
	rows, err := q.R.QueryContext(ctx, q.bind(`SELECT created_at, note FROM revisions
		WHERE article_id = ? AND id <= ? AND public AND note <> '' ORDER BY id`), articleID, upTo)
	if err != nil {
		return nil, fmt.Errorf("change notes of article %d: %w", articleID, err)
	}
	defer rows.Close()
	var notes []ChangeNote
	for rows.Next() {
		var (
			n  ChangeNote
			at int64
		)
		if err := rows.Scan(&at, &n.Note); err != nil {
			return nil, fmt.Errorf("change notes of article %d: %w", articleID, err)
		}
		n.At = time.UnixMicro(at).UTC()
		notes = append(notes, n)
	}
	return notes, rows.Err()
}

func (q SQLAccounts) Sessions(ctx context.Context, userID int64) ([]Session, error) {
	rows, err := q.R.QueryContext(ctx, q.bind(`SELECT `+sessionColumns+` FROM sessions WHERE user_id = ? ORDER BY created_at DESC`), userID)
	if err != nil {
		return nil, fmt.Errorf("sessions of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []Session
	for rows.Next() {
		var (
			s                     Session
			created, seen, expire int64
		)
		if err := rows.Scan(&s.Hash, &s.UserID, &s.Verified, &created, &seen, &expire, &s.Address, &s.UserAgent); err != nil {
			return nil, fmt.Errorf("sessions of user %d: %w", userID, err)
		}
		s.CreatedAt, s.SeenAt, s.ExpiresAt = time.UnixMicro(created).UTC(), time.UnixMicro(seen).UTC(), time.UnixMicro(expire).UTC()
		out = append(out, s)
	}
	return out, rows.Err()
}
