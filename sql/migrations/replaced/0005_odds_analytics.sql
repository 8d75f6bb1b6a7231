-- Odds for analysts: comparison tables (written by the Dagster odds assets, replaced one kick-off date at a
-- time like the coverage tables) and views over the current odds, their history and the capture log.
-- Column sets follow palimpsest_pipeline/transforms/odds_compare.py (COMPARE_SCHEMA, MARGINS_SCHEMA,
-- AVAILABILITY_SCHEMA) plus kickoff_date, display names and computed_at; a test keeps them aligned.
-- Views are plain (owner's rights), as in 0003: analysts need no access to schema core.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0002_analytics_tables 0003_analytics_views 0004_odds_core

CREATE TABLE IF NOT EXISTS analytics.odds_comparison (
    kickoff_date    date NOT NULL,
    sr_id           bigint NOT NULL CHECK (sr_id > 0),
    market          integer NOT NULL,
    specifier       text NOT NULL,
    outcome         integer NOT NULL,
    market_name     text,
    outcome_name    text,
    price_betpawa   double precision CHECK (price_betpawa > 1),
    price_sportybet double precision CHECK (price_sportybet > 1),
    price_bet9ja    double precision CHECK (price_bet9ja > 1),
    best_price      double precision CHECK (best_price > 1),
    best_book       text CHECK (best_book IN ('betpawa', 'sportybet', 'bet9ja')),
    betpawa_gap     double precision CHECK (betpawa_gap <= 0),
    betpawa_rank    smallint CHECK (betpawa_rank BETWEEN 1 AND 3),
    books_offering  smallint NOT NULL CHECK (books_offering BETWEEN 0 AND 3),
    fair_price      double precision CHECK (fair_price > 1),
    fair_books      smallint NOT NULL CHECK (fair_books BETWEEN 0 AND 3),
    computed_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kickoff_date, sr_id, market, specifier, outcome),
    CHECK ((best_price IS NULL) = (books_offering = 0)),
    CHECK ((best_price IS NULL) = (best_book IS NULL))
);
CREATE INDEX IF NOT EXISTS odds_comparison_sr_id_idx ON analytics.odds_comparison (sr_id);

CREATE TABLE IF NOT EXISTS analytics.market_margins (
    kickoff_date      date NOT NULL,
    sr_id             bigint NOT NULL CHECK (sr_id > 0),
    market            integer NOT NULL,
    specifier         text NOT NULL,
    book              text NOT NULL CHECK (book IN ('betpawa', 'sportybet', 'bet9ja')),
    outcomes_expected integer CHECK (outcomes_expected >= 0),
    outcomes_open     integer NOT NULL CHECK (outcomes_open >= 0),
    margin            double precision,
    complete          boolean GENERATED ALWAYS AS (margin IS NOT NULL) STORED,
    reason            text CHECK (reason IN ('unknown_market', 'not_complete', 'unknown_outcome',
                                             'missing_outcome', 'not_all_open')),
    computed_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kickoff_date, sr_id, market, specifier, book),
    CHECK ((margin IS NULL) <> (reason IS NULL))
);

CREATE TABLE IF NOT EXISTS analytics.market_availability (
    kickoff_date date NOT NULL,
    sr_id        bigint NOT NULL CHECK (sr_id > 0),
    market       integer NOT NULL,
    specifier    text NOT NULL,
    book         text NOT NULL CHECK (book IN ('betpawa', 'sportybet', 'bet9ja')),
    availability text NOT NULL CHECK (availability IN ('offered', 'suspended', 'not_offered')),
    computed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kickoff_date, sr_id, market, specifier, book)
);

-- The match an sr_id names, for the views: its latest row in matched_events (a match moved to another day
-- keeps one row per day it was seen on until that day is recomputed; the newest computation wins).
CREATE OR REPLACE VIEW analytics.odds_current AS
SELECT o.sr_id, m.kickoff_date, m.kickoff, m.sport, m.country, m.tournament, m.home, m.away,
       o.book, o.market, o.specifier, o.outcome, o.price, o.state, o.captured_at, o.changed_at
FROM core.odds_current AS o
LEFT JOIN LATERAL (
    SELECT me.kickoff_date, me.kickoff, me.sport, me.country, me.tournament, me.home, me.away
    FROM analytics.matched_events AS me
    WHERE me.sr_id = o.sr_id
    ORDER BY me.computed_at DESC, me.kickoff_date DESC
    LIMIT 1
) AS m ON true
WHERE o.state <> 'closed';

CREATE OR REPLACE VIEW analytics.odds_history AS
SELECT sr_id, book, market, specifier, outcome, price, state, captured_at
FROM core.odds_history;

CREATE OR REPLACE VIEW analytics.odds_captures AS
SELECT sr_id, book, captured_at, batch_id, status, reason, sent_at, received_at, open_outcomes,
       mapped_outcomes,
       CASE WHEN open_outcomes > 0 THEN mapped_outcomes::double precision / open_outcomes END AS mapping_rate,
       EXTRACT(EPOCH FROM (received_at - sent_at))::double precision * 1000 AS latency_ms
FROM core.odds_captures;

CREATE OR REPLACE VIEW analytics.unmapped_markets AS
SELECT batch_id, book, market_key, outcomes, recorded_at
FROM core.unmapped_markets;

-- -------------------------------------------------------------------------------------------- comments

COMMENT ON TABLE analytics.odds_comparison IS
    'One row per match, market, line and outcome any book prices: each book''s open price side by side, the '
    'best one, BetPawa''s gap and rank, and a consensus fair price. Recomputed per kick-off date from the '
    'current odds. Only open prices count: a suspended outcome has no price here.';
COMMENT ON TABLE analytics.market_margins IS
    'Each book''s margin (overround) per match, market and line, when it prices the whole complete market; '
    'otherwise margin is null and reason says why. Recomputed per kick-off date.';
COMMENT ON TABLE analytics.market_availability IS
    'Per match, market, line and book listing the match: whether the book offers the market (an open price), '
    'has it suspended, or does not offer it. Recomputed per kick-off date.';
COMMENT ON VIEW analytics.odds_current IS
    'The latest price of every outcome each book currently offers or has suspended (closed outcomes excluded), '
    'with the match names from analytics.matched_events.';
COMMENT ON VIEW analytics.odds_history IS
    'Price changes: one row each time an outcome''s price or state changed (opened, moved, suspended, '
    'closed). The price at any moment is the latest row at or before it; nothing is written while it holds.';
COMMENT ON VIEW analytics.odds_captures IS
    'One row per match, book and capture: whether the book''s event detail was read, and how much of it '
    'could be mapped to the canonical vocabulary.';
COMMENT ON VIEW analytics.unmapped_markets IS
    'Book markets the pipeline could not map to the canonical vocabulary, with how many open outcomes they '
    'carried, per scrape batch: nothing is dropped silently.';

DO $comments$
DECLARE
    tbl text;
    col record;
BEGIN
    FOREACH tbl IN ARRAY ARRAY['odds_comparison', 'market_margins', 'market_availability', 'odds_current',
                               'odds_history', 'odds_captures', 'unmapped_markets'] LOOP
        FOR col IN SELECT * FROM (VALUES
            ('kickoff_date', 'Kick-off date (UTC) of the match; the partition key of the comparison tables.'),
            ('sr_id', 'SportRadar match id: the key shared by the three books.'),
            ('kickoff', 'Kick-off time (timestamptz, shown in UTC) from analytics.matched_events.'),
            ('sport', 'Canonical sport key: football, basketball or tennis.'),
            ('country', 'Country or region of the match as analytics.matched_events names it.'),
            ('tournament', 'Tournament name as analytics.matched_events gives it.'),
            ('home', 'Home team or player (names from analytics.matched_events).'),
            ('away', 'Away team or player (names from analytics.matched_events).'),
            ('book', 'Book: betpawa, sportybet or bet9ja.'),
            ('market', 'Canonical market id (SportRadar UOF), e.g. 1 = 1X2, 18 = total goals.'),
            ('specifier', 'Normalised market line, e.g. total=2.5 or hcp=-0.5; empty when the market has none.'),
            ('outcome', 'Canonical outcome id (SportRadar UOF), e.g. 1 home, 2 draw, 3 away, 12 over, 13 under.'),
            ('market_name', 'Readable market name from the canonical vocabulary; null for an unknown market.'),
            ('outcome_name', 'Readable outcome name from the canonical vocabulary; null when not described.'),
            ('price', 'Decimal odds (above 1.0); null when the outcome is closed or the book shows no price.'),
            ('state', 'open = can be bet on; suspended = shown but not bettable; closed (history only) = the '
                      'book stopped listing the outcome.'),
            ('captured_at', 'When the price was captured: the moment the request was sent (UTC).'),
            ('changed_at', 'When the price or state last changed (UTC); captured_at - changed_at is how long it '
                           'has held.'),
            ('price_betpawa', 'BetPawa''s open price; null when it lacks the outcome or has it suspended.'),
            ('price_sportybet', 'SportyBet''s open price; null when it lacks the outcome or has it suspended.'),
            ('price_bet9ja', 'Bet9ja''s open price; null when it lacks the outcome or has it suspended.'),
            ('best_price', 'Highest open price among the books; null when no book has an open price.'),
            ('best_book', 'Book with the best price; on a tie BetPawa, then SportyBet, then Bet9ja.'),
            ('betpawa_gap', 'price_betpawa / best_price - 1: 0 when BetPawa is best, negative when beaten '
                            '(-0.05 = 5 percent worse); null when BetPawa has no open price.'),
            ('betpawa_rank', 'Rank of BetPawa''s price among the open prices (1 = best, ties share a rank); '
                             'null when BetPawa has no open price.'),
            ('books_offering', 'How many books have an open price for the outcome (0 to 3).'),
            ('fair_price', 'Consensus fair odds: margin removed by the power method per book, probabilities '
                           'averaged over the books pricing the whole market; null when none does.'),
            ('fair_books', 'How many books the fair price rests on (0 to 3).'),
            ('outcomes_expected', 'Outcomes the canonical market has; null for an unknown market.'),
            ('outcomes_open', 'Outcomes the book has open with a price.'),
            ('margin', 'sum(1 / price) - 1 over the market''s outcomes (0.05 = 5 percent overround); null when '
                       'not computable (see reason).'),
            ('complete', 'Whether the book prices the whole complete market, i.e. margin is not null.'),
            ('reason', 'Why margin is null: unknown_market, not_complete (outcomes not exhaustive), '
                       'unknown_outcome, missing_outcome or not_all_open; null when margin is set.'),
            ('availability', 'offered = at least one open price; suspended = the market is shown but nothing is '
                             'open; not_offered = the book lists the match but not this market.'),
            ('batch_id', 'Scrape batch (Dagster run id) that made the capture.'),
            ('status', 'ok = prices read; not_listed = the book does not list the match (nothing requested); '
                       'failed = the request or its parsing failed (see reason); gone = the book answered '
                       'that the event no longer exists.'),
            ('sent_at', 'When the event request was sent (UTC); null when nothing was sent.'),
            ('received_at', 'When the answer was received (UTC); null when none came.'),
            ('open_outcomes', 'Open outcomes in the book''s answer, mapped or not.'),
            ('mapped_outcomes', 'Open outcomes that reached a canonical market key.'),
            ('mapping_rate', 'mapped_outcomes / open_outcomes; null when nothing was open.'),
            ('latency_ms', 'received_at - sent_at in milliseconds.'),
            ('market_key', 'The book''s own market key that could not be mapped.'),
            ('outcomes', 'Open outcomes of that market the batch saw, summed over its events.'),
            ('recorded_at', 'When the pipeline recorded the row (UTC).'),
            ('computed_at', 'When the pipeline computed this row (UTC).')
        ) AS c (name, comment) LOOP
            IF EXISTS (SELECT FROM information_schema.columns
                       WHERE table_schema = 'analytics' AND table_name = tbl AND column_name = col.name) THEN
                EXECUTE 'COMMENT ON COLUMN analytics.' || quote_ident(tbl) || '.' || quote_ident(col.name)
                        || ' IS ' || quote_literal(col.comment);
            END IF;
        END LOOP;
    END LOOP;
END
$comments$;

-- 'reason' means different things in two tables: the loop gave both the margins wording.
COMMENT ON COLUMN analytics.odds_captures.reason IS 'Why a capture failed; null otherwise.';
