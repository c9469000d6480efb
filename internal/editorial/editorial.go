// Package editorial carries out what people do to articles from the back
// office: save, submit for review, publish, schedule, withdraw, restore and
// translate. Every action checks the person's role on the article's site
// (account.Can, account.CanEdit), every save keeps a revision, and what
// matters goes into the audit log, in the same transaction as the change
// and the pages it shows on.
//
// An article that readers can see is never changed by a save: the save
// makes a draft edition (a newer revision than the live one), which is
// published, scheduled or reviewed on its own while the live text keeps
// being served.
package editorial

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"chancery/internal/account"
	"chancery/internal/content"
	"chancery/internal/markup"
	"chancery/internal/publish"
	"chancery/internal/store"
)

// Service carries out the actions. It is safe for concurrent use.
type Service struct {
	Store     store.Store
	Publisher *publish.Publisher
	// Now tells the time; tests set it.
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Actor is the person acting, with their roles as read for this request.
type Actor struct {
	User  account.User
	Roles map[int64]account.Role
	// Address is where the request came from, for the audit log.
	Address string
}

// Role is the actor's role on a site: a network administrator is an
// administrator of every site.
func (a Actor) Role(siteID int64) account.Role {
	if a.User.NetworkAdmin {
		return account.RoleAdmin
	}
	return a.Roles[siteID]
}

// Can reports whether the actor may do an action on a site.
func (a Actor) Can(siteID int64, act account.Action) bool {
	return !a.User.Disabled && account.Can(a.Role(siteID), act)
}

// ErrForbidden is wrapped by the errors of actions the actor's role does
// not allow.
var ErrForbidden = errors.New("not allowed")

// ErrNeedsReview is wrapped when a site requires a second person to
// publish and the actor wrote the last change.
var ErrNeedsReview = errors.New("needs review")

func forbidden(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrForbidden, fmt.Sprintf(format, args...))
}

// ConflictError refuses a save made from an older revision than the
// article's latest: someone else saved in between. Nothing was written;
// the form keeps what was typed and shows the difference.
type ConflictError struct {
	// Base is the revision the refused save started from; Latest the one
	// saved since.
	Base   int64
	Latest store.Revision
	// Editor is who saved Latest ("" for the command line).
	Editor string
}

func (e *ConflictError) Error() string {
	who := e.Editor
	if who == "" {
		who = "someone else"
	}
	return fmt.Sprintf("%s saved this article at %s, after you opened it: your text was not saved; compare it with theirs below, merge, and save again",
		who, e.Latest.CreatedAt.Format("15:04:05 MST"))
}

// Draft is what an editing form sends.
type Draft struct {
	// ArticleID is 0 for a new article.
	ArticleID int64
	SiteID    int64
	SectionID int64
	Language  string
	Kind      content.Kind
	Title     string
	Summary   string
	// Body is Markdown, which may hold pasted HTML (sanitised).
	Body string
	// Base is the revision the form was opened on; 0 for a new article or
	// one that has none.
	Base int64
	// Note and PublicNote are the change note, required when the article
	// is public.
	Note       string
	PublicNote bool
	// TranslationOf is, for a new translation, the article translated.
	TranslationOf int64
	// Source is, for a translation, the source's revision shown beside it.
	Source int64
}

func invalid(fields map[string]string) error {
	return &content.ValidationError{What: "article", Fields: fields}
}

// Save stores a draft: a new article, a change to a draft, or a draft
// edition of a public or scheduled article. It returns the article as
// stored (for an edition, the article as readers will see it until the
// edition is published) and the new revision.
//
// A draft shows on no public page, and an edition changes nothing readers
// see, so a save renders nothing and leaves the page store alone.
func (s *Service) Save(ctx context.Context, actor Actor, d Draft) (content.Article, store.Revision, error) {
	d.Note = strings.TrimSpace(d.Note)
	if utf8.RuneCountInString(d.Note) > 500 {
		return content.Article{}, store.Revision{}, invalid(map[string]string{"note": "the change note is longer than 500 characters"})
	}
	html, err := markup.Render(d.Body)
	if err != nil {
		return content.Article{}, store.Revision{}, invalid(map[string]string{"body": "the text could not be read as Markdown: " + err.Error()})
	}
	if d.ArticleID == 0 {
		return s.create(ctx, actor, d, html)
	}
	var (
		rev   store.Revision
		saved content.Article
	)
	err = s.Store.InTx(ctx, func(q store.Queries) error {
		if _, err := q.Imports().LockArticle(ctx, d.ArticleID); err != nil {
			return err
		}
		old, err := q.Article(ctx, d.ArticleID)
		if err != nil {
			return err
		}
		st, err := q.Accounts().ArticleState(ctx, old.ID)
		if err != nil {
			return err
		}
		role := actor.Role(old.SiteID)
		if !account.CanEdit(role, actor.User.ID, edits(old, st)) || actor.User.Disabled {
			return forbidden("your role on this site (%s) does not let you change this article", roleName(role))
		}
		latest, err := latestRevision(ctx, q, old.ID)
		if err != nil {
			return err
		}
		if latest.ID != d.Base {
			c := &ConflictError{Base: d.Base, Latest: latest}
			if latest.UserID != 0 {
				if u, err := q.Accounts().User(ctx, latest.UserID); err == nil {
					c.Editor = u.Email
				}
			}
			return c
		}
		if old.Status == content.StatusWithdrawn {
			return invalid(map[string]string{"status": "a withdrawn article is kept as it was withdrawn; write a new article instead"})
		}
		next := old
		next.SectionID, next.Kind, next.Title, next.Summary, next.Body, next.BodyHTML = d.SectionID, d.Kind, d.Title, d.Summary, d.Body, html
		translation := next.TranslationGroup != next.ID
		if translation {
			next.SectionID, next.Kind = old.SectionID, old.Kind // a translation follows its source's
		}
		next.Normalize()
		site, err := q.Site(ctx, old.SiteID)
		if err != nil {
			return err
		}
		secs, err := q.Sections(ctx, site.ID)
		if err != nil {
			return err
		}
		sec, _ := content.NewTree(secs).Section(next.SectionID)
		if err := next.Validate(site, sec); err != nil {
			return err
		}
		if old.Public() && d.Note == "" {
			return invalid(map[string]string{"note": "this article is published: say in a change note what you changed, and whether readers should see the note"})
		}
		r := revisionOf(next, actor, d)
		switch {
		case !translation:
			r.Source = 0
		case r.Source == 0:
			r.Source = latest.Source
		default:
			if err := checkSource(ctx, q, old.TranslationGroup, r.Source); err != nil {
				return err
			}
		}
		if rev, err = q.Accounts().AddRevision(ctx, r); err != nil {
			return err
		}
		if committed(old) {
			// A draft edition: readers (or, for a scheduled article, its
			// publication) keep the text that was published or
			// scheduled.
			saved = old
			return nil
		}
		if err := q.UpdateArticle(ctx, next); err != nil {
			return err
		}
		if saved, err = q.Article(ctx, old.ID); err != nil {
			return err
		}
		// The article's row holds this revision now.
		st.LiveRevision = rev.ID
		return q.Accounts().PutArticleState(ctx, st)
	})
	if err != nil {
		return content.Article{}, store.Revision{}, err
	}
	return saved, rev, nil
}

// committed reports whether an article's row holds a text someone decided
// to publish: published, withdrawn, or scheduled. A save then makes a
// draft edition instead of changing the row.
func committed(a content.Article) bool {
	return a.Public() || a.Status == content.StatusScheduled
}

// checkSource refuses a source revision that is not one of the source
// article's (the form names it; it must not show another article's text).
func checkSource(ctx context.Context, q store.Queries, sourceID, revisionID int64) error {
	r, err := q.Accounts().Revision(ctx, revisionID)
	if err != nil || r.ArticleID != sourceID {
		return invalid(map[string]string{"source": "the source text named by the form is not the source article's; open the translation again"})
	}
	return nil
}

// create stores a new article, or a new translation, as a draft.
func (s *Service) create(ctx context.Context, actor Actor, d Draft, html string) (content.Article, store.Revision, error) {
	a := content.Article{SiteID: d.SiteID, SectionID: d.SectionID, Language: d.Language, Kind: d.Kind, Status: content.StatusDraft,
		Title: d.Title, Summary: d.Summary, Body: d.Body, BodyHTML: html}
	if d.TranslationOf != 0 {
		src, err := s.Store.Article(ctx, d.TranslationOf)
		if err != nil {
			return content.Article{}, store.Revision{}, err
		}
		if src.SiteID != d.SiteID {
			return content.Article{}, store.Revision{}, forbidden("the article to translate belongs to another site")
		}
		if src.TranslationGroup != src.ID {
			return content.Article{}, store.Revision{}, invalid(map[string]string{"language": "translate from the article's first version, not from another translation"})
		}
		if !actor.Can(src.SiteID, account.Translate) {
			return content.Article{}, store.Revision{}, forbidden("your role on this site (%s) does not let you translate", roleName(actor.Role(src.SiteID)))
		}
		if d.Language == src.Language {
			return content.Article{}, store.Revision{}, invalid(map[string]string{"language": "a translation is in another language than its source"})
		}
		versions, err := s.Store.Translations(ctx, src.TranslationGroup)
		if err != nil {
			return content.Article{}, store.Revision{}, err
		}
		for _, v := range versions {
			if v.Language == d.Language {
				return content.Article{}, store.Revision{}, invalid(map[string]string{"language": "this article has a version in that language already: open it from the article's page"})
			}
		}
		a.TranslationGroup, a.SectionID, a.Kind = src.TranslationGroup, src.SectionID, src.Kind
		if d.Source == 0 {
			if latest, err := latestRevision(ctx, s.Store, src.ID); err == nil {
				d.Source = latest.ID
			}
		} else if err := checkSource(ctx, s.Store, src.TranslationGroup, d.Source); err != nil {
			return content.Article{}, store.Revision{}, err
		}
	} else if d.Source = 0; !actor.Can(d.SiteID, account.WriteArticle) {
		return content.Article{}, store.Revision{}, forbidden("your role on this site (%s) does not let you write articles", roleName(actor.Role(d.SiteID)))
	}
	var rev store.Revision
	saved, _, err := s.Publisher.Apply(ctx, publish.Edit{Article: a, Also: func(q store.Queries, saved content.Article) error {
		var err error
		if rev, err = q.Accounts().AddRevision(ctx, revisionOf(saved, actor, d)); err != nil {
			return err
		}
		if err := q.Accounts().PutArticleState(ctx, store.ArticleState{ArticleID: saved.ID, CreatedBy: actor.User.ID, LiveRevision: rev.ID}); err != nil {
			return err
		}
		action := "create"
		if d.TranslationOf != 0 {
			action = "translate"
		}
		return s.audit(ctx, q, actor, saved.SiteID, action, saved.ID, saved.Language+": "+saved.Title)
	}})
	if err != nil {
		return content.Article{}, store.Revision{}, err
	}
	return saved, rev, nil
}

func revisionOf(a content.Article, actor Actor, d Draft) store.Revision {
	return store.Revision{ArticleID: a.ID, UserID: actor.User.ID, SectionID: a.SectionID, Kind: a.Kind,
		Title: a.Title, Summary: a.Summary, Body: a.Body, Note: d.Note, Public: d.PublicNote && d.Note != "", Source: d.Source}
}

func edits(a content.Article, st store.ArticleState) account.Edits {
	return account.Edits{Translation: a.TranslationGroup != a.ID, Public: committed(a), CreatedBy: st.CreatedBy}
}

// latestRevision is the article's newest revision, or the zero revision
// when it has none (made by the command line or an import).
func latestRevision(ctx context.Context, q store.Queries, id int64) (store.Revision, error) {
	r, err := q.Accounts().LatestRevision(ctx, id)
	if errors.Is(err, content.ErrNotFound) {
		return store.Revision{}, nil
	}
	return r, err
}

func roleName(r account.Role) string {
	if r == "" {
		return "none"
	}
	return string(r)
}

func (s *Service) audit(ctx context.Context, q store.Queries, actor Actor, siteID int64, action string, articleID int64, detail string) error {
	return q.Accounts().Audit(ctx, store.AuditEntry{At: s.now(), UserID: actor.User.ID, Email: actor.User.Email, SiteID: siteID,
		Action: action, ArticleID: articleID, Detail: detail, Address: actor.Address})
}
