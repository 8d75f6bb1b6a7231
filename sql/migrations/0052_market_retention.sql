-- Market retention into live (issue 54 part 2): each book's in-play event detail captured at +0, +2 and +5
-- minutes after the match went live on it (core.live_snapshots, core.live_snapshot_prices, written by the live
-- watcher's runs), and the market types, lines and selections kept from the prematch captures at T-60, T-15
-- and T-1 minutes (analytics.market_retention, replaced per site country and kick-off date,
-- transforms/market_retention.py). analytics.betpawa_retention_vs_best: BetPawa against the best competitor.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0051_live_starts

-- core.live_snapshots -------------------------------------------------------------------------------------------
CREATE TABLE core.live_snapshots (
    site_country text NOT NULL CHECK (site_country ~ '^[a-z]{2}$'),
    sr_id bigint NOT NULL CHECK (sr_id > 0),
    book text NOT NULL,
    snapshot smallint NOT NULL CHECK (snapshot IN (0, 2, 5)),
    event_id text NOT NULL CHECK (event_id <> ''),
    due_at timestamptz NOT NULL,
    status text NOT NULL CHECK (status IN ('ok', 'failed', 'gone', 'missed')),
    reason text,
    captured_at timestamptz,
    open_outcomes integer CHECK (open_outcomes >= 0),
    suspended_outcomes integer CHECK (suspended_outcomes >= 0),
    set_aside_outcomes integer CHECK (set_aside_outcomes >= 0),
    CHECK ((status = 'ok') = (captured_at IS NOT NULL AND open_outcomes IS NOT NULL)),
    CHECK (status = 'ok' OR reason IS NOT NULL),
    PRIMARY KEY (site_country, sr_id, book, snapshot)
);
CREATE INDEX live_snapshots_due_idx ON core.live_snapshots (due_at);
COMMENT ON TABLE core.live_snapshots IS
    'Each book''s in-play event detail of each match, captured at +0, +2 and +5 minutes after the match was first '
    'seen live on the book (or its kick-off if later), per site country; the books due at one poll are asked '
    'together (docs/live.md, Retention into live). An ok snapshot is never rewritten; a failed one is retried '
    'while the snapshot is still due.';
COMMENT ON COLUMN core.live_snapshots.site_country IS
    'ISO 3166 code (lower case) of the country whose book sites were read.';
COMMENT ON COLUMN core.live_snapshots.sr_id IS 'SportRadar match id.';
COMMENT ON COLUMN core.live_snapshots.book IS 'The book (core.books).';
COMMENT ON COLUMN core.live_snapshots.snapshot IS 'Minutes after the match went live on the book: 0, 2 or 5.';
COMMENT ON COLUMN core.live_snapshots.event_id IS 'The book''s own event id asked for (core.events).';
COMMENT ON COLUMN core.live_snapshots.due_at IS
    'When the snapshot was due: the first live sighting (or the kick-off if later) plus the snapshot''s minutes.';
COMMENT ON COLUMN core.live_snapshots.status IS
    'ok: read; failed: the request or its parse failed (reason); gone: the book said the match is not in play; '
    'missed: no poll of the watch came within its tolerance of due_at (the watch was down).';
COMMENT ON COLUMN core.live_snapshots.reason IS 'Why the snapshot is not ok.';
COMMENT ON COLUMN core.live_snapshots.captured_at IS 'When the request was sent (the prices'' time), UTC.';
COMMENT ON COLUMN core.live_snapshots.open_outcomes IS 'Outcomes open (bettable) in the snapshot.';
COMMENT ON COLUMN core.live_snapshots.suspended_outcomes IS 'Outcomes shown suspended in the snapshot.';
COMMENT ON COLUMN core.live_snapshots.set_aside_outcomes IS
    'Outcomes left out: given twice at two prices, or a player the event''s rosters cannot key.';

-- core.live_snapshot_prices -------------------------------------------------------------------------------------
CREATE TABLE core.live_snapshot_prices (
    site_country text NOT NULL,
    sr_id bigint NOT NULL,
    book text NOT NULL,
    snapshot smallint NOT NULL,
    market integer NOT NULL,
    specifier text NOT NULL,
    outcome integer NOT NULL,
    price double precision CHECK (price > 1),
    state text NOT NULL CHECK (state IN ('open', 'suspended')),
    CHECK (state = 'suspended' OR price IS NOT NULL),
    PRIMARY KEY (site_country, sr_id, book, snapshot, market, specifier, outcome),
    FOREIGN KEY (site_country, sr_id, book, snapshot)
        REFERENCES core.live_snapshots (site_country, sr_id, book, snapshot) ON DELETE CASCADE
);
COMMENT ON TABLE core.live_snapshot_prices IS
    'The outcomes of each ok in-play snapshot (core.live_snapshots), keyed in the canonical vocabulary; written '
    'with its snapshot in one transaction, deleted with it.';
COMMENT ON COLUMN core.live_snapshot_prices.site_country IS 'ISO 3166 code of the sites read.';
COMMENT ON COLUMN core.live_snapshot_prices.sr_id IS 'SportRadar match id.';
COMMENT ON COLUMN core.live_snapshot_prices.book IS 'The book.';
COMMENT ON COLUMN core.live_snapshot_prices.snapshot IS 'Minutes after the match went live on the book: 0, 2 or 5.';
COMMENT ON COLUMN core.live_snapshot_prices.market IS 'Canonical (UOF) market id.';
COMMENT ON COLUMN core.live_snapshot_prices.specifier IS 'Normalised specifier (empty when none).';
COMMENT ON COLUMN core.live_snapshot_prices.outcome IS 'Canonical outcome id.';
COMMENT ON COLUMN core.live_snapshot_prices.price IS 'Decimal odds (NULL: suspended without a price).';
COMMENT ON COLUMN core.live_snapshot_prices.state IS 'open (bettable) or suspended.';

-- analytics.market_retention ------------------------------------------------------------------------------------
CREATE TABLE analytics.market_retention (
    kickoff_date date NOT NULL,
    site_country text NOT NULL CHECK (site_country ~ '^[a-z]{2}$'),
    sr_id bigint NOT NULL CHECK (sr_id > 0),
    book text NOT NULL,
    prematch_snapshot text NOT NULL CHECK (prematch_snapshot IN ('T-60', 'T-15', 'T-1')),
    live_snapshot smallint NOT NULL CHECK (live_snapshot IN (0, 2, 5)),
    sport text NOT NULL,
    country text,
    tournament text NOT NULL,
    home text NOT NULL,
    away text NOT NULL,
    kickoff timestamptz NOT NULL,
    provider text NOT NULL CHECK (provider IN ('sportradar', 'genius_sports')),
    prematch_captured_at timestamptz NOT NULL,
    live_captured_at timestamptz NOT NULL,
    market_types_prematch integer NOT NULL CHECK (market_types_prematch >= 0),
    market_types_kept integer NOT NULL CHECK (market_types_kept >= 0),
    market_retention double precision CHECK (market_retention BETWEEN 0 AND 1),
    lines_prematch integer NOT NULL CHECK (lines_prematch >= 0),
    lines_kept integer NOT NULL CHECK (lines_kept >= 0),
    line_retention double precision CHECK (line_retention BETWEEN 0 AND 1),
    selections_prematch integer NOT NULL CHECK (selections_prematch >= 0),
    selections_kept integer NOT NULL CHECK (selections_kept >= 0),
    selection_retention double precision CHECK (selection_retention BETWEEN 0 AND 1),
    key_markets_offered text[] NOT NULL,
    key_markets_dropped text[] NOT NULL,
    prices_compared integer NOT NULL CHECK (prices_compared >= 0),
    prices_moved integer NOT NULL CHECK (prices_moved >= 0),
    CHECK (market_types_kept <= market_types_prematch AND lines_kept <= lines_prematch
           AND selections_kept <= selections_prematch AND prices_moved <= prices_compared),
    PRIMARY KEY (kickoff_date, site_country, sr_id, book, prematch_snapshot, live_snapshot)
);
CREATE INDEX market_retention_country_idx ON analytics.market_retention (site_country, book, kickoff);
COMMENT ON TABLE analytics.market_retention IS
    'Per site country, match and book: what the book offered prematch at T-60, T-15 and T-1 minutes (its latest '
    'successful capture at or before, within a tolerance) and kept in play at +0, +2 and +5 minutes (docs/live.md, '
    'Retention into live). Kept: open in the live snapshot. Replaced per site country and kick-off date.';
COMMENT ON COLUMN analytics.market_retention.kickoff_date IS 'Kick-off date (UTC): the partition key.';
COMMENT ON COLUMN analytics.market_retention.site_country IS 'ISO 3166 code of the sites read.';
COMMENT ON COLUMN analytics.market_retention.sr_id IS 'SportRadar match id.';
COMMENT ON COLUMN analytics.market_retention.book IS 'The book.';
COMMENT ON COLUMN analytics.market_retention.prematch_snapshot IS
    'T-60, T-15 or T-1: minutes before the kick-off of the prematch capture compared.';
COMMENT ON COLUMN analytics.market_retention.live_snapshot IS
    'Minutes after the match went live on the book of the live snapshot compared: 0, 2 or 5.';
COMMENT ON COLUMN analytics.market_retention.sport IS 'Canonical sport key.';
COMMENT ON COLUMN analytics.market_retention.country IS 'Country or region as the book names it.';
COMMENT ON COLUMN analytics.market_retention.tournament IS 'Competition as the book names it.';
COMMENT ON COLUMN analytics.market_retention.home IS 'Home team or player as the book names it.';
COMMENT ON COLUMN analytics.market_retention.away IS 'Away team or player as the book names it.';
COMMENT ON COLUMN analytics.market_retention.kickoff IS 'The kick-off the book''s prematch list showed (UTC).';
COMMENT ON COLUMN analytics.market_retention.provider IS
    'sportradar: the book''s listing carries the SportRadar id; genius_sports: only the Genius Sports id.';
COMMENT ON COLUMN analytics.market_retention.prematch_captured_at IS 'When the prematch capture was sent (UTC).';
COMMENT ON COLUMN analytics.market_retention.live_captured_at IS 'When the live snapshot was sent (UTC).';
COMMENT ON COLUMN analytics.market_retention.market_types_prematch IS
    'Market types (canonical market ids) with an open outcome prematch.';
COMMENT ON COLUMN analytics.market_retention.market_types_kept IS
    'Of those, the market types with an open outcome in the live snapshot.';
COMMENT ON COLUMN analytics.market_retention.market_retention IS
    'market_types_kept / market_types_prematch; NULL when nothing was offered prematch.';
COMMENT ON COLUMN analytics.market_retention.lines_prematch IS
    'Market lines (market id and specifier) with an open outcome prematch.';
COMMENT ON COLUMN analytics.market_retention.lines_kept IS 'Of those, the lines with an open outcome live.';
COMMENT ON COLUMN analytics.market_retention.line_retention IS 'lines_kept / lines_prematch.';
COMMENT ON COLUMN analytics.market_retention.selections_prematch IS 'Outcomes open prematch.';
COMMENT ON COLUMN analytics.market_retention.selections_kept IS 'Of those, the outcomes open live.';
COMMENT ON COLUMN analytics.market_retention.selection_retention IS 'selections_kept / selections_prematch.';
COMMENT ON COLUMN analytics.market_retention.key_markets_offered IS
    'Key markets offered prematch: 1X2, total goals, both teams to score, double chance, first-half 1X2.';
COMMENT ON COLUMN analytics.market_retention.key_markets_dropped IS
    'Key markets offered prematch with no open outcome live.';
COMMENT ON COLUMN analytics.market_retention.prices_compared IS 'Outcomes open on both sides.';
COMMENT ON COLUMN analytics.market_retention.prices_moved IS
    'Of those, the outcomes whose decimal odds moved by 30 percent or more of the prematch odds across the switch.';

-- analytics.betpawa_retention_vs_best ---------------------------------------------------------------------------
CREATE VIEW analytics.betpawa_retention_vs_best AS
WITH competitors AS (
    SELECT kickoff_date, site_country, sr_id, prematch_snapshot, live_snapshot,
           max(market_retention) AS best_retention
    FROM analytics.market_retention
    WHERE book <> 'betpawa' AND market_retention IS NOT NULL
    GROUP BY kickoff_date, site_country, sr_id, prematch_snapshot, live_snapshot
)
SELECT b.kickoff_date, b.site_country, b.sr_id, b.prematch_snapshot, b.live_snapshot, b.sport, b.tournament,
       b.home, b.away, b.kickoff, b.provider, b.market_retention AS betpawa_retention, c.best_retention,
       (SELECT array_agg(r.book ORDER BY r.book) FROM analytics.market_retention r
        WHERE r.kickoff_date = b.kickoff_date AND r.site_country = b.site_country AND r.sr_id = b.sr_id
          AND r.prematch_snapshot = b.prematch_snapshot AND r.live_snapshot = b.live_snapshot
          AND r.book <> 'betpawa' AND r.market_retention = c.best_retention) AS best_books,
       b.market_retention - c.best_retention AS retention_gap,
       b.key_markets_dropped AS betpawa_key_markets_dropped
FROM analytics.market_retention b
JOIN competitors c USING (kickoff_date, site_country, sr_id, prematch_snapshot, live_snapshot)
WHERE b.book = 'betpawa';
COMMENT ON VIEW analytics.betpawa_retention_vs_best IS
    'BetPawa''s market retention into live against the best competitor''s on the same match, site country and '
    'pair of snapshots (analytics.market_retention).';
COMMENT ON COLUMN analytics.betpawa_retention_vs_best.kickoff_date IS 'Kick-off date (UTC).';
COMMENT ON COLUMN analytics.betpawa_retention_vs_best.site_country IS 'ISO 3166 code of the sites read.';
COMMENT ON COLUMN analytics.betpawa_retention_vs_best.sr_id IS 'SportRadar match id.';
COMMENT ON COLUMN analytics.betpawa_retention_vs_best.prematch_snapshot IS 'T-60, T-15 or T-1.';
COMMENT ON COLUMN analytics.betpawa_retention_vs_best.live_snapshot IS 'Minutes after going live: 0, 2 or 5.';
COMMENT ON COLUMN analytics.betpawa_retention_vs_best.sport IS 'Canonical sport key.';
COMMENT ON COLUMN analytics.betpawa_retention_vs_best.tournament IS 'Competition as BetPawa names it.';
COMMENT ON COLUMN analytics.betpawa_retention_vs_best.home IS 'Home team or player as BetPawa names it.';
COMMENT ON COLUMN analytics.betpawa_retention_vs_best.away IS 'Away team or player as BetPawa names it.';
COMMENT ON COLUMN analytics.betpawa_retention_vs_best.kickoff IS 'BetPawa''s kick-off (UTC).';
COMMENT ON COLUMN analytics.betpawa_retention_vs_best.provider IS 'sportradar or genius_sports (BetPawa''s listing).';
COMMENT ON COLUMN analytics.betpawa_retention_vs_best.betpawa_retention IS 'BetPawa''s market_retention.';
COMMENT ON COLUMN analytics.betpawa_retention_vs_best.best_retention IS
    'The highest market_retention among the competitors on the same match.';
COMMENT ON COLUMN analytics.betpawa_retention_vs_best.best_books IS 'The competitors with that retention.';
COMMENT ON COLUMN analytics.betpawa_retention_vs_best.retention_gap IS
    'betpawa_retention - best_retention (negative: BetPawa keeps less).';
COMMENT ON COLUMN analytics.betpawa_retention_vs_best.betpawa_key_markets_dropped IS
    'Key markets BetPawa dropped at the switch.';
