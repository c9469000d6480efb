-- The search index: the search package's tokens of every published
-- article, keyed by the article's ID. Tokens arrive already normalised and
-- separated by spaces, so FTS5's ascii tokenizer only has to split them on spaces (every non-ASCII byte is a token character to it). The table keeps
-- no copy of the text (content=''); contentless_delete lets an edit replace
-- a row. Filled from Go after this migration (see afterMigrate).
CREATE VIRTUAL TABLE search_fts USING fts5(
	title,
	body,
	content = '',
	contentless_delete = 1,
	tokenize = 'ascii'
);
