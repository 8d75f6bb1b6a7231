-- The odds comparison per outcome and book, and the site's country everywhere: each book's price of an outcome
-- is a row (analytics.outcome_prices), the best price and BetPawa's gap and rank a row per outcome
-- (analytics.outcome_comparison), so adding a book needs no migration. BetPawa's prices left behind by the
-- market likewise (analytics.stale_outcomes, analytics.stale_outcome_prices). Every row carries site_country,
-- the country whose sites it was read from. The old wide tables odds_comparison and stale_vs_market become
-- views over the long ones with exactly their old columns, for Nigeria's three books; their rows move over.
-- price_leadership, market_margins, market_availability and suspect_markets had a book column already: they
-- gain site_country and lose the fixed list of books.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0035_listing_age_unknown

-- ------------------------------------------------------------------------------------------- the comparison

CREATE TABLE analytics.outcome_comparison (
    kickoff_date   date NOT NULL,
    site_country   text NOT NULL CHECK (site_country ~ '^[a-z]{2}$'),
    sr_id          bigint NOT NULL CHECK (sr_id > 0),
    market         integer NOT NULL,
    specifier      text NOT NULL,
    outcome        integer NOT NULL,
    market_name    text,
    outcome_name   text,
    best_price     double precision CHECK (best_price > 1),
    best_book      text,
    best_books     text[],
    betpawa_gap    double precision CHECK (betpawa_gap <= 0),
    betpawa_rank   smallint CHECK (betpawa_rank >= 1),
    books_offering smallint NOT NULL CHECK (books_offering >= 0),
    fair_price     double precision CHECK (fair_price > 1),
    fair_books     smallint NOT NULL CHECK (fair_books >= 0),
    computed_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kickoff_date, site_country, sr_id, market, specifier, outcome),
    CHECK ((best_price IS NULL) = (books_offering = 0)),
    CHECK ((best_price IS NULL) = (best_book IS NULL)),
    CHECK (best_books IS NULL OR best_book = best_books[1])
);
CREATE INDEX outcome_comparison_sr_id_idx ON analytics.outcome_comparison (sr_id);

CREATE TABLE analytics.outcome_prices (
    kickoff_date date NOT NULL,
    site_country text NOT NULL CHECK (site_country ~ '^[a-z]{2}$'),
    sr_id        bigint NOT NULL CHECK (sr_id > 0),
    market       integer NOT NULL,
    specifier    text NOT NULL,
    outcome      integer NOT NULL,
    book         text NOT NULL,
    price        double precision CHECK (price > 1),
    captured_at  timestamptz,
    stale        boolean,
    suspect      boolean,
    computed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kickoff_date, site_country, sr_id, market, specifier, outcome, book)
);
CREATE INDEX outcome_prices_sr_id_idx ON analytics.outcome_prices (sr_id);

INSERT INTO analytics.outcome_comparison
    (kickoff_date, site_country, sr_id, market, specifier, outcome, market_name, outcome_name, best_price,
     best_book, best_books, betpawa_gap, betpawa_rank, books_offering, fair_price, fair_books, computed_at)
SELECT c.kickoff_date, 'ng', c.sr_id, c.market, c.specifier, c.outcome, c.market_name, c.outcome_name,
       c.best_price, c.best_book,
       CASE WHEN c.best_price IS NOT NULL THEN
           ARRAY(SELECT b.book FROM (VALUES
                     (1, 'betpawa', c.price_betpawa, c.stale_betpawa, c.suspect_betpawa),
                     (2, 'sportybet', c.price_sportybet, c.stale_sportybet, c.suspect_sportybet),
                     (3, 'bet9ja', c.price_bet9ja, c.stale_bet9ja, c.suspect_bet9ja)
                 ) AS b (place, book, price, stale, suspect)
                 WHERE b.price = c.best_price AND NOT coalesce(b.stale, false)
                   AND NOT coalesce(b.suspect, false)
                 ORDER BY (b.book = c.best_book) DESC, b.place)
       END,
       c.betpawa_gap, c.betpawa_rank, c.books_offering, c.fair_price, c.fair_books, c.computed_at
FROM analytics.odds_comparison AS c;

-- Every old row had a column per book: each becomes a row, its price null where the book had no open price.
INSERT INTO analytics.outcome_prices
    (kickoff_date, site_country, sr_id, market, specifier, outcome, book, price, captured_at, stale, suspect,
     computed_at)
SELECT c.kickoff_date, 'ng', c.sr_id, c.market, c.specifier, c.outcome, b.book, b.price, b.captured_at,
       b.stale, b.suspect, c.computed_at
FROM analytics.odds_comparison AS c
CROSS JOIN LATERAL (VALUES
    ('betpawa', c.price_betpawa, c.captured_at_betpawa, c.stale_betpawa, c.suspect_betpawa),
    ('sportybet', c.price_sportybet, c.captured_at_sportybet, c.stale_sportybet, c.suspect_sportybet),
    ('bet9ja', c.price_bet9ja, c.captured_at_bet9ja, c.stale_bet9ja, c.suspect_bet9ja)
) AS b (book, price, captured_at, stale, suspect);

DROP TABLE analytics.odds_comparison;

CREATE VIEW analytics.odds_comparison AS
SELECT c.kickoff_date, c.sr_id, c.market, c.specifier, c.outcome, c.market_name, c.outcome_name,
       bp.price AS price_betpawa, sb.price AS price_sportybet, b9.price AS price_bet9ja,
       c.best_price, c.best_book, c.betpawa_gap, c.betpawa_rank, c.books_offering, c.fair_price, c.fair_books,
       c.computed_at,
       bp.captured_at AS captured_at_betpawa, sb.captured_at AS captured_at_sportybet,
       b9.captured_at AS captured_at_bet9ja,
       bp.stale AS stale_betpawa, sb.stale AS stale_sportybet, b9.stale AS stale_bet9ja,
       bp.suspect AS suspect_betpawa, sb.suspect AS suspect_sportybet, b9.suspect AS suspect_bet9ja
FROM analytics.outcome_comparison AS c
LEFT JOIN analytics.outcome_prices AS bp
    ON (bp.kickoff_date, bp.site_country, bp.sr_id, bp.market, bp.specifier, bp.outcome, bp.book)
     = (c.kickoff_date, c.site_country, c.sr_id, c.market, c.specifier, c.outcome, 'betpawa')
LEFT JOIN analytics.outcome_prices AS sb
    ON (sb.kickoff_date, sb.site_country, sb.sr_id, sb.market, sb.specifier, sb.outcome, sb.book)
     = (c.kickoff_date, c.site_country, c.sr_id, c.market, c.specifier, c.outcome, 'sportybet')
LEFT JOIN analytics.outcome_prices AS b9
    ON (b9.kickoff_date, b9.site_country, b9.sr_id, b9.market, b9.specifier, b9.outcome, b9.book)
     = (c.kickoff_date, c.site_country, c.sr_id, c.market, c.specifier, c.outcome, 'bet9ja')
WHERE c.site_country = 'ng';

-- ------------------------------------------------------------------------------ prices left behind by market

CREATE TABLE analytics.stale_outcomes (
    kickoff_date   date NOT NULL,
    site_country   text NOT NULL CHECK (site_country ~ '^[a-z]{2}$'),
    sr_id          bigint NOT NULL CHECK (sr_id > 0),
    sport          text NOT NULL,
    country        text NOT NULL,
    tournament     text NOT NULL,
    market         integer NOT NULL,
    market_name    text,
    specifier      text NOT NULL,
    outcome        integer NOT NULL,
    price_betpawa  double precision NOT NULL,
    betpawa_since  timestamptz NOT NULL,
    direction      text NOT NULL CHECK (direction IN ('up', 'down')),
    moved_books    text[] NOT NULL CHECK (cardinality(moved_books) >= 2),
    first_moved_at timestamptz NOT NULL,
    computed_at    timestamptz NOT NULL,
    PRIMARY KEY (kickoff_date, site_country, sr_id, market, specifier, outcome),
    CHECK (first_moved_at > betpawa_since)
);

CREATE TABLE analytics.stale_outcome_prices (
    kickoff_date date NOT NULL,
    site_country text NOT NULL CHECK (site_country ~ '^[a-z]{2}$'),
    sr_id        bigint NOT NULL CHECK (sr_id > 0),
    market       integer NOT NULL,
    specifier    text NOT NULL,
    outcome      integer NOT NULL,
    book         text NOT NULL,
    price_then   double precision,
    price        double precision,
    computed_at  timestamptz NOT NULL,
    PRIMARY KEY (kickoff_date, site_country, sr_id, market, specifier, outcome, book)
);

INSERT INTO analytics.stale_outcomes
    (kickoff_date, site_country, sr_id, sport, country, tournament, market, market_name, specifier, outcome,
     price_betpawa, betpawa_since, direction, moved_books, first_moved_at, computed_at)
SELECT kickoff_date, 'ng', sr_id, sport, country, tournament, market, market_name, specifier, outcome,
       price_betpawa, betpawa_since, direction, moved_books, first_moved_at, computed_at
FROM analytics.stale_vs_market;

-- The old per-book columns were set for the books that moved: each becomes a row.
INSERT INTO analytics.stale_outcome_prices
    (kickoff_date, site_country, sr_id, market, specifier, outcome, book, price_then, price, computed_at)
SELECT s.kickoff_date, 'ng', s.sr_id, s.market, s.specifier, s.outcome, b.book, b.price_then, b.price,
       s.computed_at
FROM analytics.stale_vs_market AS s
CROSS JOIN LATERAL (VALUES
    ('sportybet', s.sportybet_price_then, s.sportybet_price),
    ('bet9ja', s.bet9ja_price_then, s.bet9ja_price)
) AS b (book, price_then, price)
WHERE b.price_then IS NOT NULL OR b.price IS NOT NULL;

DROP TABLE analytics.stale_vs_market;

CREATE VIEW analytics.stale_vs_market AS
SELECT s.kickoff_date, s.sr_id, s.sport, s.country, s.tournament, s.market, s.market_name, s.specifier,
       s.outcome, s.price_betpawa, s.betpawa_since, s.direction, s.moved_books, s.first_moved_at,
       sb.price_then AS sportybet_price_then, sb.price AS sportybet_price,
       b9.price_then AS bet9ja_price_then, b9.price AS bet9ja_price,
       s.computed_at
FROM analytics.stale_outcomes AS s
LEFT JOIN analytics.stale_outcome_prices AS sb
    ON (sb.kickoff_date, sb.site_country, sb.sr_id, sb.market, sb.specifier, sb.outcome, sb.book)
     = (s.kickoff_date, s.site_country, s.sr_id, s.market, s.specifier, s.outcome, 'sportybet')
LEFT JOIN analytics.stale_outcome_prices AS b9
    ON (b9.kickoff_date, b9.site_country, b9.sr_id, b9.market, b9.specifier, b9.outcome, b9.book)
     = (s.kickoff_date, s.site_country, s.sr_id, s.market, s.specifier, s.outcome, 'bet9ja')
WHERE s.site_country = 'ng';

-- ------------------------------------------------------------------ the tables that had a book column already

ALTER TABLE analytics.price_leadership ADD COLUMN site_country text NOT NULL DEFAULT 'ng'
    CHECK (site_country ~ '^[a-z]{2}$');
ALTER TABLE analytics.price_leadership ALTER COLUMN site_country DROP DEFAULT;
ALTER TABLE analytics.price_leadership DROP CONSTRAINT IF EXISTS price_leadership_book_check;
ALTER TABLE analytics.price_leadership DROP CONSTRAINT price_leadership_pkey;
ALTER TABLE analytics.price_leadership
    ADD PRIMARY KEY (kickoff_date, site_country, sport, country, tournament, market, book);

ALTER TABLE analytics.market_margins ADD COLUMN site_country text NOT NULL DEFAULT 'ng'
    CHECK (site_country ~ '^[a-z]{2}$');
ALTER TABLE analytics.market_margins ALTER COLUMN site_country DROP DEFAULT;
ALTER TABLE analytics.market_margins DROP CONSTRAINT IF EXISTS market_margins_book_check;
ALTER TABLE analytics.market_margins DROP CONSTRAINT market_margins_pkey;
ALTER TABLE analytics.market_margins ADD PRIMARY KEY (kickoff_date, site_country, sr_id, market, specifier, book);

ALTER TABLE analytics.market_availability ADD COLUMN site_country text NOT NULL DEFAULT 'ng'
    CHECK (site_country ~ '^[a-z]{2}$');
ALTER TABLE analytics.market_availability ALTER COLUMN site_country DROP DEFAULT;
ALTER TABLE analytics.market_availability DROP CONSTRAINT IF EXISTS market_availability_book_check;
ALTER TABLE analytics.market_availability DROP CONSTRAINT market_availability_pkey;
ALTER TABLE analytics.market_availability
    ADD PRIMARY KEY (kickoff_date, site_country, sr_id, market, specifier, book);

ALTER TABLE analytics.suspect_markets ADD COLUMN site_country text NOT NULL DEFAULT 'ng'
    CHECK (site_country ~ '^[a-z]{2}$');
ALTER TABLE analytics.suspect_markets ALTER COLUMN site_country DROP DEFAULT;
ALTER TABLE analytics.suspect_markets DROP CONSTRAINT IF EXISTS suspect_markets_book_check;
ALTER TABLE analytics.suspect_markets DROP CONSTRAINT suspect_markets_pkey;
ALTER TABLE analytics.suspect_markets ADD PRIMARY KEY (kickoff_date, site_country, sr_id, market, specifier, book);

-- ------------------------------------------------------------------------------------------------- comments

COMMENT ON TABLE analytics.outcome_comparison IS
    'One row per match, market, line, outcome and site country any book prices: the best open price, the '
    'book(s) offering it, BetPawa''s gap and rank, and a consensus fair price. Each book''s price is in '
    'analytics.outcome_prices. Recomputed per kick-off date from the current odds; only open prices count, '
    'and a stale or suspect price takes no part.';
COMMENT ON TABLE analytics.outcome_prices IS
    'One row per match, market, line, outcome, site country and book compared on the match: the book''s open '
    'price (null when it lacks the outcome or has it suspended), when it was captured, and whether it is '
    'stale or its market suspect. The comparison itself is in analytics.outcome_comparison.';
COMMENT ON VIEW analytics.odds_comparison IS
    'Nigeria''s comparison side by side (BetPawa, SportyBet, Bet9ja): analytics.outcome_comparison with each '
    'book''s row of analytics.outcome_prices as columns. Only open prices count: a suspended outcome has no '
    'price here.';
COMMENT ON TABLE analytics.stale_outcomes IS
    'Main-market outcomes whose BetPawa price has not changed since betpawa_since while two or more '
    'competitors moved theirs the same way since then (each compared with its own price at that instant), as '
    'of the last captures before computed_at: BetPawa prices the market has left behind. The competitors'' '
    'prices are in analytics.stale_outcome_prices.';
COMMENT ON TABLE analytics.stale_outcome_prices IS
    'Per outcome of analytics.stale_outcomes, each competitor that moved: its price at betpawa_since and now.';
COMMENT ON VIEW analytics.stale_vs_market IS
    'Nigeria''s BetPawa prices left behind by the market (analytics.stale_outcomes), with SportyBet''s and '
    'Bet9ja''s prices then and now (analytics.stale_outcome_prices) as columns.';

DO $comments$
DECLARE
    tbl text;
    col record;
BEGIN
    FOREACH tbl IN ARRAY ARRAY['outcome_comparison', 'outcome_prices', 'odds_comparison', 'stale_outcomes',
                               'stale_outcome_prices', 'stale_vs_market', 'price_leadership', 'market_margins',
                               'market_availability', 'suspect_markets'] LOOP
        FOR col IN SELECT * FROM (VALUES
            ('kickoff_date', 'Kick-off date (UTC) of the match; the partition key of the comparison tables.'),
            ('site_country', 'ISO code (lower case) of the country whose sites the row was read from (ng, gh); '
                             'the tournament''s country is another thing.'),
            ('sr_id', 'SportRadar match id: the key shared by the books.'),
            ('sport', 'Sport.'),
            ('country', 'Canonical country ('''' when unknown).'),
            ('tournament', 'Canonical tournament ('''' when unplaced).'),
            ('market', 'Canonical market id (SportRadar UOF), e.g. 1 = 1X2, 18 = total goals.'),
            ('specifier', 'Normalised market line, e.g. total=2.5 or hcp=-0.5; empty when the market has none.'),
            ('outcome', 'Canonical outcome id (SportRadar UOF), e.g. 1 home, 2 draw, 3 away, 12 over, 13 under.'),
            ('market_name', 'Readable market name from the canonical vocabulary; null for an unknown market.'),
            ('outcome_name', 'Readable outcome name from the canonical vocabulary; null when not described.'),
            ('book', 'The book (betpawa, sportybet, bet9ja, ...): one row per book.'),
            ('price', 'The book''s open decimal price; null when it lacks the outcome or has it suspended.'),
            ('captured_at', 'When the book last confirmed its price (null when it has no open price).'),
            ('stale', 'True when the price is stale: older than its freshness bound or older than a failed '
                      'capture. A stale price is shown but takes no part in the comparison.'),
            ('suspect', 'True when the book''s market is in analytics.suspect_markets: its price is shown but '
                        'takes no part in the comparison.'),
            ('best_price', 'Highest fresh, unsuspected open price among the books; null when there is none.'),
            ('best_book', 'Book with the best price; on a tie BetPawa, then the books in the registry''s order.'),
            ('best_books', 'Every book offering the best price, best_book first; null when there is none.'),
            ('betpawa_gap', 'BetPawa''s price / best_price - 1: 0 when BetPawa is best, negative when beaten '
                            '(-0.05 = 5 percent worse); null when BetPawa has no fresh open price.'),
            ('betpawa_rank', 'Rank of BetPawa''s price among the fresh open prices (1 = best, ties share a '
                             'rank); null when BetPawa has no fresh open price.'),
            ('books_offering', 'How many books have a fresh, unsuspected open price for the outcome.'),
            ('fair_price', 'Consensus fair odds: margin removed by the power method per book, probabilities '
                           'averaged over the books pricing the whole market; null when none does.'),
            ('fair_books', 'How many books the fair price rests on.'),
            ('price_betpawa', 'BetPawa''s price (open, in odds_comparison; unchanged, in stale_vs_market).'),
            ('price_then', 'The competitor''s price at betpawa_since.'),
            ('computed_at', 'When the pipeline computed this row (UTC).')
        ) AS c (name, comment) LOOP
            IF EXISTS (SELECT FROM information_schema.columns
                       WHERE table_schema = 'analytics' AND table_name = tbl AND column_name = col.name)
               AND (col.name = 'site_country'
                    OR tbl IN ('outcome_comparison', 'outcome_prices', 'stale_outcomes', 'stale_outcome_prices'))
            THEN
                EXECUTE 'COMMENT ON COLUMN analytics.' || quote_ident(tbl) || '.' || quote_ident(col.name)
                        || ' IS ' || quote_literal(col.comment);
            END IF;
        END LOOP;
    END LOOP;
END
$comments$;

COMMENT ON COLUMN analytics.stale_outcomes.price_betpawa IS 'BetPawa''s current (unchanged) price.';
COMMENT ON COLUMN analytics.stale_outcomes.betpawa_since IS 'The capture at which BetPawa last changed it.';
COMMENT ON COLUMN analytics.stale_outcomes.direction IS 'How the competitors moved: up (longer odds) or down.';
COMMENT ON COLUMN analytics.stale_outcomes.moved_books IS 'The competitors that moved that way since.';
COMMENT ON COLUMN analytics.stale_outcomes.first_moved_at IS
    'The earliest of those competitors'' latest price changes (when the newest prices were first seen).';
COMMENT ON COLUMN analytics.stale_outcome_prices.book IS 'The competitor (one row per competitor that moved).';
COMMENT ON COLUMN analytics.stale_outcome_prices.price IS 'The competitor''s price now (it moved that way).';
COMMENT ON COLUMN analytics.price_leadership.book IS 'The book (one row per book).';

-- The views' columns, as the tables they replace described them.
COMMENT ON COLUMN analytics.odds_comparison.kickoff_date IS
    'Kick-off date (UTC) of the match; the partition key of the comparison tables.';
COMMENT ON COLUMN analytics.odds_comparison.sr_id IS 'SportRadar match id: the key shared by the three books.';
COMMENT ON COLUMN analytics.odds_comparison.market IS
    'Canonical market id (SportRadar UOF), e.g. 1 = 1X2, 18 = total goals.';
COMMENT ON COLUMN analytics.odds_comparison.specifier IS
    'Normalised market line, e.g. total=2.5 or hcp=-0.5; empty when the market has none.';
COMMENT ON COLUMN analytics.odds_comparison.outcome IS
    'Canonical outcome id (SportRadar UOF), e.g. 1 home, 2 draw, 3 away, 12 over, 13 under.';
COMMENT ON COLUMN analytics.odds_comparison.market_name IS
    'Readable market name from the canonical vocabulary; null for an unknown market.';
COMMENT ON COLUMN analytics.odds_comparison.outcome_name IS
    'Readable outcome name from the canonical vocabulary; null when not described.';
COMMENT ON COLUMN analytics.odds_comparison.price_betpawa IS
    'BetPawa''s open price; null when it lacks the outcome or has it suspended.';
COMMENT ON COLUMN analytics.odds_comparison.price_sportybet IS
    'SportyBet''s open price; null when it lacks the outcome or has it suspended.';
COMMENT ON COLUMN analytics.odds_comparison.price_bet9ja IS
    'Bet9ja''s open price; null when it lacks the outcome or has it suspended.';
COMMENT ON COLUMN analytics.odds_comparison.best_price IS
    'Highest open price among the books; null when no book has an open price.';
COMMENT ON COLUMN analytics.odds_comparison.best_book IS
    'Book with the best price; on a tie BetPawa, then SportyBet, then Bet9ja.';
COMMENT ON COLUMN analytics.odds_comparison.betpawa_gap IS
    'price_betpawa / best_price - 1: 0 when BetPawa is best, negative when beaten (-0.05 = 5 percent worse); '
    'null when BetPawa has no open price.';
COMMENT ON COLUMN analytics.odds_comparison.betpawa_rank IS
    'Rank of BetPawa''s price among the open prices (1 = best, ties share a rank); null when BetPawa has no '
    'open price.';
COMMENT ON COLUMN analytics.odds_comparison.books_offering IS
    'How many books have an open price for the outcome.';
COMMENT ON COLUMN analytics.odds_comparison.fair_price IS
    'Consensus fair odds: margin removed by the power method per book, probabilities averaged over the books '
    'pricing the whole market; null when none does.';
COMMENT ON COLUMN analytics.odds_comparison.fair_books IS 'How many books the fair price rests on.';
COMMENT ON COLUMN analytics.odds_comparison.computed_at IS 'When the pipeline computed this row (UTC).';
COMMENT ON COLUMN analytics.odds_comparison.captured_at_betpawa IS
    'When BetPawa last confirmed price_betpawa (null when it has no open price for this outcome).';
COMMENT ON COLUMN analytics.odds_comparison.captured_at_sportybet IS
    'When SportyBet last confirmed price_sportybet (null when it has no open price for this outcome).';
COMMENT ON COLUMN analytics.odds_comparison.captured_at_bet9ja IS
    'When Bet9ja last confirmed price_bet9ja (null when it has no open price for this outcome).';
COMMENT ON COLUMN analytics.odds_comparison.stale_betpawa IS
    'True when price_betpawa is stale: older than its freshness bound or older than a failed capture. A '
    'stale price is shown but takes no part in best_price, betpawa_rank, betpawa_gap or fair_price.';
COMMENT ON COLUMN analytics.odds_comparison.stale_sportybet IS
    'True when price_sportybet is stale (see stale_betpawa); it then takes no part in the comparison.';
COMMENT ON COLUMN analytics.odds_comparison.stale_bet9ja IS
    'True when price_bet9ja is stale (see stale_betpawa); it then takes no part in the comparison.';
COMMENT ON COLUMN analytics.odds_comparison.suspect_betpawa IS
    'True when BetPawa''s market is in analytics.suspect_markets: its price is shown but takes no part in '
    'best_price, betpawa_rank, betpawa_gap or fair_price.';
COMMENT ON COLUMN analytics.odds_comparison.suspect_sportybet IS
    'True when SportyBet''s market is in analytics.suspect_markets (see suspect_betpawa).';
COMMENT ON COLUMN analytics.odds_comparison.suspect_bet9ja IS
    'True when Bet9ja''s market is in analytics.suspect_markets (see suspect_betpawa).';

COMMENT ON COLUMN analytics.stale_vs_market.kickoff_date IS 'Kick-off date (UTC): the partition key.';
COMMENT ON COLUMN analytics.stale_vs_market.sr_id IS 'SportRadar match id.';
COMMENT ON COLUMN analytics.stale_vs_market.sport IS 'Sport.';
COMMENT ON COLUMN analytics.stale_vs_market.country IS 'Canonical country ('''' when unknown).';
COMMENT ON COLUMN analytics.stale_vs_market.tournament IS 'Canonical tournament ('''' when unplaced).';
COMMENT ON COLUMN analytics.stale_vs_market.market IS 'Canonical (SportRadar UOF) main market id.';
COMMENT ON COLUMN analytics.stale_vs_market.market_name IS 'The market''s canonical name.';
COMMENT ON COLUMN analytics.stale_vs_market.specifier IS 'Normalised specifier (total=2.5, hcp=-1; empty if none).';
COMMENT ON COLUMN analytics.stale_vs_market.outcome IS 'Canonical (UOF) outcome id.';
COMMENT ON COLUMN analytics.stale_vs_market.price_betpawa IS 'BetPawa''s current (unchanged) price.';
COMMENT ON COLUMN analytics.stale_vs_market.betpawa_since IS 'The capture at which BetPawa last changed it.';
COMMENT ON COLUMN analytics.stale_vs_market.direction IS 'How the competitors moved: up (longer odds) or down.';
COMMENT ON COLUMN analytics.stale_vs_market.moved_books IS 'The competitors that moved that way since.';
COMMENT ON COLUMN analytics.stale_vs_market.first_moved_at IS
    'The earliest of those competitors'' latest price changes (when the newest prices were first seen).';
COMMENT ON COLUMN analytics.stale_vs_market.sportybet_price_then IS 'SportyBet''s price at betpawa_since.';
COMMENT ON COLUMN analytics.stale_vs_market.sportybet_price IS 'SportyBet''s price now (when it moved that way).';
COMMENT ON COLUMN analytics.stale_vs_market.bet9ja_price_then IS 'Bet9ja''s price at betpawa_since.';
COMMENT ON COLUMN analytics.stale_vs_market.bet9ja_price IS 'Bet9ja''s price now (when it moved that way).';
COMMENT ON COLUMN analytics.stale_vs_market.computed_at IS 'When the list was computed.';
