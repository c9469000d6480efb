-- Feeds in full or in summary, per site; the outbox of "suggest to a
-- friend" messages; one-time form tokens already used; the network's
-- secrets (keys that every process must share). Times are Unix
-- microseconds in UTC.

ALTER TABLE sites ADD COLUMN feed_summary INTEGER NOT NULL DEFAULT 0;

CREATE TABLE mail_outbox (
	id           INTEGER PRIMARY KEY,
	site_id      INTEGER NOT NULL REFERENCES sites(id),
	article_id   INTEGER NOT NULL,
	client       TEXT    NOT NULL,
	sender       TEXT    NOT NULL,
	recipient    TEXT    NOT NULL,
	recipient_key TEXT   NOT NULL,
	message      BLOB    NOT NULL,
	status       TEXT    NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	next_attempt INTEGER NOT NULL,
	held_until   INTEGER NOT NULL DEFAULT 0,
	last_error   TEXT    NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL,
	done_at      INTEGER
);
CREATE INDEX mail_outbox_due ON mail_outbox(status, next_attempt);
CREATE INDEX mail_outbox_site ON mail_outbox(site_id, created_at);
CREATE INDEX mail_outbox_created ON mail_outbox(created_at);
CREATE INDEX mail_outbox_recipient ON mail_outbox(recipient_key, created_at);
CREATE INDEX mail_outbox_client ON mail_outbox(client, created_at);

CREATE TABLE used_tokens (
	token   TEXT    PRIMARY KEY,
	expires INTEGER NOT NULL
);
CREATE INDEX used_tokens_expires ON used_tokens(expires);

CREATE TABLE secrets (
	name  TEXT PRIMARY KEY,
	value BLOB NOT NULL
);
