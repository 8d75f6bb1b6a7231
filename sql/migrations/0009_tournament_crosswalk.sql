-- One identity per tournament across the books: each book's tournament (BetPawa competition, Bet9ja group,
-- SportyBet tournament) placed on a SportRadar tournament id, with the evidence (palimpsest_pipeline/
-- transforms/crosswalk.py). Upserted per (book, tournament) by the matched_events asset, never deleted: a
-- placement outlives a quiet week of its league (status kept).
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0002_analytics_tables

CREATE TABLE IF NOT EXISTS analytics.tournament_crosswalk (
    book              text NOT NULL CHECK (book IN ('betpawa', 'sportybet', 'bet9ja')),
    tournament_id     text NOT NULL CHECK (tournament_id <> ''),
    tournament_name   text,
    country           text,
    sport             text,
    sr_tournament_id  text,
    canonical_name    text,
    canonical_country text,
    events            bigint NOT NULL CHECK (events >= 0),
    linked_events     bigint NOT NULL CHECK (linked_events >= 0),
    agreement         double precision CHECK (agreement > 0 AND agreement <= 1),
    candidates        bigint NOT NULL CHECK (candidates >= 0),
    status            text NOT NULL CHECK (status IN ('sportybet', 'placed', 'kept', 'unplaced')),
    computed_at       timestamptz NOT NULL,
    PRIMARY KEY (book, tournament_id),
    CHECK ((status = 'unplaced') = (sr_tournament_id IS NULL))
);
CREATE INDEX IF NOT EXISTS tournament_crosswalk_sr_idx ON analytics.tournament_crosswalk (sr_tournament_id);

COMMENT ON TABLE analytics.tournament_crosswalk IS
    'Each book''s tournament placed on a SportRadar tournament: SportyBet gives the id; a BetPawa competition '
    'or Bet9ja group takes the id most of its events (matched to SportyBet by SportRadar match id) belong '
    'to. Coverage tables group by the canonical name this gives.';
COMMENT ON COLUMN analytics.tournament_crosswalk.book IS 'Book: betpawa, sportybet or bet9ja.';
COMMENT ON COLUMN analytics.tournament_crosswalk.tournament_id IS 'The book''s own tournament id.';
COMMENT ON COLUMN analytics.tournament_crosswalk.tournament_name IS 'The book''s own spelling of it.';
COMMENT ON COLUMN analytics.tournament_crosswalk.country IS 'The book''s own country (region) name for it.';
COMMENT ON COLUMN analytics.tournament_crosswalk.sport IS 'Canonical sport key.';
COMMENT ON COLUMN analytics.tournament_crosswalk.sr_tournament_id IS
    'SportRadar tournament id (sr:tournament:N or sr:simple_tournament:N); null while unplaced.';
COMMENT ON COLUMN analytics.tournament_crosswalk.canonical_name IS 'The tournament''s name on SportyBet.';
COMMENT ON COLUMN analytics.tournament_crosswalk.canonical_country IS 'The tournament''s country on SportyBet.';
COMMENT ON COLUMN analytics.tournament_crosswalk.events IS 'Events the book listed in it in the latest run.';
COMMENT ON COLUMN analytics.tournament_crosswalk.linked_events IS
    'Of those, events SportyBet also lists (same SportRadar match id): the votes.';
COMMENT ON COLUMN analytics.tournament_crosswalk.agreement IS
    'Share of the linked events in the winning SportRadar tournament (1 = unanimous).';
COMMENT ON COLUMN analytics.tournament_crosswalk.candidates IS
    'SportRadar tournaments the linked events spread over; more than 1 is a split the asset check reports.';
COMMENT ON COLUMN analytics.tournament_crosswalk.status IS
    'sportybet = SportyBet''s own id; placed = by this run''s votes; kept = no vote now, the previous '
    'placement stands; unplaced = never linked (keeps its own spelling in the coverage tables).';
COMMENT ON COLUMN analytics.tournament_crosswalk.computed_at IS 'When this row was last computed.';
