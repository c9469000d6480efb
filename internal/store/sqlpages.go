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

// SQLPages implements PageQueries in SQL both engines accept, over the
// same handles as SQLMail.
type SQLPages struct {
	SQLMail
	// Notify is the PostgreSQL channel every raised epoch is announced
	// on, as "site:epoch" (delivered when the transaction commits); ""
	// for engines without notifications.
	Notify string
}

// EpochChannel is the PostgreSQL notification channel of page epochs.
const EpochChannel = "chancery_page_epochs"

// EpochListener is offered by engines that tell of other processes'
// publishes as they happen (PostgreSQL's LISTEN/NOTIFY), so that servers
// need not wait for their next reading of the epochs.
type EpochListener interface {
	// ListenPageEpochs calls fn with each epoch raised anywhere on the
	// database, from the moment it returns nil to ready, until ctx ends
	// (nil) or the connection fails (an error; call it again).
	ListenPageEpochs(ctx context.Context, ready func(), fn func(siteID, epoch int64)) error
}

var _ PageQueries = SQLPages{}

func (p SQLPages) Page(ctx context.Context, siteID int64, path string) (StoredPage, error) {
	sp := StoredPage{SiteID: siteID, Path: path}
	var at int64
	err := p.R.QueryRowContext(ctx, p.bind(`SELECT content_type, etag, body, gzip, brotli, rendered_at FROM pages WHERE site_id = ? AND path = ?`),
		siteID, path).Scan(&sp.ContentType, &sp.ETag, &sp.Body, &sp.Gzip, &sp.Brotli, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return StoredPage{}, fmt.Errorf("page %s: %w", path, content.ErrNotFound)
	}
	if err != nil {
		return StoredPage{}, fmt.Errorf("page %s: %w", path, err)
	}
	return sp.read(at), nil
}

// read finishes a page scanned from a row whose rendered_at was at.
func (sp StoredPage) read(at int64) StoredPage {
	sp.RenderedAt = time.UnixMicro(at).UTC()
	// A variant not kept is stored empty; one engine reads that back as
	// nil, the other as an empty slice. Both mean none.
	if len(sp.Gzip) == 0 {
		sp.Gzip = nil
	}
	if len(sp.Brotli) == 0 {
		sp.Brotli = nil
	}
	return sp
}

func (p SQLPages) EachPage(ctx context.Context, siteID int64, fn func(StoredPage) error) error {
	rows, err := p.R.QueryContext(ctx, p.bind(`SELECT path, content_type, etag, body, gzip, brotli, rendered_at FROM pages WHERE site_id = ?`), siteID)
	if err != nil {
		return fmt.Errorf("read stored pages: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		sp := StoredPage{SiteID: siteID}
		var at int64
		if err := rows.Scan(&sp.Path, &sp.ContentType, &sp.ETag, &sp.Body, &sp.Gzip, &sp.Brotli, &at); err != nil {
			return fmt.Errorf("read stored pages: %w", err)
		}
		if err := fn(sp.read(at)); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read stored pages: %w", err)
	}
	return nil
}

const putPage = `INSERT INTO pages (site_id, path, content_type, etag, body, gzip, brotli, rendered_at) `

const onPageConflict = ` ON CONFLICT (site_id, path) DO UPDATE SET content_type = excluded.content_type, etag = excluded.etag,
	body = excluded.body, gzip = excluded.gzip, brotli = excluded.brotli, rendered_at = excluded.rendered_at`

func pageArgs(sp StoredPage) []any {
	return []any{sp.SiteID, sp.Path, sp.ContentType, sp.ETag, sp.Body, nonNil(sp.Gzip), nonNil(sp.Brotli), sp.RenderedAt.UnixMicro()}
}

// nonNil stores a missing variant as an empty one (the column is NOT NULL).
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

func (p SQLPages) PutPage(ctx context.Context, sp StoredPage) error {
	if _, err := p.W.ExecContext(ctx, p.bind(putPage+`VALUES (?, ?, ?, ?, ?, ?, ?, ?)`+onPageConflict), pageArgs(sp)...); err != nil {
		return fmt.Errorf("store page %s: %w", sp.Path, err)
	}
	return nil
}

func (p SQLPages) PutPageAt(ctx context.Context, sp StoredPage, epoch int64) (bool, error) {
	args := append(pageArgs(sp), sp.SiteID, epoch)
	// On PostgreSQL the epoch's row is read FOR SHARE: a publish that has
	// raised it but not committed makes this wait, then fail, instead of
	// storing a page rendered before the publish. (SQLite has one writer
	// at a time, so the question does not arise.)
	lock := ""
	if p.Dollar {
		lock = " FOR SHARE"
	}
	res, err := p.W.ExecContext(ctx, p.bind(putPage+`SELECT ?, ?, ?, ?, ?, ?, ?, ?
		WHERE COALESCE((SELECT epoch FROM page_epochs WHERE site_id = ?`+lock+`), 0) = ?`+onPageConflict), args...)
	if err != nil {
		return false, fmt.Errorf("store page %s: %w", sp.Path, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

func (p SQLPages) DeletePages(ctx context.Context, siteID int64, paths []string) error {
	for _, path := range paths {
		if _, err := p.W.ExecContext(ctx, p.bind(`DELETE FROM pages WHERE site_id = ? AND path = ?`), siteID, path); err != nil {
			return fmt.Errorf("delete page %s: %w", path, err)
		}
	}
	return nil
}

func (p SQLPages) DeletePagesUnder(ctx context.Context, siteID int64, prefix string) error {
	var err error
	if prefix == "" {
		_, err = p.W.ExecContext(ctx, p.bind(`DELETE FROM pages WHERE site_id = ?`), siteID)
	} else {
		// Paths are UTF-8 text; every path under prefix sorts between
		// prefix and prefix followed by the highest code point.
		_, err = p.W.ExecContext(ctx, p.bind(`DELETE FROM pages WHERE site_id = ? AND path >= ? AND path < ?`), siteID, prefix, prefix+"\U0010FFFF")
	}
	if err != nil {
		return fmt.Errorf("delete pages under %q: %w", prefix, err)
	}
	return nil
}

func (p SQLPages) PageEpoch(ctx context.Context, siteID int64) (int64, error) {
	var e int64
	err := p.R.QueryRowContext(ctx, p.bind(`SELECT epoch FROM page_epochs WHERE site_id = ?`), siteID).Scan(&e)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("page epoch: %w", err)
	}
	return e, nil
}

func (p SQLPages) PageEpochs(ctx context.Context) (map[int64]int64, error) {
	rows, err := p.R.QueryContext(ctx, `SELECT site_id, epoch FROM page_epochs`)
	if err != nil {
		return nil, fmt.Errorf("page epochs: %w", err)
	}
	defer rows.Close()
	m := map[int64]int64{}
	for rows.Next() {
		var id, e int64
		if err := rows.Scan(&id, &e); err != nil {
			return nil, err
		}
		m[id] = e
	}
	return m, rows.Err()
}

func (p SQLPages) BumpPageEpoch(ctx context.Context, siteID int64) (int64, error) {
	var e int64
	err := p.W.QueryRowContext(ctx, p.bind(`INSERT INTO page_epochs (site_id, epoch) VALUES (?, 1)
		ON CONFLICT (site_id) DO UPDATE SET epoch = page_epochs.epoch + 1 RETURNING epoch`), siteID).Scan(&e)
	if err != nil {
		return 0, fmt.Errorf("raise page epoch: %w", err)
	}
	if p.Notify != "" {
		payload := strconv.FormatInt(siteID, 10) + ":" + strconv.FormatInt(e, 10)
		if _, err := p.W.ExecContext(ctx, `SELECT pg_notify($1, $2)`, p.Notify, payload); err != nil {
			return 0, fmt.Errorf("announce page epoch: %w", err)
		}
	}
	return e, nil
}

// ParseEpochNotice reads a notification's "site:epoch".
func ParseEpochNotice(payload string) (siteID, epoch int64, ok bool) {
	a, b, found := strings.Cut(payload, ":")
	if !found {
		return 0, 0, false
	}
	siteID, err1 := strconv.ParseInt(a, 10, 64)
	epoch, err2 := strconv.ParseInt(b, 10, 64)
	return siteID, epoch, err1 == nil && err2 == nil && siteID > 0 && epoch > 0
}

func (p SQLPages) PageCount(ctx context.Context, siteID int64) (int, error) {
	var n int
	if err := p.R.QueryRowContext(ctx, p.bind(`SELECT count(*) FROM pages WHERE site_id = ?`), siteID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count pages: %w", err)
	}
	return n, nil
}
