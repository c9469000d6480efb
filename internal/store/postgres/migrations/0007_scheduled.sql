-- Articles scheduled for publication, found by their time without reading
-- the others: the scheduler asks every second.
CREATE INDEX articles_due ON articles(published_at) WHERE status = 'scheduled';

-- Articles published earlier with a time still to come were never shown
-- in the stored listings when it came: they are scheduled now, and the
-- scheduler publishes them.
UPDATE articles SET status = 'scheduled'
WHERE status = 'published' AND published_at > (extract(epoch FROM clock_timestamp()) * 1000000)::bigint;
