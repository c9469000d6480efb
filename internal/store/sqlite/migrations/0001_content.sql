-- Sites, their languages and hosts, the section tree and articles.
-- Times are Unix microseconds in UTC.

CREATE TABLE sites (
	id               INTEGER PRIMARY KEY,
	key              TEXT    NOT NULL UNIQUE,
	default_language TEXT    NOT NULL,
	time_zone        TEXT    NOT NULL
);

CREATE TABLE site_languages (
	site_id  INTEGER NOT NULL REFERENCES sites(id),
	language TEXT    NOT NULL,
	position INTEGER NOT NULL,
	name     TEXT    NOT NULL,
	PRIMARY KEY (site_id, language)
);

CREATE TABLE site_hosts (
	host    TEXT    PRIMARY KEY,
	site_id INTEGER NOT NULL REFERENCES sites(id)
);
CREATE INDEX site_hosts_site ON site_hosts(site_id);

CREATE TABLE sections (
	id        INTEGER PRIMARY KEY,
	site_id   INTEGER NOT NULL REFERENCES sites(id),
	parent_id INTEGER REFERENCES sections(id),
	position  INTEGER NOT NULL DEFAULT 0,
	in_nav    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sections_site ON sections(site_id);

-- site_id and parent_key (the parent's ID, 0 at the top) repeat the
-- section's own columns so that one index keeps sibling slugs unique.
CREATE TABLE section_names (
	section_id INTEGER NOT NULL REFERENCES sections(id),
	language   TEXT    NOT NULL,
	name       TEXT    NOT NULL,
	slug       TEXT    NOT NULL,
	site_id    INTEGER NOT NULL,
	parent_key INTEGER NOT NULL,
	PRIMARY KEY (section_id, language)
);
CREATE UNIQUE INDEX section_names_slug ON section_names(site_id, parent_key, language, slug);

CREATE TABLE articles (
	id                INTEGER PRIMARY KEY,
	site_id           INTEGER NOT NULL REFERENCES sites(id),
	section_id        INTEGER NOT NULL REFERENCES sections(id),
	language          TEXT    NOT NULL,
	kind              TEXT    NOT NULL,
	status            TEXT    NOT NULL,
	title             TEXT    NOT NULL,
	summary           TEXT    NOT NULL DEFAULT '',
	body              TEXT    NOT NULL DEFAULT '',
	body_html         TEXT    NOT NULL DEFAULT '',
	slug              TEXT    NOT NULL DEFAULT '',
	path              TEXT,
	published_at      INTEGER,
	pub_month         INTEGER,
	translation_group INTEGER NOT NULL,
	created_at        INTEGER NOT NULL,
	updated_at        INTEGER NOT NULL
);
CREATE UNIQUE INDEX articles_path ON articles(site_id, path) WHERE path IS NOT NULL;
CREATE UNIQUE INDEX articles_translation ON articles(translation_group, language);
CREATE INDEX articles_listing ON articles(site_id, language, status, published_at DESC);
CREATE INDEX articles_section ON articles(section_id, language, status, published_at DESC);
CREATE INDEX articles_month ON articles(site_id, language, status, pub_month);
