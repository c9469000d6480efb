package store

import (
	"context"
	"time"

	"chancery/internal/account"
	"chancery/internal/content"
)

// AccountQueries keep the back office's people and what they did: users
// and their roles per site, sessions, one-time tokens, sign-in failures,
// the audit log and every saved revision of an article.
type AccountQueries interface {
	// WorkQueries are the articles' back-office states (store/work.go).
	WorkQueries
	// CreateUser normalizes a new user (User.Normalize) and stores it,
	// returning it with its ID; an e-mail address already taken is
	// content.ErrConflict.
	CreateUser(ctx context.Context, u account.User) (account.User, error)
	// UpdateUser normalizes the user and replaces the stored one with the
	// same ID; an e-mail address another user has is content.ErrConflict.
	UpdateUser(ctx context.Context, u account.User) error
	// User returns the user with the given ID.
	User(ctx context.Context, id int64) (account.User, error)
	// UserByEmail returns the user with the given address (any case).
	UserByEmail(ctx context.Context, email string) (account.User, error)
	// Users returns every user, ordered by e-mail address.
	Users(ctx context.Context) ([]account.User, error)
	// CountUsers counts the users, disabled ones included.
	CountUsers(ctx context.Context) (int, error)

	// SetRole gives a user a role on a site, replacing any other; the
	// empty role takes the user's role on the site away.
	SetRole(ctx context.Context, userID, siteID int64, role account.Role) error
	// Roles returns a user's role on each site, by site ID.
	Roles(ctx context.Context, userID int64) (map[int64]account.Role, error)
	// Members returns the users who hold a role on a site, by e-mail.
	Members(ctx context.Context, siteID int64) ([]Member, error)

	// CreateSession stores a new session.
	CreateSession(ctx context.Context, s Session) error
	// Session returns the session whose token hashes to hash, expired or
	// not (the caller checks ExpiresAt).
	Session(ctx context.Context, hash []byte) (Session, error)
	// Sessions returns a user's sessions, newest first.
	Sessions(ctx context.Context, userID int64) ([]Session, error)
	// UpdateSession stores a session's SeenAt, ExpiresAt and Verified.
	UpdateSession(ctx context.Context, s Session) error
	// DeleteSession ends one session; ending one that is gone is no error.
	DeleteSession(ctx context.Context, hash []byte) error
	// DeleteSessions ends every session of a user but the one whose hash
	// is keep (nil: every one), and returns how many it ended.
	DeleteSessions(ctx context.Context, userID int64, keep []byte) (int, error)
	// DeleteExpired removes the sessions and tokens expired at now.
	DeleteExpired(ctx context.Context, now time.Time) error

	// CreateToken stores a token given to someone for one purpose.
	CreateToken(ctx context.Context, t Token) error
	// Token returns the unexpired token of a purpose whose secret hashes
	// to hash, leaving it in place (preview links are read many times).
	Token(ctx context.Context, purpose string, hash []byte, now time.Time) (Token, error)
	// UseToken returns the unexpired token and deletes it in the same
	// statement, so of two requests racing with one token, one gets it
	// (set-up and password links are used once). content.ErrNotFound
	// when it is unknown, used or expired.
	UseToken(ctx context.Context, purpose string, hash []byte, now time.Time) (Token, error)
	// DeleteTokens removes every token of a purpose for a user or an
	// article (0 matches any), e.g. a user's unused reset links.
	DeleteTokens(ctx context.Context, purpose string, userID, articleID int64) error

	// SignInFailure records one failed sign-in under key ("user:…",
	// "addr:…") and returns the failures counted under it since since,
	// this one included.
	SignInFailure(ctx context.Context, key string, at, since time.Time) (int, error)
	// SignInFailures returns the failures under key since since, and the
	// time of the latest.
	SignInFailures(ctx context.Context, key string, since time.Time) (int, time.Time, error)
	// ClearSignInFailures forgets the failures under key.
	ClearSignInFailures(ctx context.Context, key string) error
	// WithdrawSignInFailure removes the failure recorded under key at at:
	// an attempt is counted before it is checked (so that other processes
	// see it at once), and withdrawn when the check succeeds.
	WithdrawSignInFailure(ctx context.Context, key string, at time.Time) error
	// ForgetSignInFailures removes the failures, under every key, made
	// before before: they no longer count.
	ForgetSignInFailures(ctx context.Context, before time.Time) error

	// Audit appends an entry to the audit log.
	Audit(ctx context.Context, e AuditEntry) error
	// AuditLog returns entries newest first.
	AuditLog(ctx context.Context, q AuditQuery) ([]AuditEntry, error)

	// AddRevision stores a revision of an article and returns it with its
	// ID; IDs rise with time across the network.
	AddRevision(ctx context.Context, r Revision) (Revision, error)
	// Revision returns one revision, body included.
	Revision(ctx context.Context, id int64) (Revision, error)
	// Revisions returns an article's revisions newest first, bodies
	// included.
	Revisions(ctx context.Context, articleID int64) ([]Revision, error)
	// LatestRevision returns an article's newest revision;
	// content.ErrNotFound when it has none (made before revisions were
	// kept, or by the command line).
	LatestRevision(ctx context.Context, articleID int64) (Revision, error)
}

// Member is a user's role on one site.
type Member struct {
	User account.User
	Role account.Role
}

// Session is a signed-in browser. The cookie holds a random token; the
// store keeps only its SHA-256, so a copy of the database signs no one in.
type Session struct {
	Hash   []byte
	UserID int64
	// Verified is false between the password and the second factor.
	Verified  bool
	CreatedAt time.Time
	SeenAt    time.Time
	ExpiresAt time.Time
	// Address is the client's address at sign-in, for the user's list of
	// sessions.
	Address   string
	UserAgent string
}

// The purposes of tokens.
const (
	// TokenSetup lets the first administrator choose an address and a
	// password.
	TokenSetup = "setup"
	// TokenPassword lets a user choose a new password (chancery user
	// reset-password).
	TokenPassword = "password"
	// TokenPreview lets anyone with the link read an article's draft.
	TokenPreview = "preview"
)

// Token is a secret given to someone for one purpose; the store keeps its
// SHA-256.
type Token struct {
	Hash      []byte
	Purpose   string
	UserID    int64
	ArticleID int64
	CreatedBy int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

// AuditEntry is one line of the audit log: who did what, when, from where.
type AuditEntry struct {
	ID int64
	At time.Time
	// UserID is 0 for the command line and for failed sign-ins of unknown
	// addresses.
	UserID int64
	// Email is the user's address when it happened, kept even if the user
	// changes it later.
	Email string
	// SiteID is 0 for network-wide entries (sign-ins, users).
	SiteID int64
	// Action is what happened: "sign-in", "sign-in-failed", "publish"…
	Action    string
	ArticleID int64
	// Detail is free text: a reason, a role, a time.
	Detail  string
	Address string
}

// AuditQuery selects audit entries. Zero fields select everything.
type AuditQuery struct {
	// SiteIDs keeps entries of these sites; Network adds the entries of
	// no site.
	SiteIDs []int64
	Network bool
	UserID  int64
	// Before keeps entries with a smaller ID, for paging.
	Before int64
	Limit  int
}

// Revision is an article as one save left it. Revisions are never changed
// or deleted.
type Revision struct {
	ID        int64
	ArticleID int64
	// UserID is who saved it; 0 for the command line or an import.
	UserID    int64
	CreatedAt time.Time
	SectionID int64
	Kind      content.Kind
	Title     string
	Summary   string
	Body      string
	// Note is the change note, required on changes to a published
	// article; Public notes are shown to readers, minor ones are not.
	Note   string
	Public bool
	// Source is, for a translation, the revision of the source article it
	// was translated from; 0 otherwise.
	Source int64
}
