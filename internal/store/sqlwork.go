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
	coalesce(submitted_by, 0), submitted_at, edition_at, coalesce(edition_revision, 0), withdrawn_at, withdrawal_reason`

func scanState(sc interface{ Scan(...any) error }) (ArticleState, error) {
	var (
		st                            ArticleState
		submitted, edition, withdrawn sql.NullInt64
	)
	err := sc.Scan(&st.ArticleID, &st.CreatedBy, &st.LiveRevision, &st.SubmittedRevision, &st.SubmittedBy,
		&submitted, &edition, &st.EditionRevision, &withdrawn, &st.WithdrawalReason)
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
			edition_at, edition_revision, withdrawn_at, withdrawal_reason)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (article_id) DO UPDATE SET created_by = excluded.created_by, live_revision = excluded.live_revision,
			submitted_revision = excluded.submitted_revision, submitted_by = excluded.submitted_by,
			submitted_at = excluded.submitted_at, edition_at = excluded.edition_at, edition_revision = excluded.edition_revision,
			withdrawn_at = excluded.withdrawn_at, withdrawal_reason = excluded.withdrawal_reason`),
		st.ArticleID, nullID(st.CreatedBy), nullID(st.LiveRevision), nullID(st.SubmittedRevision), nullID(st.SubmittedBy),
		nullMicros(st.SubmittedAt), nullMicros(st.EditionAt), nullID(st.EditionRevision), nullMicros(st.WithdrawnAt), st.WithdrawalReason)
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
		// Close says nothing of an error that ended the rows: Err does.
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
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

func (q SQLAccounts) PutMediaText(ctx context.Context, mediaID int64, lang string, t MediaText) error {
	_, err := q.W.ExecContext(ctx, q.bind(`INSERT INTO media_texts (media_id, language, title, alt) VALUES (?, ?, ?, ?)
		ON CONFLICT (media_id, language) DO UPDATE SET title = excluded.title, alt = excluded.alt`), mediaID, lang, t.Title, t.Alt)
	if err != nil {
		return fmt.Errorf("texts of file %d: %w", mediaID, err)
	}
	return nil
}

func (q SQLAccounts) MediaTexts(ctx context.Context, mediaIDs []int64) (map[int64]map[string]MediaText, error) {
	out := map[int64]map[string]MediaText{}
	for len(mediaIDs) > 0 {
		chunk := mediaIDs[:min(len(mediaIDs), 500)]
		mediaIDs = mediaIDs[len(chunk):]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := q.R.QueryContext(ctx, q.bind(`SELECT media_id, language, title, alt FROM media_texts WHERE media_id IN (?`+
			strings.Repeat(", ?", len(chunk)-1)+`)`), args...)
		if err != nil {
			return nil, fmt.Errorf("file texts: %w", err)
		}
		for rows.Next() {
			var (
				id   int64
				lang string
				t    MediaText
			)
			if err := rows.Scan(&id, &lang, &t.Title, &t.Alt); err != nil {
				rows.Close()
				return nil, fmt.Errorf("file texts: %w", err)
			}
			if out[id] == nil {
				out[id] = map[string]MediaText{}
			}
			out[id][lang] = t
		}
		// Close says nothing of an error that ended the rows: Err does.
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, fmt.Errorf("file texts: %w", err)
		}
	}
	return out, nil
}

func (q SQLAccounts) Attach(ctx context.Context, articleID, mediaID int64) error {
	_, err := q.W.ExecContext(ctx, q.bind(`INSERT INTO article_media (article_id, media_id, position)
		SELECT ?, ?, coalesce(max(position), 0) + 1 FROM article_media WHERE article_id = ?
		ON CONFLICT (article_id, media_id) DO NOTHING`), articleID, mediaID, articleID)
	if err != nil {
		return fmt.Errorf("attach file %d to article %d: %w", mediaID, articleID, err)
	}
	return nil
}

func (q SQLAccounts) Detach(ctx context.Context, articleID, mediaID int64) error {
	if _, err := q.W.ExecContext(ctx, q.bind(`DELETE FROM article_media WHERE article_id = ? AND media_id = ?`), articleID, mediaID); err != nil {
		return fmt.Errorf("detach file %d from article %d: %w", mediaID, articleID, err)
	}
	return nil
}

func (q SQLAccounts) Attachments(ctx context.Context, articleID int64) ([]Attachment, error) {
	rows, err := q.R.QueryContext(ctx, q.bind(`SELECT m.id, m.site_id, m.key, m.sha256, m.content_type, m.size, m.name, m.created_at
		FROM article_media a JOIN media m ON m.id = a.media_id WHERE a.article_id = ? ORDER BY a.position, a.media_id`), articleID)
	if err != nil {
		return nil, fmt.Errorf("files of article %d: %w", articleID, err)
	}
	var (
		out []Attachment
		ids []int64
	)
	for rows.Next() {
		m, err := scanMedia(rows, nil)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("files of article %d: %w", articleID, err)
		}
		out = append(out, Attachment{Media: m})
		ids = append(ids, m.ID)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("files of article %d: %w", articleID, err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	texts, err := q.MediaTexts(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Texts = texts[out[i].ID]
	}
	return out, nil
}

func (q SQLAccounts) AttachedTo(ctx context.Context, mediaID int64) ([]int64, error) {
	rows, err := q.R.QueryContext(ctx, q.bind(`SELECT article_id FROM article_media WHERE media_id = ? ORDER BY article_id`), mediaID)
	if err != nil {
		return nil, fmt.Errorf("articles of file %d: %w", mediaID, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("articles of file %d: %w", mediaID, err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
