-- Observability: how each book behaved in each run (scrape metrics) and which runs failed (run failures).
--
-- core.scrape_metrics: one row per Dagster run, book and kind of scrape ('catalogue' or 'odds'), written by the
-- assets right after they scrape (palimpsest_pipeline/warehouse/metrics_store.py), whether the scrape succeeded
-- or not, so a book that degrades shows up here before it shows up as missing data.
-- core.run_failures: one row per failed Dagster run, written by the run-failure sensor
-- (palimpsest_pipeline/defs/observability.py). Both are keyed so that re-writing the same run is an upsert.
-- Analysts read them through the views below (owner's rights, like 0003): no access to schema core needed.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0001_core

CREATE TABLE IF NOT EXISTS core.scrape_metrics (
    run_id          text NOT NULL CHECK (run_id <> ''),
    book            text NOT NULL CHECK (book IN ('betpawa', 'sportybet', 'bet9ja')),
    kind            text NOT NULL CHECK (kind IN ('catalogue', 'odds')),
    status          text NOT NULL CHECK (status IN ('ok', 'partial', 'failed')),
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz NOT NULL,
    requests        integer NOT NULL CHECK (requests >= 0),
    attempts        integer NOT NULL CHECK (attempts >= 0),
    failed_requests integer NOT NULL CHECK (failed_requests >= 0),
    throttled       integer NOT NULL CHECK (throttled >= 0),
    errors          jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(errors) = 'object'),
    latency_p50_ms  double precision CHECK (latency_p50_ms >= 0),
    latency_p95_ms  double precision CHECK (latency_p95_ms >= 0),
    latency_p99_ms  double precision CHECK (latency_p99_ms >= 0),
    bytes_received  bigint CHECK (bytes_received >= 0),
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, book, kind),
    CHECK (finished_at >= started_at)
);
CREATE INDEX IF NOT EXISTS scrape_metrics_started_idx ON core.scrape_metrics (started_at);

CREATE TABLE IF NOT EXISTS core.run_failures (
    run_id          text PRIMARY KEY CHECK (run_id <> ''),
    job_name        text NOT NULL,
    failed_at       timestamptz NOT NULL,
    error_message   text NOT NULL,
    step_keys       text[] NOT NULL DEFAULT '{}',
    step_errors     jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(step_errors) = 'object'),
    partition_start text,
    partition_end   text,
    partition_key   text,
    trigger         text NOT NULL DEFAULT 'manual',
    recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS run_failures_failed_at_idx ON core.run_failures (failed_at);

-- ------------------------------------------------------------------------------------------- views

CREATE OR REPLACE VIEW analytics.scrape_metrics AS
SELECT run_id, book, kind, status, started_at, finished_at,
       EXTRACT(EPOCH FROM (finished_at - started_at))::double precision AS duration_s,
       requests, attempts, failed_requests, throttled, errors,
       CASE WHEN attempts > 0 THEN (attempts - requests)::double precision / attempts END AS retry_share,
       CASE WHEN requests > 0 THEN failed_requests::double precision / requests END AS failure_rate,
       CASE WHEN attempts > 0 THEN throttled::double precision / attempts END AS throttle_rate,
       latency_p50_ms, latency_p95_ms, latency_p99_ms, bytes_received
FROM core.scrape_metrics;

COMMENT ON VIEW analytics.scrape_metrics IS
    'One row per Dagster run, book and kind of scrape: requests, errors by kind, throttling, latency, bytes.';
COMMENT ON COLUMN analytics.scrape_metrics.run_id IS 'Dagster run id (the batch id of the stored data).';
COMMENT ON COLUMN analytics.scrape_metrics.book IS 'Book scraped: betpawa, sportybet or bet9ja.';
COMMENT ON COLUMN analytics.scrape_metrics.kind IS
    'catalogue = tournament and event lists; odds = event detail requests of an odds capture.';
COMMENT ON COLUMN analytics.scrape_metrics.status IS
    'ok = nothing failed; partial = some requests failed; failed = the book gave nothing usable.';
COMMENT ON COLUMN analytics.scrape_metrics.started_at IS 'When the book''s scrape started (UTC).';
COMMENT ON COLUMN analytics.scrape_metrics.finished_at IS 'When the book''s scrape finished (UTC).';
COMMENT ON COLUMN analytics.scrape_metrics.duration_s IS 'finished_at - started_at, in seconds.';
COMMENT ON COLUMN analytics.scrape_metrics.requests IS 'Logical requests (one per URL asked for, retries not counted).';
COMMENT ON COLUMN analytics.scrape_metrics.attempts IS 'HTTP attempts, retries included.';
COMMENT ON COLUMN analytics.scrape_metrics.failed_requests IS 'Logical requests that failed after every retry.';
COMMENT ON COLUMN analytics.scrape_metrics.throttled IS 'Attempts the book answered with throttling (429 or its envelope).';
COMMENT ON COLUMN analytics.scrape_metrics.errors IS
    'Failed attempts by kind, as a JSON object (status_503, timeout, dropped, not_json, parse_..., ...).';
COMMENT ON COLUMN analytics.scrape_metrics.retry_share IS 'Share of attempts that were retries; null without attempts.';
COMMENT ON COLUMN analytics.scrape_metrics.failure_rate IS 'failed_requests / requests; null without requests.';
COMMENT ON COLUMN analytics.scrape_metrics.throttle_rate IS 'throttled / attempts; null without attempts.';
COMMENT ON COLUMN analytics.scrape_metrics.latency_p50_ms IS 'Median attempt latency in milliseconds.';
COMMENT ON COLUMN analytics.scrape_metrics.latency_p95_ms IS '95th percentile attempt latency in milliseconds.';
COMMENT ON COLUMN analytics.scrape_metrics.latency_p99_ms IS
    '99th percentile attempt latency in milliseconds; null where the scrape does not measure it.';
COMMENT ON COLUMN analytics.scrape_metrics.bytes_received IS
    'Response bytes received; null where the scrape does not measure it.';

CREATE OR REPLACE VIEW analytics.run_failures AS
SELECT run_id, job_name, failed_at, error_message, step_keys, step_errors,
       partition_start, partition_end, partition_key, trigger
FROM core.run_failures;

COMMENT ON VIEW analytics.run_failures IS 'Failed Dagster runs, recorded by the run-failure sensor.';
COMMENT ON COLUMN analytics.run_failures.run_id IS 'Dagster run id.';
COMMENT ON COLUMN analytics.run_failures.job_name IS 'Job the run executed (palimpsest_comparison, capture_odds, ...).';
COMMENT ON COLUMN analytics.run_failures.failed_at IS 'When Dagster recorded the run failure (UTC).';
COMMENT ON COLUMN analytics.run_failures.error_message IS 'Dagster''s run failure message.';
COMMENT ON COLUMN analytics.run_failures.step_keys IS 'Steps (ops) that failed; empty when the run failed outside a step.';
COMMENT ON COLUMN analytics.run_failures.step_errors IS 'Each failed step''s error message, as a JSON object by step key.';
COMMENT ON COLUMN analytics.run_failures.partition_start IS 'First kick-off date of the run''s range (range runs).';
COMMENT ON COLUMN analytics.run_failures.partition_end IS 'Last kick-off date of the run''s range (range runs).';
COMMENT ON COLUMN analytics.run_failures.partition_key IS 'The run''s single partition key (single-partition runs).';
COMMENT ON COLUMN analytics.run_failures.trigger IS
    'What started the run: manual, schedule:<name>, sensor:<name> or backfill:<id>.';
