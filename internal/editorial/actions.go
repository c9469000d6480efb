package editorial

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"chancery/internal/account"
	"chancery/internal/auth"
	"chancery/internal/content"
	"chancery/internal/markup"
	"chancery/internal/publish"
	"chancery/internal/store"
)

// PublishOptions say when and how to publish.
type PublishOptions struct {
	// At is the time to publish at; zero for now. A time that has passed
	// is refused: the form said one thing and would do another.
	At time.Time
	// Force publishes alone on a site that requires review; Reason says
	// why, for the audit log.
	Force  bool
	Reason string
	// Revision is the latest revision the person saw (0 for an article
	// that had none); when another was saved since, nothing is published.
	Revision int64
}

// Publish publishes an article's latest revision now, or schedules it:
// a draft becomes published (or scheduled), a public article's draft
// edition replaces the live text (or is scheduled to). Each language
// version is published on its own.
func (s *Service) Publish(ctx context.Context, actor Actor, id int64, o PublishOptions) (content.Article, error) {
	now := s.now()
	o.Reason = strings.TrimSpace(o.Reason)
	if !o.At.IsZero() && !o.At.After(now) {
		return content.Article{}, invalid(map[string]string{"at": fmt.Sprintf("%s has passed: choose a time to come, or publish now", o.At.Format("2006-01-02 15:04 MST"))})
	}
	saved, _, err := s.Publisher.Apply(ctx, publish.Edit{Article: content.Article{ID: id},
		Change: func(q store.Queries, old content.Article) (content.Article, error) {
			site, err := q.Site(ctx, old.SiteID)
			if err != nil {
				return old, err
			}
			if !actor.Can(site.ID, account.Publish) {
				return old, forbidden("your role on this site (%s) does not let you publish: submit the article for review instead", roleName(actor.Role(site.ID)))
			}
			st, err := q.Accounts().ArticleState(ctx, old.ID)
			if err != nil {
				return old, err
			}
			latest, err := latestRevision(ctx, q, old.ID)
			if err != nil {
				return old, err
			}
			if latest.ID != o.Revision {
				return old, invalid(map[string]string{"status": "someone saved a newer text since you opened this page: read it, then publish again"})
			}
			action := "publish"
			if site.RequireReview && latest.UserID == actor.User.ID && actor.User.ID != 0 {
				if !o.Force {
					return old, fmt.Errorf("%w: this site requires a second person to publish, and you wrote the last change; ask an editor to review it, or publish alone giving a reason", ErrNeedsReview)
				}
				if !actor.Can(site.ID, account.ForcePublish) {
					return old, forbidden("your role on this site (%s) does not let you publish without review", roleName(actor.Role(site.ID)))
				}
				if o.Reason == "" {
					return old, invalid(map[string]string{"reason": "say why this cannot wait for a second person: the reason is kept in the audit log"})
				}
				action = "force-publish"
			}
			next := old
			// A revision newer than the row's is a draft edition (of a
			// published or scheduled article).
			pending := latest.ID != 0 && latest.ID > st.LiveRevision
			switch {
			case old.Status == content.StatusWithdrawn:
				return old, invalid(map[string]string{"status": "a withdrawn article stays withdrawn; write a new article instead"})
			case old.Public():
				if !pending {
					return old, invalid(map[string]string{"status": "the article is published as it is: save a change first"})
				}
				if !o.At.IsZero() {
					// This edition, exactly, at that time.
					st.EditionAt, st.EditionRevision = o.At, latest.ID
				} else {
					if err := applyRevision(&next, latest); err != nil {
						return old, err
					}
					st.EditionAt, st.EditionRevision, st.LiveRevision = time.Time{}, 0, latest.ID
				}
			default:
				if pending {
					if err := applyRevision(&next, latest); err != nil {
						return old, err
					}
				}
				next.Status, next.PublishedAt = content.StatusPublished, now
				if !o.At.IsZero() {
					next.Status, next.PublishedAt = content.StatusScheduled, o.At
				}
				st.LiveRevision = latest.ID
			}
			if !o.At.IsZero() {
				action = "schedule"
			}
			st.SubmittedRevision, st.SubmittedBy, st.SubmittedAt = 0, 0, time.Time{}
			if err := q.Accounts().PutArticleState(ctx, st); err != nil {
				return old, err
			}
			detail := o.Reason
			if !o.At.IsZero() {
				detail = strings.TrimSpace(o.At.In(site.Location()).Format("2006-01-02 15:04 MST") + " " + detail)
			}
			return next, s.audit(ctx, q, actor, site.ID, action, old.ID, detail)
		}})
	return saved, err
}

// applyRevision puts a revision's text into the live article.
func applyRevision(a *content.Article, r store.Revision) error {
	html, err := markup.Render(r.Body)
	if err != nil {
		return err
	}
	a.Title, a.Summary, a.Body, a.BodyHTML = r.Title, r.Summary, r.Body, html
	if a.TranslationGroup == a.ID {
		a.SectionID, a.Kind = r.SectionID, r.Kind
	}
	return nil
}

// Withdraw takes a published article out of every listing. It stays at
// its address with a dated notice giving the reason.
func (s *Service) Withdraw(ctx context.Context, actor Actor, id int64, reason string) (content.Article, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return content.Article{}, invalid(map[string]string{"reason": "say why the article is withdrawn: readers see the reason beside the article"})
	}
	if len(reason) > 1000 {
		return content.Article{}, invalid(map[string]string{"reason": "the reason is longer than 1,000 characters"})
	}
	saved, _, err := s.Publisher.Apply(ctx, publish.Edit{Article: content.Article{ID: id},
		Change: func(q store.Queries, old content.Article) (content.Article, error) {
			if !actor.Can(old.SiteID, account.Withdraw) {
				return old, forbidden("your role on this site (%s) does not let you withdraw articles", roleName(actor.Role(old.SiteID)))
			}
			if old.Status != content.StatusPublished {
				return old, invalid(map[string]string{"status": fmt.Sprintf("the article is %s: only a published article can be withdrawn", old.Status)})
			}
			withdrawn, err := publish.MarkWithdrawn(ctx, q, old, reason, s.now())
			if err != nil {
				return old, err
			}
			return withdrawn, s.audit(ctx, q, actor, old.SiteID, "withdraw", old.ID, reason)
		}})
	return saved, err
}

// Unschedule takes a scheduled article back to draft, or a scheduled
// edition back to an unscheduled one.
func (s *Service) Unschedule(ctx context.Context, actor Actor, id int64) (content.Article, error) {
	saved, _, err := s.Publisher.Apply(ctx, publish.Edit{Article: content.Article{ID: id},
		Change: func(q store.Queries, old content.Article) (content.Article, error) {
			if !actor.Can(old.SiteID, account.Publish) {
				return old, forbidden("your role on this site (%s) does not let you publish or schedule", roleName(actor.Role(old.SiteID)))
			}
			st, err := q.Accounts().ArticleState(ctx, old.ID)
			if err != nil {
				return old, err
			}
			switch {
			case old.Status == content.StatusScheduled:
				old.Status, old.PublishedAt = content.StatusDraft, time.Time{}
			case !st.EditionAt.IsZero():
				st.EditionAt, st.EditionRevision = time.Time{}, 0
				if err := q.Accounts().PutArticleState(ctx, st); err != nil {
					return old, err
				}
			default:
				return old, invalid(map[string]string{"status": "nothing of this article is scheduled"})
			}
			return old, s.audit(ctx, q, actor, old.SiteID, "unschedule", old.ID, "")
		}})
	return saved, err
}

// Submit asks for the article's latest revision to be reviewed.
func (s *Service) Submit(ctx context.Context, actor Actor, id int64) error {
	return s.Store.InTx(ctx, func(q store.Queries) error {
		a, err := q.Article(ctx, id)
		if err != nil {
			return err
		}
		st, err := q.Accounts().ArticleState(ctx, id)
		if err != nil {
			return err
		}
		role := actor.Role(a.SiteID)
		if !actor.Can(a.SiteID, account.SubmitForReview) || !account.CanEdit(role, actor.User.ID, edits(a, st)) {
			return forbidden("your role on this site (%s) does not let you submit this article", roleName(role))
		}
		latest, err := latestRevision(ctx, q, id)
		if err != nil {
			return err
		}
		if latest.ID == 0 || (a.Public() && latest.ID <= st.LiveRevision) {
			return invalid(map[string]string{"status": "there is no change to review: save one first"})
		}
		st.SubmittedRevision, st.SubmittedBy, st.SubmittedAt = latest.ID, actor.User.ID, s.now()
		if err := q.Accounts().PutArticleState(ctx, st); err != nil {
			return err
		}
		return s.audit(ctx, q, actor, a.SiteID, "submit", id, "")
	})
}

// Restore saves an old revision's text as the article's newest draft;
// base is the revision the person was looking at as the latest.
func (s *Service) Restore(ctx context.Context, actor Actor, id, revisionID, base int64) (store.Revision, error) {
	old, err := s.Store.Accounts().Revision(ctx, revisionID)
	if err != nil {
		return store.Revision{}, err
	}
	if old.ArticleID != id {
		return store.Revision{}, fmt.Errorf("revision %d is not one of article %d's: %w", revisionID, id, content.ErrNotFound)
	}
	a, err := s.Store.Article(ctx, id)
	if err != nil {
		return store.Revision{}, err
	}
	_, rev, err := s.Save(ctx, actor, Draft{ArticleID: id, SiteID: a.SiteID, SectionID: old.SectionID, Language: a.Language,
		Kind: old.Kind, Title: old.Title, Summary: old.Summary, Body: old.Body, Base: base, Source: old.Source,
		Note: fmt.Sprintf("Restored revision %d", old.ID)})
	return rev, err
}

// PreviewTTL is how long a preview link lets someone without an account
// read a draft.
const PreviewTTL = 72 * time.Hour

// PreviewLink makes a link for reading an article's latest revision
// without an account, valid for PreviewTTL; it returns the secret the
// link carries.
func (s *Service) PreviewLink(ctx context.Context, actor Actor, id int64) (string, time.Time, error) {
	a, err := s.Store.Article(ctx, id)
	if err != nil {
		return "", time.Time{}, err
	}
	st, err := s.Store.Accounts().ArticleState(ctx, id)
	if err != nil {
		return "", time.Time{}, err
	}
	if !actor.MayShow(a, st) {
		return "", time.Time{}, forbidden("your role on this site (%s) does not let you show this draft outside the back office", roleName(actor.Role(a.SiteID)))
	}
	secret, hash := auth.NewToken()
	now := s.now()
	t := store.Token{Hash: hash, Purpose: store.TokenPreview, ArticleID: id, CreatedBy: actor.User.ID, CreatedAt: now, ExpiresAt: now.Add(PreviewTTL)}
	err = s.Store.InTx(ctx, func(q store.Queries) error {
		if err := q.Accounts().CreateToken(ctx, t); err != nil {
			return err
		}
		return s.audit(ctx, q, actor, a.SiteID, "preview-link", id, "until "+t.ExpiresAt.UTC().Format(time.RFC3339))
	})
	return secret, t.ExpiresAt, err
}

// errNotDue stops a scheduled edition that another process published, or
// whose time was moved, without changing anything.
var errNotDue = errors.New("not due")

// DueEditions lists the live articles whose scheduled edition is due.
func (s *Service) DueEditions(ctx context.Context, now time.Time, after int64, limit int) ([]int64, error) {
	return s.Store.Accounts().DueEditions(ctx, now, after, limit)
}

// PublishEdition publishes an article's scheduled edition whose time has
// come, unless another process has (then it reports false). The
// scheduler calls it.
func (s *Service) PublishEdition(ctx context.Context, id int64) (content.Article, bool, error) {
	now := s.now()
	a, _, err := s.Publisher.Apply(ctx, publish.Edit{Article: content.Article{ID: id},
		Change: func(q store.Queries, old content.Article) (content.Article, error) {
			st, err := q.Accounts().ArticleState(ctx, old.ID)
			if err != nil {
				return old, err
			}
			if st.EditionAt.IsZero() || st.EditionAt.After(now) || old.Status != content.StatusPublished {
				return old, errNotDue
			}
			// The revision that was scheduled, not a later draft.
			edition, err := q.Accounts().Revision(ctx, st.EditionRevision)
			if err != nil {
				return old, err
			}
			next := old
			if err := applyRevision(&next, edition); err != nil {
				return old, err
			}
			st.LiveRevision = edition.ID
			st.EditionAt, st.EditionRevision = time.Time{}, 0
			if err := q.Accounts().PutArticleState(ctx, st); err != nil {
				return old, err
			}
			return next, q.Accounts().Audit(ctx, store.AuditEntry{At: now, Email: "(scheduler)", SiteID: old.SiteID, Action: "publish",
				ArticleID: old.ID, Detail: "scheduled edition"})
		}})
	if errors.Is(err, errNotDue) {
		return content.Article{}, false, nil
	}
	return a, err == nil, err
}

// MayShow reports whether the actor may show an article's draft outside
// the back office (a preview link): those who may change or publish it.
func (a Actor) MayShow(art content.Article, st store.ArticleState) bool {
	role := a.Role(art.SiteID)
	return !a.User.Disabled && (account.Can(role, account.Publish) || account.CanEdit(role, a.User.ID, edits(art, st)))
}

// Attach lists a stored file of the article's site on the article's page,
// or takes it off (detach). On a published or scheduled article the list
// changes what readers see, so it is a publisher's act; on a draft, of
// those who may change it. The page is rendered again with the change.
func (s *Service) Attach(ctx context.Context, actor Actor, id int64, m store.Media, detach bool) error {
	_, _, err := s.Publisher.Apply(ctx, publish.Edit{Article: content.Article{ID: id},
		Change: func(q store.Queries, old content.Article) (content.Article, error) {
			if m.SiteID != old.SiteID {
				return old, fmt.Errorf("file %s of another site: %w", m.Key, content.ErrNotFound)
			}
			st, err := q.Accounts().ArticleState(ctx, old.ID)
			if err != nil {
				return old, err
			}
			role := actor.Role(old.SiteID)
			allowed := !actor.User.Disabled && account.CanEdit(role, actor.User.ID, edits(old, st))
			if committed(old) {
				allowed = actor.Can(old.SiteID, account.Publish)
			}
			if !allowed {
				return old, forbidden("your role on this site (%s) does not let you change this article's documents", roleName(role))
			}
			action := "attach"
			if detach {
				action = "detach"
				err = q.Accounts().Detach(ctx, old.ID, m.ID)
			} else {
				err = q.Accounts().Attach(ctx, old.ID, m.ID)
			}
			if err != nil {
				return old, err
			}
			return old, s.audit(ctx, q, actor, old.SiteID, action, old.ID, m.Path())
		}})
	return err
}
