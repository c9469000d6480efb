-- The back office: the people who run the sites and their roles on each,
-- their signed-in sessions, one-time tokens, failed sign-ins, the audit
-- log and every saved revision of an article. Times are Unix microseconds
-- in UTC. Sessions and tokens are kept by the SHA-256 of their secret,
-- never the secret itself.

-- email is stored in lower case; password_hash is '' until one is chosen;
-- totp_secret is NULL while two-factor sign-in is off; recovery_codes
-- holds the hashes of the unused recovery codes, one a line.
CREATE TABLE users (
	id             INTEGER PRIMARY KEY,
	email          TEXT    NOT NULL UNIQUE,
	name           TEXT    NOT NULL DEFAULT '',
	password_hash  TEXT    NOT NULL DEFAULT '',
	totp_secret    BLOB,
	totp_step      INTEGER NOT NULL DEFAULT 0,
	recovery_codes TEXT    NOT NULL DEFAULT '',
	network_admin  INTEGER NOT NULL DEFAULT 0,
	disabled       INTEGER NOT NULL DEFAULT 0,
	language       TEXT    NOT NULL DEFAULT 'en',
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL
);

-- One role per user and site; no row, no role.
CREATE TABLE site_roles (
	user_id INTEGER NOT NULL REFERENCES users(id),
	site_id INTEGER NOT NULL REFERENCES sites(id),
	role    TEXT    NOT NULL,
	PRIMARY KEY (user_id, site_id)
);
CREATE INDEX site_roles_site ON site_roles(site_id);

-- verified is 0 between the password and the second factor.
CREATE TABLE sessions (
	hash       BLOB    PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id),
	verified   INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	seen_at    INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	address    TEXT    NOT NULL DEFAULT '',
	user_agent TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

-- A token is for one purpose (setup, password, preview) and names the
-- user or the article it is for, and who gave it, when it does.
CREATE TABLE tokens (
	hash       BLOB    PRIMARY KEY,
	purpose    TEXT    NOT NULL,
	user_id    INTEGER REFERENCES users(id),
	article_id INTEGER REFERENCES articles(id),
	created_by INTEGER REFERENCES users(id),
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX tokens_expires ON tokens(expires_at);

-- One row per failed sign-in, under a key ("user:…", "addr:…").
CREATE TABLE sign_in_failures (
	key TEXT    NOT NULL,
	at  INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_key ON sign_in_failures(key, at);

-- The audit log names users, sites and articles by number without
-- references: it is a record, and outlives what it names. email is the
-- user's address when it happened.
CREATE TABLE audit_log (
	id         INTEGER PRIMARY KEY,
	at         INTEGER NOT NULL,
	user_id    INTEGER,
	email      TEXT    NOT NULL DEFAULT '',
	site_id    INTEGER,
	action     TEXT    NOT NULL,
	article_id INTEGER,
	detail     TEXT    NOT NULL DEFAULT '',
	address    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_site ON audit_log(site_id, id);
CREATE INDEX audit_log_user ON audit_log(user_id, id);

-- An article as each save left it, never changed. user_id is who saved it
-- (NULL for the command line or an import), kept as a number like the
-- audit log's; source is, for a translation, the revision of the source
-- article it was translated from.
CREATE TABLE revisions (
	id         INTEGER PRIMARY KEY,
	article_id INTEGER NOT NULL REFERENCES articles(id),
	user_id    INTEGER,
	created_at INTEGER NOT NULL,
	section_id INTEGER NOT NULL,
	kind       TEXT    NOT NULL,
	title      TEXT    NOT NULL,
	summary    TEXT    NOT NULL DEFAULT '',
	body       TEXT    NOT NULL DEFAULT '',
	note       TEXT    NOT NULL DEFAULT '',
	public     INTEGER NOT NULL DEFAULT 0,
	source     INTEGER REFERENCES revisions(id)
);
CREATE INDEX revisions_article ON revisions(article_id, id);
