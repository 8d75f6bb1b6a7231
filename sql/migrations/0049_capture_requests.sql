-- core.capture_requests: the odds captures the kick-off sensor finds due, one row per site country, tier and
-- time window, which the country's capture worker takes, highest priority first (defs/odds/worker.py,
-- warehouse/capture_requests.py). The key makes a request idempotent (the role a run key had when each due
-- tier was a run of its own); a newer window of a tier supersedes the older ones nobody took.
-- analytics.capture_requests shows them with how long after falling due each capture started.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0048_comparison_confirmations

CREATE TABLE core.capture_requests (
    site_country text NOT NULL CHECK (site_country ~ '^[a-z]{2}$'),
    tier text NOT NULL CHECK (tier <> ''),
    window_start timestamptz NOT NULL,
    -- the sensor cursor's count of clock steps back: a window met again after one is a new request
    resets smallint NOT NULL DEFAULT 0 CHECK (resets >= 0),
    priority smallint NOT NULL CHECK (priority > 0),
    sr_ids bigint[] NOT NULL CHECK (cardinality(sr_ids) > 0),
    kickoff_dates date[] NOT NULL CHECK (cardinality(kickoff_dates) > 0),
    requested_at timestamptz NOT NULL,
    taken_by text CHECK (taken_by <> ''),
    taken_at timestamptz,
    takes smallint NOT NULL DEFAULT 0 CHECK (takes >= 0),
    captured_sr_ids bigint[] NOT NULL DEFAULT '{}',
    done_at timestamptz,
    outcome text CHECK (outcome IN ('done', 'superseded', 'failed')),
    reason text,
    CHECK ((done_at IS NULL) = (outcome IS NULL)),
    CHECK ((takes = 0) = (taken_at IS NULL)),
    PRIMARY KEY (site_country, tier, window_start, resets)
);
-- what the worker takes next: a country's undone requests by priority
CREATE INDEX capture_requests_undone ON core.capture_requests (site_country, priority DESC, window_start)
    WHERE done_at IS NULL;
-- the daily maintenance's retention
CREATE INDEX capture_requests_requested_at ON core.capture_requests (requested_at);
COMMENT ON TABLE core.capture_requests IS
    'The odds captures the kick-off sensor found due, per site country, tier and time window: the queue its '
    'capture worker takes them from, highest priority first; a newer window of a tier supersedes older ones '
    'nobody took.';
COMMENT ON COLUMN core.capture_requests.resets IS
    'How many times the clock stepped back under the sensor''s cursor: a window met again after a step is new.';
COMMENT ON COLUMN core.capture_requests.taken_by IS
    'The capture worker (Dagster run id) holding it now; NULL while waiting, and after a worker gave it back or '
    'died (what it captured stays in captured_sr_ids, the next taker captures the rest).';
COMMENT ON COLUMN core.capture_requests.captured_sr_ids IS
    'The events captured and compared so far, chunk by chunk.';

CREATE VIEW analytics.capture_requests AS
SELECT site_country, tier, window_start, priority, cardinality(sr_ids) AS events, kickoff_dates, requested_at,
       taken_at, EXTRACT(epoch FROM taken_at - window_start)::double precision AS start_delay_s, takes,
       cardinality(captured_sr_ids) AS captured_events, done_at, outcome, reason, taken_by
FROM core.capture_requests;
COMMENT ON VIEW analytics.capture_requests IS
    'Each odds capture the kick-off sensor found due (per site country, tier and time window) and what became '
    'of it: when the capture worker started it, how long after it fell due, and how it ended.';
COMMENT ON COLUMN analytics.capture_requests.site_country IS
    'ISO 3166 code (lower case) of the country whose books are captured.';
COMMENT ON COLUMN analytics.capture_requests.tier IS
    'Time-to-kick-off tier: imminent, soon or later (PALIMPSEST_ODDS_* settings).';
COMMENT ON COLUMN analytics.capture_requests.window_start IS
    'Start of the tier''s time window the capture is due for (windows aligned on the tier''s cadence).';
COMMENT ON COLUMN analytics.capture_requests.priority IS 'Higher is taken first: imminent above soon above later.';
COMMENT ON COLUMN analytics.capture_requests.events IS 'Events (SportRadar ids) the request asks for.';
COMMENT ON COLUMN analytics.capture_requests.kickoff_dates IS 'The UTC kick-off dates of those events.';
COMMENT ON COLUMN analytics.capture_requests.requested_at IS 'When the sensor put it in the queue.';
COMMENT ON COLUMN analytics.capture_requests.taken_at IS 'When a capture worker first took it; NULL: never.';
COMMENT ON COLUMN analytics.capture_requests.start_delay_s IS
    'Seconds from window_start (when it fell due) to taken_at (when its capture started).';
COMMENT ON COLUMN analytics.capture_requests.takes IS
    'How many times a worker took it (more than one: given back at a worker''s end, or its worker died).';
COMMENT ON COLUMN analytics.capture_requests.captured_events IS 'Events captured and compared so far.';
COMMENT ON COLUMN analytics.capture_requests.done_at IS 'When it ended; NULL while waiting or in progress.';
COMMENT ON COLUMN analytics.capture_requests.outcome IS
    'done (captured), superseded (a newer window of its tier came before a worker took it) or failed.';
COMMENT ON COLUMN analytics.capture_requests.reason IS 'Why it was superseded or failed.';
COMMENT ON COLUMN analytics.capture_requests.taken_by IS
    'The capture worker run (Dagster run id) holding it now; NULL while waiting.';

-- A capture worker stores each chunk of events it captures as a batch of its own, <run id>/<chunk number>.
COMMENT ON COLUMN core.archive_packs.batch_id IS
    'the scrape batch that archived the pack: the Dagster run id, or <run id>/<chunk> for a capture worker';
COMMENT ON COLUMN analytics.odds_captures.batch_id IS
    'Scrape batch that made the capture: the Dagster run id, or <run id>/<chunk number> for a capture '
    'worker''s chunk of events.';
COMMENT ON COLUMN analytics.unmapped_markets.batch_id IS
    'Scrape batch that made the capture: the Dagster run id, or <run id>/<chunk number> for a capture '
    'worker''s chunk of events.';
COMMENT ON COLUMN analytics.quarantined_rows.batch_id IS
    'The scrape batch that met the value: the Dagster run id, or <run id>/<chunk number> for a capture '
    'worker''s chunk of events.';
COMMENT ON COLUMN analytics.scrape_metrics.run_id IS
    'Dagster run id (the batch id of the stored data); a capture worker''s rows, one set per chunk of events, '
    'read <run id>/<chunk number>.';
