// Package account holds the people who run the sites from the back office:
// users, their roles on each site, and what each role may do. It does no
// I/O; the store keeps users and the admin handler asks Can before every
// action.
package account

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what a person may do on one site. A person can hold a different
// role on each site, or none.
type Role string

// The roles, from most to least powerful.
const (
	// RoleAdmin runs the site: settings, sections and navigation, users
	// and their roles, and everything an editor does.
	RoleAdmin Role = "admin"
	// RoleEditor creates, edits, publishes, schedules and withdraws any
	// article of the site.
	RoleEditor Role = "editor"
	// RoleAuthor creates and edits their own drafts and submits them for
	// review.
	RoleAuthor Role = "author"
	// RoleTranslator creates and edits translations only.
	RoleTranslator Role = "translator"
)

// Roles lists every role, in the order forms offer them.
var Roles = []Role{RoleAdmin, RoleEditor, RoleAuthor, RoleTranslator}

// ParseRole reads a role's name as typed ("Editor", " admin ").
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	for _, v := range Roles {
		if r == v {
			return r, nil
		}
	}
	return "", fmt.Errorf("%q is not a role: use admin, editor, author or translator", s)
}

// Action is something a person does on a site from the back office.
type Action string

// The actions that roles are checked against.
const (
	// ViewArticles lists the site's articles, drafts included.
	ViewArticles Action = "view-articles"
	// WriteArticle creates a new article (not a translation) and edits
	// one the person may edit (see CanEdit).
	WriteArticle Action = "write-article"
	// Translate creates and edits a translation of an article.
	Translate Action = "translate"
	// SubmitForReview asks an editor to publish a draft.
	SubmitForReview Action = "submit"
	// Publish publishes now, schedules, or publishes an edition.
	Publish Action = "publish"
	// ForcePublish publishes alone on a site that requires review, giving
	// a reason.
	ForcePublish Action = "force-publish"
	// Withdraw takes a published article out of listings, with a reason.
	Withdraw Action = "withdraw"
	// UploadMedia stores images and documents.
	UploadMedia Action = "upload-media"
	// ManageSections creates, renames, moves and orders sections and the
	// navigation.
	ManageSections Action = "manage-sections"
	// ManageSite changes the site's settings (review required, two-factor
	// required).
	ManageSite Action = "manage-site"
	// ManageUsers gives and takes the site's roles.
	ManageUsers Action = "manage-users"
	// ViewAudit reads the site's audit log.
	ViewAudit Action = "view-audit"
)

// Actions lists every action, for the role × action matrix.
var Actions = []Action{ViewArticles, WriteArticle, Translate, SubmitForReview, Publish, ForcePublish,
	Withdraw, UploadMedia, ManageSections, ManageSite, ManageUsers, ViewAudit}

// allowed is the role × action matrix. Anything not listed is refused.
var allowed = map[Role]map[Action]bool{
	RoleAdmin: {ViewArticles: true, WriteArticle: true, Translate: true, SubmitForReview: true, Publish: true,
		ForcePublish: true, Withdraw: true, UploadMedia: true, ManageSections: true, ManageSite: true,
		ManageUsers: true, ViewAudit: true},
	RoleEditor: {ViewArticles: true, WriteArticle: true, Translate: true, SubmitForReview: true, Publish: true,
		ForcePublish: true, Withdraw: true, UploadMedia: true},
	RoleAuthor:     {ViewArticles: true, WriteArticle: true, SubmitForReview: true, UploadMedia: true},
	RoleTranslator: {ViewArticles: true, Translate: true, SubmitForReview: true},
}

// Can reports whether a role allows an action. The empty role (no role on
// the site) allows nothing.
func Can(r Role, a Action) bool { return allowed[r][a] }

// Edits is what CanEdit needs to know of an article.
type Edits struct {
	// Translation is true for a version made from another language's.
	Translation bool
	// Public is true once the article has been published, withdrawn or
	// scheduled: someone decided to publish it.
	Public bool
	// CreatedBy is the user who created the article; 0 when it came from
	// the command line or an import.
	CreatedBy int64
}

// CanEdit reports whether a person with role r on the article's site may
// change an article: editors and administrators any article, authors their
// own drafts that were never published, translators translations.
func CanEdit(r Role, userID int64, a Edits) bool {
	switch r {
	case RoleAdmin, RoleEditor:
		return true
	case RoleAuthor:
		return !a.Translation && !a.Public && a.CreatedBy == userID && userID != 0
	case RoleTranslator:
		return a.Translation
	}
	return false
}

// User is a person with an account in the back office.
type User struct {
	ID int64
	// Email is the sign-in name, stored in lower case.
	Email string
	Name  string
	// PasswordHash is an argon2id hash in the PHC string format; "" for a
	// user who has not chosen a password yet.
	PasswordHash string
	// TOTPSecret is the shared key of a two-factor authenticator; nil
	// when two-factor sign-in is off.
	TOTPSecret []byte
	// TOTPStep is the time step of the last code accepted, so that a code
	// seen over someone's shoulder cannot be used again.
	TOTPStep int64
	// RecoveryCodes are the hashes of the unused recovery codes.
	RecoveryCodes []string
	// NetworkAdmin may do everything on every site and manage every user:
	// the ministry's or mission's first administrator.
	NetworkAdmin bool
	Disabled     bool
	// Language is the back office's language for this person, "en" or
	// "zh".
	Language  string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TwoFactor reports whether the user signs in with a second factor.
func (u User) TwoFactor() bool { return len(u.TOTPSecret) > 0 }

// ErrInvalid is wrapped by the errors of Normalize.
var ErrInvalid = errors.New("invalid user")

// NormalizeEmail puts an address as typed into the form it is stored in,
// or says what is wrong with it.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("%w: the e-mail address is empty", ErrInvalid)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") && !strings.HasSuffix(s, "@localhost") {
		return "", fmt.Errorf("%w: %q is not an e-mail address like name@example.org", ErrInvalid, s)
	}
	if len(s) > 254 {
		return "", fmt.Errorf("%w: the e-mail address is longer than 254 characters", ErrInvalid)
	}
	return strings.ToLower(s), nil
}

// Normalize trims the user's fields and checks them.
func (u *User) Normalize() error {
	email, err := NormalizeEmail(u.Email)
	if err != nil {
		return err
	}
	u.Email = email
	u.Name = strings.Join(strings.Fields(u.Name), " ")
	if utf8.RuneCountInString(u.Name) > 100 {
		return fmt.Errorf("%w: the name is longer than 100 characters", ErrInvalid)
	}
	switch u.Language {
	case "":
		u.Language = "en"
	case "en", "zh":
	default:
		return fmt.Errorf("%w: the back office speaks en or zh, not %q", ErrInvalid, u.Language)
	}
	return nil
}

// MinPassword and MaxPassword bound a password's length in characters.
// Long pass phrases are welcome; the upper bound only stops a megabyte
// from being hashed.
const (
	MinPassword = 12
	MaxPassword = 256
)

// CheckPassword says what is wrong with a new password, or returns nil.
// Length is the rule that matters (NIST SP 800-63B): no composition
// rules, but not the e-mail address itself.
func CheckPassword(password, email string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case !utf8.ValidString(password):
		return errors.New("the password is not valid text")
	case n < MinPassword:
		return fmt.Errorf("the password is %d characters long: use at least %d, a phrase of a few words is easiest to remember", n, MinPassword)
	case n > MaxPassword:
		return fmt.Errorf("the password is longer than %d characters", MaxPassword)
	case email != "" && strings.EqualFold(strings.TrimSpace(password), email):
		return errors.New("the password is your e-mail address: choose something else")
	}
	return nil
}
