-- In-play coverage (palimpsest_pipeline/scrape/live.py, every 30 s): each gap episode of a match live on some
-- books and not on others, and per poll and book how many live markets were suspended.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0030_alerts

CREATE TABLE IF NOT EXISTS analytics.live_coverage (
    gap_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sr_id        bigint NOT NULL CHECK (sr_id > 0),
    side         text NOT NULL CHECK (side IN ('betpawa_missing', 'competitor_missing')),
    sport        text NOT NULL,
    country      text,
    tournament   text NOT NULL,
    home         text NOT NULL,
    away         text NOT NULL,
    live_on      text[] NOT NULL CHECK (cardinality(live_on) > 0),
    missing_on   text[] NOT NULL CHECK (cardinality(missing_on) > 0),
    since        timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    closed_at    timestamptz,
    CHECK (last_seen_at >= since),
    CHECK (closed_at IS NULL OR closed_at >= last_seen_at)
);
CREATE UNIQUE INDEX IF NOT EXISTS live_coverage_open_idx
    ON analytics.live_coverage (sr_id, side) WHERE closed_at IS NULL;
CREATE INDEX IF NOT EXISTS live_coverage_since_idx ON analytics.live_coverage (since);

CREATE TABLE IF NOT EXISTS analytics.live_suspension (
    polled_at       timestamptz NOT NULL,
    book            text NOT NULL CHECK (book IN ('betpawa', 'sportybet', 'bet9ja')),
    status          text NOT NULL CHECK (status IN ('ok', 'failed', 'implausible')),
    live_events     integer CHECK (live_events >= 0),
    markets         integer CHECK (markets >= 0),
    suspended       integer CHECK (suspended >= 0 AND suspended <= markets),
    suspended_share double precision CHECK (suspended_share BETWEEN 0 AND 1),
    error           text,
    bad_rows        integer NOT NULL DEFAULT 0 CHECK (bad_rows >= 0),
    PRIMARY KEY (polled_at, book),
    CHECK ((status = 'ok') = (live_events IS NOT NULL))
);

COMMENT ON TABLE analytics.live_coverage IS
    'Live gaps: one row per episode of a match live on some books and not on others, as the live watcher saw '
    'it (a poll of the three books'' live lists every 30 s). Updated in place while the episode lasts; closed '
    '(closed_at) when it ends: BetPawa goes live, the competitors catch up, or the match leaves every list. '
    'Open gaps now: closed_at IS NULL. A book whose poll failed changes nothing (its last known state holds).';
COMMENT ON COLUMN analytics.live_coverage.gap_id IS 'The episode''s own number.';
COMMENT ON COLUMN analytics.live_coverage.sr_id IS 'SportRadar match id (how the books'' live rows are linked).';
COMMENT ON COLUMN analytics.live_coverage.side IS
    'betpawa_missing: live on a competitor, not on BetPawa (what to put live); competitor_missing: live on '
    'BetPawa and not on at least one competitor (the reverse).';
COMMENT ON COLUMN analytics.live_coverage.sport IS 'Canonical sport key (football, basketball, tennis).';
COMMENT ON COLUMN analytics.live_coverage.country IS 'Country or region as the first book showing it live names it.';
COMMENT ON COLUMN analytics.live_coverage.tournament IS 'Tournament as the first book showing it live names it '
    '(BetPawa, then SportyBet, then Bet9ja).';
COMMENT ON COLUMN analytics.live_coverage.home IS 'Home team or player, as the tournament.';
COMMENT ON COLUMN analytics.live_coverage.away IS 'Away team or player, as the tournament.';
COMMENT ON COLUMN analytics.live_coverage.live_on IS 'Books showing the match live at the latest poll.';
COMMENT ON COLUMN analytics.live_coverage.missing_on IS
    'Books not showing it live at the latest poll (always betpawa for side betpawa_missing).';
COMMENT ON COLUMN analytics.live_coverage.since IS 'The poll that first saw this episode (UTC).';
COMMENT ON COLUMN analytics.live_coverage.last_seen_at IS 'The latest poll that saw it still open (UTC).';
COMMENT ON COLUMN analytics.live_coverage.closed_at IS
    'The poll that saw it end (UTC); NULL while the gap is open.';

COMMENT ON TABLE analytics.live_suspension IS
    'Every live poll, per book: how many matches its live list showed, how many live market lines they '
    'carried and the share suspended (no outcome available). A failed or implausible answer (an empty list '
    'just after a full one) is a row with its status and error and no counts: it changed nothing.';
COMMENT ON COLUMN analytics.live_suspension.polled_at IS 'When the poll asked the three books (UTC).';
COMMENT ON COLUMN analytics.live_suspension.book IS 'betpawa, sportybet or bet9ja.';
COMMENT ON COLUMN analytics.live_suspension.status IS
    'ok; failed (no readable answer); implausible (an empty list right after a non-empty one: ignored).';
COMMENT ON COLUMN analytics.live_suspension.live_events IS 'Matches on the book''s live list (NULL unless ok).';
COMMENT ON COLUMN analytics.live_suspension.markets IS 'Live market lines those rows carried.';
COMMENT ON COLUMN analytics.live_suspension.suspended IS 'Of those, lines with no outcome available.';
COMMENT ON COLUMN analytics.live_suspension.suspended_share IS 'suspended / markets (NULL when no markets).';
COMMENT ON COLUMN analytics.live_suspension.error IS 'Why the answer was not used (failed, implausible).';
COMMENT ON COLUMN analytics.live_suspension.bad_rows IS
    'Rows of the answer that could not be read (the book changed a field?): each cost only itself.';
