-- Who moves first: per kick-off date, tournament, main market and book, how many price moves the book led and
-- how many it copied from another book and how late; and BetPawa's prices left behind by two competitors
-- moving together (palimpsest_pipeline/transforms/price_leadership.py).
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0030_alerts

CREATE TABLE IF NOT EXISTS analytics.price_leadership (
    kickoff_date              date NOT NULL,
    sport                     text NOT NULL,
    country                   text NOT NULL,
    tournament                text NOT NULL,
    market                    integer NOT NULL,
    market_name               text,
    book                      text NOT NULL CHECK (book IN ('betpawa', 'sportybet', 'bet9ja')),
    moves                     integer NOT NULL CHECK (moves >= 0),
    moves_led                 integer NOT NULL CHECK (moves_led >= 0 AND moves_led <= moves),
    led_moves_followed        integer NOT NULL CHECK (led_moves_followed >= 0 AND led_moves_followed <= moves_led),
    moves_followed            integer NOT NULL CHECK (moves_followed >= 0),
    moves_late                integer NOT NULL CHECK (moves_late >= 0),
    median_follow_lag_minutes double precision CHECK (median_follow_lag_minutes >= 0),
    moves_missed              integer NOT NULL CHECK (moves_missed >= 0),
    window_minutes            double precision NOT NULL CHECK (window_minutes > 0),
    computed_at               timestamptz NOT NULL,
    PRIMARY KEY (kickoff_date, sport, country, tournament, market, book),
    CHECK (moves_led + moves_followed + moves_late = moves),
    CHECK ((median_follow_lag_minutes IS NULL) = (moves_followed = 0))
);

CREATE TABLE IF NOT EXISTS analytics.stale_vs_market (
    kickoff_date         date NOT NULL,
    sr_id                bigint NOT NULL CHECK (sr_id > 0),
    sport                text NOT NULL,
    country              text NOT NULL,
    tournament           text NOT NULL,
    market               integer NOT NULL,
    market_name          text,
    specifier            text NOT NULL,
    outcome              integer NOT NULL,
    price_betpawa        double precision NOT NULL,
    betpawa_since        timestamptz NOT NULL,
    direction            text NOT NULL CHECK (direction IN ('up', 'down')),
    moved_books          text[] NOT NULL CHECK (cardinality(moved_books) >= 2),
    first_moved_at       timestamptz NOT NULL,
    sportybet_price_then double precision,
    sportybet_price      double precision,
    bet9ja_price_then    double precision,
    bet9ja_price         double precision,
    computed_at          timestamptz NOT NULL,
    PRIMARY KEY (kickoff_date, sr_id, market, specifier, outcome),
    CHECK (first_moved_at > betpawa_since)
);

COMMENT ON TABLE analytics.price_leadership IS
    'Who moves first, per kick-off date, tournament (canonical, as in analytics.matched_events), main market and '
    'book. A move is a change of an outcome''s open price between two captures of the book, timed at the '
    'capture that first shows it; the first book to show a move leads it, another book moving the same outcome '
    'the same way within window_minutes follows it (lag = the difference of the capture times, so within one '
    'capture cadence of the truth). Two books whose captures cannot order their moves both lead.';
COMMENT ON COLUMN analytics.price_leadership.kickoff_date IS 'Kick-off date (UTC): the partition key.';
COMMENT ON COLUMN analytics.price_leadership.sport IS 'Sport.';
COMMENT ON COLUMN analytics.price_leadership.country IS 'Canonical country ('''' when unknown).';
COMMENT ON COLUMN analytics.price_leadership.tournament IS 'Canonical tournament ('''' when unplaced).';
COMMENT ON COLUMN analytics.price_leadership.market IS 'Canonical (SportRadar UOF) main market id.';
COMMENT ON COLUMN analytics.price_leadership.market_name IS 'The market''s canonical name (1X2, Total goals...).';
COMMENT ON COLUMN analytics.price_leadership.book IS 'The book: betpawa, sportybet or bet9ja.';
COMMENT ON COLUMN analytics.price_leadership.moves IS
    'Price moves the book made on this market''s outcomes, less those within twice the window of the match''s '
    'first capture that copy no move seen (they may copy one made before it: not judged).';
COMMENT ON COLUMN analytics.price_leadership.moves_led IS
    'Of those, the moves no other book had made the same way within the window before (it moved first).';
COMMENT ON COLUMN analytics.price_leadership.led_moves_followed IS
    'Of the moves led, those at least one other book followed within the window.';
COMMENT ON COLUMN analytics.price_leadership.moves_followed IS
    'Of the moves, those copying another book''s earlier move the same way within the window.';
COMMENT ON COLUMN analytics.price_leadership.moves_late IS
    'Of the moves, those copying another book''s move the same way older than the window (up to twice it): '
    'followed, but too late to count; neither led nor followed.';
COMMENT ON COLUMN analytics.price_leadership.median_follow_lag_minutes IS
    'Median minutes between the leader''s move and this book''s following move (NULL when it followed none).';
COMMENT ON COLUMN analytics.price_leadership.moves_missed IS
    'Other books'' led moves on outcomes this book offered that it did not follow within the window, although '
    'captured past it (moves whose window had not ended at its last capture are not counted).';
COMMENT ON COLUMN analytics.price_leadership.window_minutes IS
    'The follow window (PALIMPSEST_LEADERSHIP_WINDOW_MINUTES) the figures were computed with.';
COMMENT ON COLUMN analytics.price_leadership.computed_at IS 'When the figures were computed.';

COMMENT ON TABLE analytics.stale_vs_market IS
    'Main-market outcomes whose BetPawa price has not changed since betpawa_since while two or more competitors '
    'moved theirs the same way since then (each compared with its own price at that instant), as of the last '
    'captures before computed_at: BetPawa prices the market has left behind.';
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
