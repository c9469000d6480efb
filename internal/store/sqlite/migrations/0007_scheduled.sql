-- Articles scheduled for publication, found by their time without reading
-- the others: the scheduler asks every second.
CREATE INDEX articles_due ON articles(published_at) WHERE status = 'scheduled';
