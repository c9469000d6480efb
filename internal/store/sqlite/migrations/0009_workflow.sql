-- The back office's knowledge of an article that readers never see: who
-- created it, which revision readers see, whether it waits for review, a
-- scheduled edition, and why and when it was withdrawn. Kept beside the
-- articles so the public read path and its indexes are untouched.
-- Times are Unix microseconds in UTC.

ALTER TABLE sites ADD COLUMN require_review INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sites ADD COLUMN require_two_factor INTEGER NOT NULL DEFAULT 0;

CREATE TABLE article_states (
	article_id         INTEGER PRIMARY KEY REFERENCES articles(id),
	created_by         INTEGER,
	live_revision      INTEGER,
	submitted_by       INTEGER,
	submitted_at       INTEGER,
	submitted_revision INTEGER,
	edition_at         INTEGER,
	edition_revision   INTEGER,
	withdrawn_at       INTEGER,
	withdrawal_reason  TEXT NOT NULL DEFAULT ''
);
-- Scheduled editions of live articles, found by their time like
-- articles_due.
CREATE INDEX article_states_editions ON article_states(edition_at) WHERE edition_at IS NOT NULL;

-- The back office lists a site's articles by their latest change.
CREATE INDEX articles_updated ON articles(site_id, updated_at DESC);
