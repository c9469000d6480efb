package postgres

import (
	"context"
	"database/sql/driver"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"chancery/internal/store"
)

var _ store.EpochListener = (*Store)(nil)

// ListenPageEpochs holds one connection of the pool for LISTEN and calls
// fn for every epoch raised on the database (by BumpPageEpoch's
// pg_notify, delivered as its transaction commits), until ctx ends or the
// connection fails.
func (s *Store) ListenPageEpochs(ctx context.Context, ready func(), fn func(siteID, epoch int64)) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("postgres: listen for page epochs: %w", err)
	}
	defer conn.Close()
	var result error
	conn.Raw(func(driverConn any) error {
		result = listen(ctx, driverConn.(*stdlib.Conn).Conn(), ready, fn)
		// Never back to the pool: it has been LISTENing (and a cancelled
		// wait leaves it unusable).
		return driver.ErrBadConn
	})
	return result
}

func listen(ctx context.Context, c *pgx.Conn, ready func(), fn func(siteID, epoch int64)) error {
	if _, err := c.Exec(ctx, "LISTEN "+store.EpochChannel); err != nil {
		return fmt.Errorf("postgres: listen for page epochs: %w", err)
	}
	ready()
	for {
		n, err := c.WaitForNotification(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("postgres: wait for page epochs: %w", err)
		}
		if site, epoch, ok := store.ParseEpochNotice(n.Payload); ok {
			fn(site, epoch)
		}
	}
}
