-- The back office's knowledge of an article that readers never see: who
-- created it, which revision readers see, whether it waits for review, a
-- scheduled edition, and why and when it was withdrawn. Kept beside the
-- articles so the public read path and its indexes are untouched.
-- Times are Unix microseconds in UTC.

ALTER TABLE sites ADD COLUMN require_review BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE sites ADD COLUMN require_two_factor BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE article_states (
	article_id         BIGINT PRIMARY KEY REFERENCES articles(id),
	created_by         BIGINT,
	live_revision      BIGINT,
	submitted_by       BIGINT,
	submitted_at       BIGINT,
	submitted_revision BIGINT,
	edition_at         BIGINT,
	edition_revision   BIGINT,
	withdrawn_at       BIGINT,
	withdrawal_reason  TEXT NOT NULL DEFAULT ''
);
-- Scheduled editions of live articles, found by their time like
-- articles_due.
CREATE INDEX article_states_editions ON article_states(edition_at) WHERE edition_at IS NOT NULL;

-- The back office lists a site's articles by their latest change.
CREATE INDEX articles_updated ON articles(site_id, updated_at DESC);

-- Listings order by publication time, newest first, drafts (no time) last,
-- and by ID among equals: the indexes now say the same, so a page of the
-- newest is read in order instead of sorting the whole language (17 ms on
-- 10,000 articles for the home page before).
DROP INDEX articles_listing;
CREATE INDEX articles_listing ON articles(site_id, language, status, published_at DESC NULLS LAST, id DESC);
DROP INDEX articles_section;
CREATE INDEX articles_section ON articles(section_id, language, status, published_at DESC NULLS LAST, id DESC) INCLUDE (pub_month, site_id);
