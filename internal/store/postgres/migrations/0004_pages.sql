-- The page store: public pages rendered once, with their gzip and brotli
-- variants, and each site's page epoch (raised by every change to its
-- pages). Times are Unix microseconds in UTC. Paths compare byte-wise
-- (COLLATE "C"), as prefix ranges need.

CREATE TABLE pages (
	site_id      BIGINT NOT NULL REFERENCES sites(id),
	path         TEXT   COLLATE "C" NOT NULL,
	content_type TEXT   NOT NULL,
	etag         TEXT   NOT NULL,
	body         BYTEA  NOT NULL,
	gzip         BYTEA  NOT NULL,
	brotli       BYTEA  NOT NULL,
	rendered_at  BIGINT NOT NULL,
	PRIMARY KEY (site_id, path)
);

CREATE TABLE page_epochs (
	site_id BIGINT PRIMARY KEY REFERENCES sites(id),
	epoch   BIGINT NOT NULL
);
