-- The players each book has listed with their SportRadar ids for an event (SportyBet's sr:player outcomes),
-- remembered across captures: a book that names its players (BetPawa, Bet9ja) is resolved against every
-- roster the event has shown, so that one book's failed answer does not unkey another book's players.
-- Written in the transaction that stores the capture carrying the roster; an upsert, so storing a capture
-- twice changes nothing. Kept by the retention rules (warehouse/table_retention.py) on last_seen_at.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0033_key_health

CREATE TABLE IF NOT EXISTS core.event_rosters (
    sr_id         bigint NOT NULL CHECK (sr_id > 0),
    book          text NOT NULL CHECK (book <> ''),
    player_sr_id  bigint NOT NULL CHECK (player_sr_id > 0),
    name          text NOT NULL CHECK (name <> ''),
    team          text NOT NULL,
    first_seen_at timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL CHECK (last_seen_at >= first_seen_at),
    PRIMARY KEY (sr_id, book, player_sr_id, name, team)
);

CREATE INDEX IF NOT EXISTS event_rosters_last_seen ON core.event_rosters (last_seen_at);

COMMENT ON TABLE core.event_rosters IS
    'Players a book listed with their SportRadar ids for an event, one row per (event, book, player, name as '
    'written, team as written); what name-keyed player prices of other books are resolved against.';
COMMENT ON COLUMN core.event_rosters.sr_id IS 'The event''s SportRadar match id.';
COMMENT ON COLUMN core.event_rosters.book IS 'The book whose answer listed the player with its id.';
COMMENT ON COLUMN core.event_rosters.player_sr_id IS 'The player''s SportRadar id (sr:player:<id>).';
COMMENT ON COLUMN core.event_rosters.name IS 'The player''s name as the book wrote it.';
COMMENT ON COLUMN core.event_rosters.team IS 'The team as the book wrote it beside the name; empty when none.';
COMMENT ON COLUMN core.event_rosters.first_seen_at IS 'Capture time of the first stored answer listing it.';
COMMENT ON COLUMN core.event_rosters.last_seen_at IS 'Capture time of the latest stored answer listing it.';
