-- The search index: the search package's tokens of every published
-- article, as tsvectors built in Go from search.IndexText (each
-- space-separated token one lexeme, at its position), so that PostgreSQL
-- indexes exactly the tokens SQLite's FTS5 table holds, whatever the
-- database's locale. An article that is not published has NULL vectors
-- and no search key.
--
-- search_tags holds the filter tokens (kind, section). search_key is the
-- article's publication second times a million plus its ID modulo a
-- million, as in SQLite: key order is publication order, and a date range
-- is a key range. Filled from Go when the store opens.
ALTER TABLE articles
	ADD COLUMN search_key   BIGINT,
	ADD COLUMN search_title tsvector,
	ADD COLUMN search_body  tsvector,
	ADD COLUMN search_tags  tsvector;
CREATE UNIQUE INDEX articles_search_key ON articles(search_key);
-- Searches match this very expression: titles weigh A, bodies B.
CREATE INDEX articles_search_text ON articles
	USING gin ((setweight(search_title, 'A') || setweight(search_body, 'B')));
CREATE INDEX articles_search_tags ON articles USING gin (search_tags);
