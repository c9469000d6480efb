-- The search index: the search package's tokens of every published
-- article. Tokens arrive normalised and separated by spaces, so FTS5's
-- ascii tokenizer only splits them on spaces (every non-ASCII byte is a
-- token character to it). The table keeps no copy of the text
-- (content=''); contentless_delete lets an edit replace a row.
--
-- tags holds filter tokens (kind, section) for the filters that would
-- otherwise make a search read every match. The row's key is the
-- article's search_key: its publication second times a million plus its
-- ID modulo a million, so that rowid order is publication order and a
-- date range is a rowid range. Filled from Go when the store opens.
CREATE VIRTUAL TABLE search_fts USING fts5(
	title,
	body,
	tags,
	content = '',
	contentless_delete = 1,
	tokenize = 'ascii'
);

ALTER TABLE articles ADD COLUMN search_key INTEGER;
CREATE UNIQUE INDEX articles_search_key ON articles(search_key);
