-- What bringing an old site in needs: the site's address scheme, the old
-- addresses that answer with a permanent redirect, the record of what each
-- import wrote (so that running it again updates instead of duplicating),
-- and files stored by their content. Times are Unix microseconds in UTC.

ALTER TABLE sites ADD COLUMN address_scheme TEXT NOT NULL DEFAULT '';
ALTER TABLE sites ADD COLUMN channels TEXT NOT NULL DEFAULT '';

-- old_key is the address as RedirectKey compares it (lower case, no index
-- file, no trailing slash); old_path as the old site wrote it. A redirect
-- goes to an article, a section in a language, or a fixed path (a file).
CREATE TABLE redirects (
	site_id    INTEGER NOT NULL REFERENCES sites(id),
	old_key    TEXT    NOT NULL,
	old_path   TEXT    NOT NULL,
	article_id INTEGER REFERENCES articles(id),
	section_id INTEGER REFERENCES sections(id),
	language   TEXT    NOT NULL DEFAULT '',
	target     TEXT    NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	PRIMARY KEY (site_id, old_key)
);

-- source_key is the item's key in its source (an old address, a
-- WordPress post ID, a file name); digest is the hash of the item as last
-- imported; article_updated_at the article's updated_at after that import,
-- so that an article edited in Chancery since is never overwritten.
CREATE TABLE import_items (
	site_id            INTEGER NOT NULL REFERENCES sites(id),
	source_key         TEXT    NOT NULL,
	article_id         INTEGER NOT NULL REFERENCES articles(id),
	digest             TEXT    NOT NULL,
	article_updated_at INTEGER NOT NULL,
	imported_at        INTEGER NOT NULL,
	PRIMARY KEY (site_id, source_key)
);

-- Files (images, documents) stored once per site by their SHA-256; key is
-- the first 16 hex digits, which their public address carries.
CREATE TABLE media (
	id           INTEGER PRIMARY KEY,
	site_id      INTEGER NOT NULL REFERENCES sites(id),
	key          TEXT    NOT NULL,
	sha256       TEXT    NOT NULL,
	content_type TEXT    NOT NULL,
	size         INTEGER NOT NULL,
	name         TEXT    NOT NULL,
	data         BLOB    NOT NULL,
	created_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX media_key ON media(site_id, key);
