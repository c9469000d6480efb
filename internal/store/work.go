package store

import (
	"context"
	"time"
)

// ArticleState is what the back office knows of an article beyond what
// readers see. An article without a stored state has the zero state.
type ArticleState struct {
	ArticleID int64
	// CreatedBy is the user who created the article; 0 for the command
	// line and imports.
	CreatedBy int64
	// LiveRevision is the revision the article's row holds: for a public
	// article, the one readers see. A newer revision of a public article
	// is a draft edition, which readers do not see until it is published.
	LiveRevision int64
	// SubmittedRevision is the revision submitted for review, by
	// SubmittedBy at SubmittedAt; 0 when none waits.
	SubmittedRevision int64
	SubmittedBy       int64
	SubmittedAt       time.Time
	// EditionAt is when the draft edition EditionRevision of a public
	// article is to be published; zero when none is scheduled.
	EditionAt       time.Time
	EditionRevision int64
	// WithdrawnAt and WithdrawalReason are shown on a withdrawn article's
	// page.
	WithdrawnAt      time.Time
	WithdrawalReason string
}

// WorkQueries keep the articles' back-office states.
type WorkQueries interface {
	// ArticleState returns an article's state: the zero state (with
	// ArticleID set) when none is stored.
	ArticleState(ctx context.Context, articleID int64) (ArticleState, error)
	// PutArticleState stores an article's state, replacing any other.
	PutArticleState(ctx context.Context, st ArticleState) error
	// ArticleStates returns the stored states of some articles, by ID.
	ArticleStates(ctx context.Context, ids []int64) (map[int64]ArticleState, error)
	// PublicNotes returns the public change notes of an article's
	// revisions up to upTo (its live revision), oldest first.
	PublicNotes(ctx context.Context, articleID, upTo int64) ([]ChangeNote, error)
	// PutMediaText stores a file's title and alternative text in a
	// language, replacing any.
	PutMediaText(ctx context.Context, mediaID int64, lang string, t MediaText) error
	// MediaTexts returns the texts of some files, by file ID and language.
	MediaTexts(ctx context.Context, mediaIDs []int64) (map[int64]map[string]MediaText, error)
	// Attach lists a file on an article's page, after the ones listed;
	// attaching it again changes nothing.
	Attach(ctx context.Context, articleID, mediaID int64) error
	// Detach takes a file off an article's page (the file stays stored).
	Detach(ctx context.Context, articleID, mediaID int64) error
	// AttachedTo returns the IDs of the articles a file is attached to.
	AttachedTo(ctx context.Context, mediaID int64) ([]int64, error)
	// Attachments returns an article's files in order, without Data.
	Attachments(ctx context.Context, articleID int64) ([]Attachment, error)
	// DueEditions returns the articles, above after and in order, of up
	// to limit editions scheduled at or before now.
	DueEditions(ctx context.Context, now time.Time, after int64, limit int) ([]int64, error)
}

// ChangeNote is a public change note: what changed in a published
// article, and when.
type ChangeNote struct {
	At   time.Time
	Note string
}

// MediaText is a stored file's title and alternative text in one
// language.
type MediaText struct {
	Title string
	// Alt describes an image for those who cannot see it.
	Alt string
}

// Attachment is a file attached to an article, with its texts by
// language.
type Attachment struct {
	Media
	Texts map[string]MediaText
}
