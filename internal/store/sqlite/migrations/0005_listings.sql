-- Indexes that answer a section's listing questions without reading the
-- articles' rows: how many it holds, in which months, which ones in a
-- month. Rows hold the bodies, and the columns after them (path,
-- published_at, pub_month) are reached only through the body's overflow
-- pages, so a query that filtered by reading rows read every body of the
-- site: a month archive of a 10,000-article site took 28 ms, now 1 ms.
-- site_id is in both so that they cover every condition of a listing.

DROP INDEX articles_section;
CREATE INDEX articles_section ON articles(section_id, language, status, published_at DESC, pub_month, site_id);
CREATE INDEX articles_section_month ON articles(section_id, language, status, pub_month, published_at, site_id);
