-- The page store: public pages rendered once, with their gzip and brotli
-- variants, and each site's page epoch (raised by every change to its
-- pages). Times are Unix microseconds in UTC.

CREATE TABLE pages (
	site_id      INTEGER NOT NULL REFERENCES sites(id),
	path         TEXT    NOT NULL,
	content_type TEXT    NOT NULL,
	etag         TEXT    NOT NULL,
	body         BLOB    NOT NULL,
	gzip         BLOB    NOT NULL,
	brotli       BLOB    NOT NULL,
	rendered_at  INTEGER NOT NULL,
	PRIMARY KEY (site_id, path)
) WITHOUT ROWID;

CREATE TABLE page_epochs (
	site_id INTEGER PRIMARY KEY REFERENCES sites(id),
	epoch   INTEGER NOT NULL
);
