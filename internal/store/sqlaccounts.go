package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"chancery/internal/account"
	"chancery/internal/content"
)

// SQLAccounts implements AccountQueries in SQL both engines accept, over
// the same handles as SQLMail.
type SQLAccounts struct{ SQLMail }

var _ AccountQueries = SQLAccounts{}

// stored returns t as the store gives it back: UTC, to the microsecond.
func stored(t time.Time) time.Time { return time.UnixMicro(t.UnixMicro()).UTC() }

// nullBytes stores an empty secret as NULL.
func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// joinCodes keeps recovery-code hashes one a line.
func joinCodes(codes []string) (string, error) {
	for _, c := range codes {
		if c == "" || strings.ContainsAny(c, "\r\n") {
			return "", errors.New("a recovery code's hash is empty or holds a line break")
		}
	}
	return strings.Join(codes, "\n"), nil
}

// scanAll reads every row of a query with scan.
func scanAll[T any](rows *sql.Rows, err error, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

const userColumns = `id, email, name, password_hash, totp_secret, totp_step, recovery_codes, network_admin, disabled, language, created_at, updated_at`

// scanUser reads the userColumns, then into more the columns after them.
func scanUser(sc interface{ Scan(...any) error }, more ...any) (account.User, error) {
	var (
		u                account.User
		codes            string
		created, updated int64
	)
	err := sc.Scan(append([]any{&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.TOTPSecret, &u.TOTPStep, &codes, &u.NetworkAdmin,
		&u.Disabled, &u.Language, &created, &updated}, more...)...)
	if len(u.TOTPSecret) == 0 {
		u.TOTPSecret = nil
	}
	if codes != "" {
		u.RecoveryCodes = strings.Split(codes, "\n")
	}
	u.CreatedAt, u.UpdatedAt = time.UnixMicro(created).UTC(), time.UnixMicro(updated).UTC()
	return u, err
}

// CreateUser normalizes the user and stores it, returning it with its ID;
// a zero CreatedAt becomes now, a zero UpdatedAt CreatedAt.
func (q SQLAccounts) CreateUser(ctx context.Context, u account.User) (account.User, error) {
	if err := u.Normalize(); err != nil {
		return account.User{}, err
	}
	codes, err := joinCodes(u.RecoveryCodes)
	if err != nil {
		return account.User{}, fmt.Errorf("user %s: %w", u.Email, err)
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now()
	}
	if u.UpdatedAt.IsZero() {
		u.UpdatedAt = u.CreatedAt
	}
	u.CreatedAt, u.UpdatedAt = stored(u.CreatedAt), stored(u.UpdatedAt)
	// DO NOTHING rather than a failed statement, which would end a
	// PostgreSQL transaction that the caller may want to carry on.
	err = q.W.QueryRowContext(ctx, q.bind(`
		INSERT INTO users (email, name, password_hash, totp_secret, totp_step, recovery_codes, network_admin, disabled, language, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING RETURNING id`),
		u.Email, u.Name, u.PasswordHash, nullBytes(u.TOTPSecret), u.TOTPStep, codes, u.NetworkAdmin, u.Disabled, u.Language,
		u.CreatedAt.UnixMicro(), u.UpdatedAt.UnixMicro()).Scan(&u.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return account.User{}, fmt.Errorf("the e-mail address %s is taken by another user: %w", u.Email, content.ErrConflict)
	}
	if err != nil {
		return account.User{}, fmt.Errorf("create user %s: %w", u.Email, err)
	}
	return u, nil
}

// UpdateUser normalizes the user and replaces the stored one with the
// same ID, but for its CreatedAt. UpdatedAt becomes now unless it is
// later than the stored one.
func (q SQLAccounts) UpdateUser(ctx context.Context, u account.User) error {
	if err := u.Normalize(); err != nil {
		return err
	}
	codes, err := joinCodes(u.RecoveryCodes)
	if err != nil {
		return fmt.Errorf("user %d: %w", u.ID, err)
	}
	// A taken address is checked first, so that it fails no statement
	// (see CreateUser); the unique index stays the last word on a race.
	var (
		updated int64
		taken   bool
	)
	err = q.W.QueryRowContext(ctx, q.bind(`SELECT updated_at, EXISTS (SELECT 1 FROM users WHERE email = ? AND id <> ?) FROM users WHERE id = ?`),
		u.Email, u.ID, u.ID).Scan(&updated, &taken)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("user %d: %w", u.ID, content.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("user %d: %w", u.ID, err)
	}
	if taken {
		return fmt.Errorf("the e-mail address %s is taken by another user: %w", u.Email, content.ErrConflict)
	}
	if u.UpdatedAt.UnixMicro() <= updated {
		u.UpdatedAt = time.Now()
	}
	if _, err := q.W.ExecContext(ctx, q.bind(`
		UPDATE users SET email = ?, name = ?, password_hash = ?, totp_secret = ?, totp_step = ?, recovery_codes = ?,
			network_admin = ?, disabled = ?, language = ?, updated_at = ?
		WHERE id = ?`),
		u.Email, u.Name, u.PasswordHash, nullBytes(u.TOTPSecret), u.TOTPStep, codes, u.NetworkAdmin, u.Disabled, u.Language,
		u.UpdatedAt.UnixMicro(), u.ID); err != nil {
		return fmt.Errorf("update user %d: %w", u.ID, err)
	}
	return nil
}

func (q SQLAccounts) User(ctx context.Context, id int64) (account.User, error) {
	u, err := scanUser(q.R.QueryRowContext(ctx, q.bind(`SELECT `+userColumns+` FROM users WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return account.User{}, fmt.Errorf("user %d: %w", id, content.ErrNotFound)
	}
	if err != nil {
		return account.User{}, fmt.Errorf("user %d: %w", id, err)
	}
	return u, nil
}

func (q SQLAccounts) UserByEmail(ctx context.Context, email string) (account.User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	u, err := scanUser(q.R.QueryRowContext(ctx, q.bind(`SELECT `+userColumns+` FROM users WHERE email = ?`), email))
	if errors.Is(err, sql.ErrNoRows) {
		return account.User{}, fmt.Errorf("user %s: %w", email, content.ErrNotFound)
	}
	if err != nil {
		return account.User{}, fmt.Errorf("user %s: %w", email, err)
	}
	return u, nil
}

func (q SQLAccounts) Users(ctx context.Context) ([]account.User, error) {
	rows, err := q.R.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY email`)
	users, err := scanAll(rows, err, func(sc interface{ Scan(...any) error }) (account.User, error) { return scanUser(sc) })
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	return users, nil
}

func (q SQLAccounts) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := q.R.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// SetRole refuses a role that is not one of account.Roles, and a user or
// a site that does not exist (content.ErrNotFound).
func (q SQLAccounts) SetRole(ctx context.Context, userID, siteID int64, role account.Role) error {
	if role == "" {
		if _, err := q.W.ExecContext(ctx, q.bind(`DELETE FROM site_roles WHERE user_id = ? AND site_id = ?`), userID, siteID); err != nil {
			return fmt.Errorf("role of user %d on site %d: %w", userID, siteID, err)
		}
		return nil
	}
	if !slices.Contains(account.Roles, role) {
		return fmt.Errorf("role of user %d on site %d: %q is not a role", userID, siteID, role)
	}
	var user, site bool
	if err := q.W.QueryRowContext(ctx, q.bind(`SELECT EXISTS (SELECT 1 FROM users WHERE id = ?), EXISTS (SELECT 1 FROM sites WHERE id = ?)`),
		userID, siteID).Scan(&user, &site); err != nil {
		return fmt.Errorf("role of user %d on site %d: %w", userID, siteID, err)
	}
	if !user {
		return fmt.Errorf("user %d: %w", userID, content.ErrNotFound)
	}
	if !site {
		return fmt.Errorf("site %d: %w", siteID, content.ErrNotFound)
	}
	if _, err := q.W.ExecContext(ctx, q.bind(`INSERT INTO site_roles (user_id, site_id, role) VALUES (?, ?, ?)
		ON CONFLICT (user_id, site_id) DO UPDATE SET role = excluded.role`), userID, siteID, string(role)); err != nil {
		return fmt.Errorf("role of user %d on site %d: %w", userID, siteID, err)
	}
	return nil
}

func (q SQLAccounts) Roles(ctx context.Context, userID int64) (map[int64]account.Role, error) {
	rows, err := q.R.QueryContext(ctx, q.bind(`SELECT site_id, role FROM site_roles WHERE user_id = ?`), userID)
	if err != nil {
		return nil, fmt.Errorf("roles of user %d: %w", userID, err)
	}
	defer rows.Close()
	roles := map[int64]account.Role{}
	for rows.Next() {
		var (
			site int64
			role string
		)
		if err := rows.Scan(&site, &role); err != nil {
			return nil, fmt.Errorf("roles of user %d: %w", userID, err)
		}
		roles[site] = account.Role(role)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("roles of user %d: %w", userID, err)
	}
	return roles, nil
}

func (q SQLAccounts) Members(ctx context.Context, siteID int64) ([]Member, error) {
	// No column name of users is one of site_roles'.
	rows, err := q.R.QueryContext(ctx, q.bind(`SELECT `+userColumns+`, role FROM users JOIN site_roles ON user_id = id
		WHERE site_id = ? ORDER BY email`), siteID)
	members, err := scanAll(rows, err, func(sc interface{ Scan(...any) error }) (Member, error) {
		var role string
		u, err := scanUser(sc, &role)
		return Member{User: u, Role: account.Role(role)}, err
	})
	if err != nil {
		return nil, fmt.Errorf("members of site %d: %w", siteID, err)
	}
	return members, nil
}

const sessionColumns = `hash, user_id, verified, created_at, seen_at, expires_at, address, user_agent`

func (q SQLAccounts) CreateSession(ctx context.Context, s Session) error {
	if len(s.Hash) == 0 {
		return errors.New("create session: no hash")
	}
	if _, err := q.W.ExecContext(ctx, q.bind(`INSERT INTO sessions (`+sessionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		s.Hash, s.UserID, s.Verified, s.CreatedAt.UnixMicro(), s.SeenAt.UnixMicro(), s.ExpiresAt.UnixMicro(), s.Address, s.UserAgent); err != nil {
		return fmt.Errorf("create session of user %d: %w", s.UserID, err)
	}
	return nil
}

func (q SQLAccounts) Session(ctx context.Context, hash []byte) (Session, error) {
	var (
		s                     Session
		created, seen, expire int64
	)
	err := q.R.QueryRowContext(ctx, q.bind(`SELECT `+sessionColumns+` FROM sessions WHERE hash = ?`), hash).Scan(
		&s.Hash, &s.UserID, &s.Verified, &created, &seen, &expire, &s.Address, &s.UserAgent)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, fmt.Errorf("session: %w", content.ErrNotFound)
	}
	if err != nil {
		return Session{}, fmt.Errorf("session: %w", err)
	}
	s.CreatedAt, s.SeenAt, s.ExpiresAt = time.UnixMicro(created).UTC(), time.UnixMicro(seen).UTC(), time.UnixMicro(expire).UTC()
	return s, nil
}

func (q SQLAccounts) Sessions(ctx context.Context, userID int64) ([]Session, error) {
	rows, err := q.R.QueryContext(ctx, q.bind(`SELECT `+sessionColumns+` FROM sessions WHERE user_id = ? ORDER BY created_at DESC, hash`), userID)
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

// UpdateSession returns content.ErrNotFound for a session ended
// meanwhile.
func (q SQLAccounts) UpdateSession(ctx context.Context, s Session) error {
	res, err := q.W.ExecContext(ctx, q.bind(`UPDATE sessions SET seen_at = ?, expires_at = ?, verified = ? WHERE hash = ?`),
		s.SeenAt.UnixMicro(), s.ExpiresAt.UnixMicro(), s.Verified, s.Hash)
	if err != nil {
		return fmt.Errorf("update session: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("update session: %w", err)
	} else if n == 0 {
		return fmt.Errorf("session: %w", content.ErrNotFound)
	}
	return nil
}

func (q SQLAccounts) DeleteSession(ctx context.Context, hash []byte) error {
	if _, err := q.W.ExecContext(ctx, q.bind(`DELETE FROM sessions WHERE hash = ?`), hash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

func (q SQLAccounts) DeleteSessions(ctx context.Context, userID int64, keep []byte) (int, error) {
	query, args := `DELETE FROM sessions WHERE user_id = ?`, []any{userID}
	if len(keep) > 0 {
		query, args = query+` AND hash <> ?`, append(args, keep)
	}
	res, err := q.W.ExecContext(ctx, q.bind(query), args...)
	if err != nil {
		return 0, fmt.Errorf("delete sessions of user %d: %w", userID, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// DeleteExpired removes what expired at or before now.
func (q SQLAccounts) DeleteExpired(ctx context.Context, now time.Time) error {
	for _, table := range []string{"sessions", "tokens"} {
		if _, err := q.W.ExecContext(ctx, q.bind(`DELETE FROM `+table+` WHERE expires_at <= ?`), now.UnixMicro()); err != nil {
			return fmt.Errorf("delete expired %s: %w", table, err)
		}
	}
	return nil
}

const tokenColumns = `hash, purpose, coalesce(user_id, 0), coalesce(article_id, 0), coalesce(created_by, 0), created_at, expires_at`

func scanToken(sc interface{ Scan(...any) error }) (Token, error) {
	var (
		t                Token
		created, expires int64
	)
	err := sc.Scan(&t.Hash, &t.Purpose, &t.UserID, &t.ArticleID, &t.CreatedBy, &created, &expires)
	t.CreatedAt, t.ExpiresAt = time.UnixMicro(created).UTC(), time.UnixMicro(expires).UTC()
	return t, err
}

func (q SQLAccounts) CreateToken(ctx context.Context, t Token) error {
	if len(t.Hash) == 0 || t.Purpose == "" {
		return errors.New("create token: a token needs a hash and a purpose")
	}
	if _, err := q.W.ExecContext(ctx, q.bind(`INSERT INTO tokens (hash, purpose, user_id, article_id, created_by, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`),
		t.Hash, t.Purpose, nullID(t.UserID), nullID(t.ArticleID), nullID(t.CreatedBy), t.CreatedAt.UnixMicro(), t.ExpiresAt.UnixMicro()); err != nil {
		return fmt.Errorf("create %s token: %w", t.Purpose, err)
	}
	return nil
}

func (q SQLAccounts) Token(ctx context.Context, purpose string, hash []byte, now time.Time) (Token, error) {
	t, err := scanToken(q.R.QueryRowContext(ctx, q.bind(`SELECT `+tokenColumns+` FROM tokens WHERE purpose = ? AND hash = ? AND expires_at > ?`),
		purpose, hash, now.UnixMicro()))
	return t, tokenError(purpose, err)
}

func (q SQLAccounts) UseToken(ctx context.Context, purpose string, hash []byte, now time.Time) (Token, error) {
	t, err := scanToken(q.W.QueryRowContext(ctx, q.bind(`DELETE FROM tokens WHERE purpose = ? AND hash = ? AND expires_at > ? RETURNING `+tokenColumns),
		purpose, hash, now.UnixMicro()))
	return t, tokenError(purpose, err)
}

// tokenError words the error of reading a token.
func tokenError(purpose string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s token (unknown, used or expired): %w", purpose, content.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("%s token: %w", purpose, err)
	}
	return nil
}

func (q SQLAccounts) DeleteTokens(ctx context.Context, purpose string, userID, articleID int64) error {
	query, args := `DELETE FROM tokens WHERE purpose = ?`, []any{purpose}
	if userID != 0 {
		query, args = query+` AND user_id = ?`, append(args, userID)
	}
	if articleID != 0 {
		query, args = query+` AND article_id = ?`, append(args, articleID)
	}
	if _, err := q.W.ExecContext(ctx, q.bind(query), args...); err != nil {
		return fmt.Errorf("delete %s tokens: %w", purpose, err)
	}
	return nil
}

// SignInFailure also forgets the failures under key before since, which
// no longer count, so that the table keeps only what a limit reads.
func (q SQLAccounts) SignInFailure(ctx context.Context, key string, at, since time.Time) (int, error) {
	if _, err := q.W.ExecContext(ctx, q.bind(`DELETE FROM sign_in_failures WHERE key = ? AND at < ?`), key, since.UnixMicro()); err != nil {
		return 0, fmt.Errorf("sign-in failures of %s: %w", key, err)
	}
	if _, err := q.W.ExecContext(ctx, q.bind(`INSERT INTO sign_in_failures (key, at) VALUES (?, ?)`), key, at.UnixMicro()); err != nil {
		return 0, fmt.Errorf("sign-in failures of %s: %w", key, err)
	}
	var n int
	if err := q.W.QueryRowContext(ctx, q.bind(`SELECT count(*) FROM sign_in_failures WHERE key = ? AND at >= ?`), key, since.UnixMicro()).Scan(&n); err != nil {
		return 0, fmt.Errorf("sign-in failures of %s: %w", key, err)
	}
	return n, nil
}

// SignInFailures returns the zero time as the latest when there are none.
func (q SQLAccounts) SignInFailures(ctx context.Context, key string, since time.Time) (int, time.Time, error) {
	var (
		n      int
		latest sql.NullInt64
	)
	if err := q.R.QueryRowContext(ctx, q.bind(`SELECT count(*), max(at) FROM sign_in_failures WHERE key = ? AND at >= ?`),
		key, since.UnixMicro()).Scan(&n, &latest); err != nil {
		return 0, time.Time{}, fmt.Errorf("sign-in failures of %s: %w", key, err)
	}
	if !latest.Valid {
		return n, time.Time{}, nil
	}
	return n, time.UnixMicro(latest.Int64).UTC(), nil
}

func (q SQLAccounts) ClearSignInFailures(ctx context.Context, key string) error {
	if _, err := q.W.ExecContext(ctx, q.bind(`DELETE FROM sign_in_failures WHERE key = ?`), key); err != nil {
		return fmt.Errorf("clear sign-in failures of %s: %w", key, err)
	}
	return nil
}

const auditColumns = `id, at, coalesce(user_id, 0), email, coalesce(site_id, 0), action, coalesce(article_id, 0), detail, address`

func scanAudit(sc interface{ Scan(...any) error }) (AuditEntry, error) {
	var (
		e  AuditEntry
		at int64
	)
	err := sc.Scan(&e.ID, &at, &e.UserID, &e.Email, &e.SiteID, &e.Action, &e.ArticleID, &e.Detail, &e.Address)
	e.At = time.UnixMicro(at).UTC()
	return e, err
}

// Audit stamps an entry with a zero At with now.
func (q SQLAccounts) Audit(ctx context.Context, e AuditEntry) error {
	if e.Action == "" {
		return errors.New("audit: an entry needs an action")
	}
	if e.At.IsZero() {
		e.At = time.Now()
	}
	if _, err := q.W.ExecContext(ctx, q.bind(`INSERT INTO audit_log (at, user_id, email, site_id, action, article_id, detail, address)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		e.At.UnixMicro(), nullID(e.UserID), e.Email, nullID(e.SiteID), e.Action, nullID(e.ArticleID), e.Detail, e.Address); err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// defaultAuditLimit is how many entries AuditLog returns when the query
// sets no limit.
const defaultAuditLimit = 100

func (q SQLAccounts) AuditLog(ctx context.Context, aq AuditQuery) ([]AuditEntry, error) {
	var (
		where []string
		args  []any
	)
	if len(aq.SiteIDs) > 0 || aq.Network {
		var either []string
		if len(aq.SiteIDs) > 0 {
			either = append(either, `site_id IN (?`+strings.Repeat(`, ?`, len(aq.SiteIDs)-1)+`)`)
			for _, id := range aq.SiteIDs {
				args = append(args, id)
			}
		}
		if aq.Network {
			either = append(either, `site_id IS NULL`)
		}
		where = append(where, `(`+strings.Join(either, ` OR `)+`)`)
	}
	if aq.UserID != 0 {
		where, args = append(where, `user_id = ?`), append(args, aq.UserID)
	}
	if aq.Before != 0 {
		where, args = append(where, `id < ?`), append(args, aq.Before)
	}
	query := `SELECT ` + auditColumns + ` FROM audit_log`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	limit := aq.Limit
	if limit <= 0 {
		limit = defaultAuditLimit
	}
	rows, err := q.R.QueryContext(ctx, q.bind(query+` ORDER BY id DESC LIMIT ?`), append(args, limit)...)
	entries, err := scanAll(rows, err, scanAudit)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return entries, nil
}

const revisionColumns = `id, article_id, coalesce(user_id, 0), created_at, section_id, kind, title, summary, body, note, public, coalesce(source, 0)`

func scanRevision(sc interface{ Scan(...any) error }) (Revision, error) {
	var (
		r       Revision
		kind    string
		created int64
	)
	err := sc.Scan(&r.ID, &r.ArticleID, &r.UserID, &created, &r.SectionID, &kind, &r.Title, &r.Summary, &r.Body, &r.Note,
		&r.Public, &r.Source)
	r.Kind, r.CreatedAt = content.Kind(kind), time.UnixMicro(created).UTC()
	return r, err
}

// AddRevision stamps a revision with a zero CreatedAt with now.
func (q SQLAccounts) AddRevision(ctx context.Context, r Revision) (Revision, error) {
	if r.CreatedAt.IsZero() {
		r.CreatedAt = time.Now()
	}
	r.CreatedAt = stored(r.CreatedAt)
	err := q.W.QueryRowContext(ctx, q.bind(`
		INSERT INTO revisions (article_id, user_id, created_at, section_id, kind, title, summary, body, note, public, source)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		r.ArticleID, nullID(r.UserID), r.CreatedAt.UnixMicro(), r.SectionID, string(r.Kind), r.Title, r.Summary, r.Body, r.Note,
		r.Public, nullID(r.Source)).Scan(&r.ID)
	if err != nil {
		return Revision{}, fmt.Errorf("revision of article %d: %w", r.ArticleID, err)
	}
	return r, nil
}

func (q SQLAccounts) Revision(ctx context.Context, id int64) (Revision, error) {
	r, err := scanRevision(q.R.QueryRowContext(ctx, q.bind(`SELECT `+revisionColumns+` FROM revisions WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return Revision{}, fmt.Errorf("revision %d: %w", id, content.ErrNotFound)
	}
	if err != nil {
		return Revision{}, fmt.Errorf("revision %d: %w", id, err)
	}
	return r, nil
}

func (q SQLAccounts) Revisions(ctx context.Context, articleID int64) ([]Revision, error) {
	rows, err := q.R.QueryContext(ctx, q.bind(`SELECT `+revisionColumns+` FROM revisions WHERE article_id = ? ORDER BY id DESC`), articleID)
	revs, err := scanAll(rows, err, scanRevision)
	if err != nil {
		return nil, fmt.Errorf("revisions of article %d: %w", articleID, err)
	}
	return revs, nil
}

func (q SQLAccounts) LatestRevision(ctx context.Context, articleID int64) (Revision, error) {
	r, err := scanRevision(q.R.QueryRowContext(ctx, q.bind(`SELECT `+revisionColumns+` FROM revisions WHERE article_id = ? ORDER BY id DESC LIMIT 1`),
		articleID))
	if errors.Is(err, sql.ErrNoRows) {
		return Revision{}, fmt.Errorf("revision of article %d: %w", articleID, content.ErrNotFound)
	}
	if err != nil {
		return Revision{}, fmt.Errorf("revision of article %d: %w", articleID, err)
	}
	return r, nil
}

func (q SQLAccounts) ForgetSignInFailures(ctx context.Context, before time.Time) error {
	if _, err := q.W.ExecContext(ctx, q.bind(`DELETE FROM sign_in_failures WHERE at < ?`), before.UnixMicro()); err != nil {
		return fmt.Errorf("forget sign-in failures: %w", err)
	}
	return nil
}

func (q SQLAccounts) WithdrawSignInFailure(ctx context.Context, key string, at time.Time) error {
	if _, err := q.W.ExecContext(ctx, q.bind(`DELETE FROM sign_in_failures WHERE key = ? AND at = ?`), key, at.UnixMicro()); err != nil {
		return fmt.Errorf("sign-in failures of %s: %w", key, err)
	}
	return nil
}
