-- Analyst views over the core catalogue and scrape log.
-- Plain views (not security_invoker, not security_barrier) owned by the migrating role: an analyst granted
-- SELECT on a view reads through the owner's rights and needs no access to schema core at all.
-- depends: 0001_core

CREATE OR REPLACE VIEW analytics.events AS
SELECT book, event_id, sr_id, home, away, kickoff, kickoff_date, tournament_id, tournament_name, country,
       sport, first_seen_at, last_seen_at, last_batch_id
FROM core.events
WHERE deleted_at IS NULL;

COMMENT ON VIEW analytics.events IS
    'Upcoming events each book currently lists (live rows of the catalogue; withdrawn events are excluded).';
COMMENT ON COLUMN analytics.events.book IS 'Book listing the event: betpawa, sportybet or bet9ja.';
COMMENT ON COLUMN analytics.events.event_id IS 'The book''s own event id, as the book uses it in requests.';
COMMENT ON COLUMN analytics.events.sr_id IS
    'SportRadar match id the book gives; null when it gives none (never a Genius Sports id).';
COMMENT ON COLUMN analytics.events.home IS 'Home team or player as the book spells it.';
COMMENT ON COLUMN analytics.events.away IS 'Away team or player as the book spells it.';
COMMENT ON COLUMN analytics.events.kickoff IS 'Scheduled kick-off (timestamptz, shown in UTC).';
COMMENT ON COLUMN analytics.events.kickoff_date IS 'Kick-off date in UTC (derived from kickoff).';
COMMENT ON COLUMN analytics.events.tournament_id IS 'The book''s own tournament id.';
COMMENT ON COLUMN analytics.events.tournament_name IS 'Tournament name as the book gives it.';
COMMENT ON COLUMN analytics.events.country IS 'Country or region as the book names it; null when it gives none.';
COMMENT ON COLUMN analytics.events.sport IS 'Canonical sport key: football, basketball or tennis.';
COMMENT ON COLUMN analytics.events.first_seen_at IS 'When a scrape first saw the event listed (UTC).';
COMMENT ON COLUMN analytics.events.last_seen_at IS 'When a scrape last saw the event listed (UTC).';
COMMENT ON COLUMN analytics.events.last_batch_id IS
    'Scrape batch (Dagster run id) that last stored the event; see analytics.scrape_runs.';

CREATE OR REPLACE VIEW analytics.tournaments AS
SELECT book, tournament_id, name, country, sport, event_count, first_seen_at, last_seen_at
FROM core.tournaments
WHERE deleted_at IS NULL;

COMMENT ON VIEW analytics.tournaments IS 'Tournaments each book currently lists (withdrawn ones excluded).';
COMMENT ON COLUMN analytics.tournaments.book IS 'Book listing the tournament: betpawa, sportybet or bet9ja.';
COMMENT ON COLUMN analytics.tournaments.tournament_id IS 'The book''s own tournament id.';
COMMENT ON COLUMN analytics.tournaments.name IS 'Tournament name as the book gives it.';
COMMENT ON COLUMN analytics.tournaments.country IS 'Country or region as the book names it; null when it gives none.';
COMMENT ON COLUMN analytics.tournaments.sport IS 'Canonical sport key: football, basketball or tennis.';
COMMENT ON COLUMN analytics.tournaments.event_count IS
    'Upcoming events the book''s own catalogue claims for the tournament; null when it does not say.';
COMMENT ON COLUMN analytics.tournaments.first_seen_at IS 'When a scrape first saw the tournament (UTC).';
COMMENT ON COLUMN analytics.tournaments.last_seen_at IS 'When a scrape last saw the tournament (UTC).';

CREATE OR REPLACE VIEW analytics.scrape_runs AS
SELECT r.batch_id, b.trigger, b.status AS batch_status, b.partition_start, b.partition_end,
       r.book, r.status, r.complete, r.tournaments, r.events, r.requests, r.errors, r.error_messages,
       r.started_at, r.finished_at, r.duration_s
FROM core.book_runs AS r
JOIN core.scrape_batches AS b USING (batch_id);

COMMENT ON VIEW analytics.scrape_runs IS
    'One row per book per scrape batch: how each book''s catalogue scrape went.';
COMMENT ON COLUMN analytics.scrape_runs.batch_id IS 'Scrape batch id: the Dagster run id (or a uuid outside Dagster).';
COMMENT ON COLUMN analytics.scrape_runs.trigger IS
    'What started the batch: manual, schedule:<name>, sensor:<name> or backfill:<id>.';
COMMENT ON COLUMN analytics.scrape_runs.batch_status IS
    'Status of the whole batch: running, ok (every book ok), partial or failed (every book failed).';
COMMENT ON COLUMN analytics.scrape_runs.partition_start IS 'First kick-off date the batch covered.';
COMMENT ON COLUMN analytics.scrape_runs.partition_end IS 'Last kick-off date the batch covered (inclusive).';
COMMENT ON COLUMN analytics.scrape_runs.book IS 'Book scraped: betpawa, sportybet or bet9ja.';
COMMENT ON COLUMN analytics.scrape_runs.status IS
    'ok = everything read; partial = some requests failed; failed = the book gave nothing usable.';
COMMENT ON COLUMN analytics.scrape_runs.complete IS
    'Whether every page of every list was read; only then are unlisted events marked withdrawn.';
COMMENT ON COLUMN analytics.scrape_runs.tournaments IS 'Tournaments the scrape found.';
COMMENT ON COLUMN analytics.scrape_runs.events IS 'Events the scrape found (after de-duplication).';
COMMENT ON COLUMN analytics.scrape_runs.requests IS 'HTTP requests made, retries included.';
COMMENT ON COLUMN analytics.scrape_runs.errors IS 'Errors by kind, a JSON object such as {"http_429": 3, "timeout": 1}.';
COMMENT ON COLUMN analytics.scrape_runs.error_messages IS 'The first error messages, a JSON array of strings.';
COMMENT ON COLUMN analytics.scrape_runs.started_at IS 'When the book''s scrape started (UTC).';
COMMENT ON COLUMN analytics.scrape_runs.finished_at IS 'When the book''s scrape finished (UTC).';
COMMENT ON COLUMN analytics.scrape_runs.duration_s IS 'finished_at - started_at, in seconds.';
