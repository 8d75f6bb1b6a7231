-- A run's records per site country: one Dagster run may read several countries (a backfill or the demo over
-- every configured one), each book on each country's site, so the batch (core.scrape_batches), each book's
-- run (core.book_runs), its metrics (core.scrape_metrics), its unkeyed markets (core.unmapped_markets) and
-- its set-aside rows (core.quarantined_rows) are keyed by the site country too: Ghana's SportyBet no longer
-- overwrites Nigeria's failure, and each country's batch status follows its own book runs.
-- Every row is kept. A run that read several countries before left its batch row under the first country
-- read and its other rows under theirs: each (batch, country) a row names gets its batch row here, the
-- batch's times, trigger and range, and, once the batch finished, the status its own country's book runs
-- give (the batch's status where they name none); a batch that read several countries has its rows'
-- statuses re-derived the same way. The rows that point at a batch (book runs, quarantined payloads, events'
-- last batch) then reference their own country's batch.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0001_core 0004_odds_core 0007_observability 0042_site_country_core

-- ------------------------------------------------------------------ keys with the country
ALTER TABLE core.book_runs DROP CONSTRAINT book_runs_batch_id_fkey;
ALTER TABLE core.quarantine DROP CONSTRAINT quarantine_batch_id_fkey;
ALTER TABLE core.events DROP CONSTRAINT events_last_batch_id_fkey;

ALTER TABLE core.scrape_batches DROP CONSTRAINT scrape_batches_pkey, ADD PRIMARY KEY (batch_id, site_country);
ALTER TABLE core.book_runs DROP CONSTRAINT book_runs_pkey, ADD PRIMARY KEY (batch_id, site_country, book);
ALTER TABLE core.scrape_metrics DROP CONSTRAINT scrape_metrics_pkey,
    ADD PRIMARY KEY (run_id, site_country, book, kind);
ALTER TABLE core.unmapped_markets DROP CONSTRAINT unmapped_markets_pkey,
    ADD PRIMARY KEY (batch_id, site_country, book, market_key);
ALTER TABLE core.quarantined_rows DROP CONSTRAINT quarantined_rows_batch_id_stage_book_kind_sr_id_event_id_it_key,
    ADD CONSTRAINT quarantined_rows_item_key
        UNIQUE NULLS NOT DISTINCT (batch_id, site_country, stage, book, kind, sr_id, event_id, item_key);

-- ------------------------------------------------------------------ each (batch, country) its batch row
CREATE TEMPORARY VIEW country_status AS
SELECT batch_id, site_country,
       CASE WHEN bool_and(status = 'failed') THEN 'failed' WHEN bool_and(status = 'ok') THEN 'ok'
            ELSE 'partial' END AS status
FROM core.book_runs GROUP BY batch_id, site_country;

INSERT INTO core.scrape_batches (batch_id, site_country, started_at, finished_at, status, trigger,
                                 partition_start, partition_end)
SELECT b.batch_id, n.site_country, b.started_at, b.finished_at,
       CASE WHEN b.status = 'running' THEN 'running' ELSE coalesce(s.status, b.status) END,
       b.trigger, b.partition_start, b.partition_end
FROM (
    SELECT batch_id, site_country FROM core.book_runs
    UNION SELECT batch_id, site_country FROM core.quarantine WHERE batch_id IS NOT NULL
    UNION SELECT last_batch_id, site_country FROM core.events WHERE last_batch_id IS NOT NULL
) AS n
JOIN core.scrape_batches AS b ON b.batch_id = n.batch_id AND b.site_country <> n.site_country
LEFT JOIN country_status AS s ON s.batch_id = n.batch_id AND s.site_country = n.site_country;

UPDATE core.scrape_batches AS b SET status = s.status
FROM country_status AS s
WHERE s.batch_id = b.batch_id AND s.site_country = b.site_country AND b.status <> 'running'
  AND EXISTS (SELECT 1 FROM core.scrape_batches AS o
              WHERE o.batch_id = b.batch_id AND o.site_country <> b.site_country);

DROP VIEW country_status;

-- ------------------------------------------------------------------ each row its own country's batch
ALTER TABLE core.book_runs ADD CONSTRAINT book_runs_batch_fkey FOREIGN KEY (batch_id, site_country)
    REFERENCES core.scrape_batches (batch_id, site_country) ON DELETE CASCADE;
ALTER TABLE core.quarantine ADD CONSTRAINT quarantine_batch_fkey FOREIGN KEY (batch_id, site_country)
    REFERENCES core.scrape_batches (batch_id, site_country) ON DELETE CASCADE;
ALTER TABLE core.events ADD CONSTRAINT events_last_batch_fkey FOREIGN KEY (last_batch_id, site_country)
    REFERENCES core.scrape_batches (batch_id, site_country) ON DELETE SET NULL (last_batch_id);

-- ------------------------------------------------------------------ the analysts' view of the runs
-- A book run joins its own country's batch (same columns, so every reader keeps its query).
CREATE OR REPLACE VIEW analytics.scrape_runs AS
SELECT r.batch_id, b.trigger, b.status AS batch_status, b.partition_start, b.partition_end, r.book, r.status,
       r.complete, r.tournaments, r.events, r.requests, r.errors, r.error_messages, r.started_at, r.finished_at,
       r.duration_s, r.site_country
FROM core.book_runs r
JOIN core.scrape_batches b USING (batch_id, site_country);

COMMENT ON VIEW analytics.scrape_runs IS
    'One row per book, site country and scrape batch: how each book''s catalogue scrape of one country''s '
    'site went (a batch that read several countries has a row per country and book).';
COMMENT ON COLUMN analytics.scrape_runs.batch_status IS
    'Status of the batch in this site country: running, ok (every book ok), partial or failed (every book '
    'failed).';
COMMENT ON VIEW analytics.scrape_metrics IS
    'One row per Dagster run, site country, book and kind of scrape: requests, errors by kind, throttling, '
    'latency, bytes.';
