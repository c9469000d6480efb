-- Indexes that answer a section's listing questions (how many articles,
-- in which months, which ones in a month) from the index alone, as
-- SQLite's 0005 does.

DROP INDEX articles_section;
CREATE INDEX articles_section ON articles(section_id, language, status, published_at DESC) INCLUDE (pub_month, site_id);
CREATE INDEX articles_section_month ON articles(section_id, language, status, pub_month, published_at) INCLUDE (site_id);
