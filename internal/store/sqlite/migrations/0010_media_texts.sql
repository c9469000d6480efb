-- Files uploaded in the back office: a title and alternative text per
-- language, and the documents attached to an article (listed on its page).

CREATE TABLE media_texts (
	media_id INTEGER NOT NULL REFERENCES media(id),
	language TEXT    NOT NULL,
	title    TEXT    NOT NULL DEFAULT '',
	alt      TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (media_id, language)
);

CREATE TABLE article_media (
	article_id INTEGER NOT NULL REFERENCES articles(id),
	media_id   INTEGER NOT NULL REFERENCES media(id),
	position   INTEGER NOT NULL,
	PRIMARY KEY (article_id, media_id)
);
