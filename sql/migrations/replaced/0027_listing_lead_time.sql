-- Catalogue history and listing lead time: what each catalogue run added, withdrew and moved per book
-- (written with the catalogue, in its transaction), how long before kick-off each book lists a match, how
-- long after the first competitor BetPawa does, and what BetPawa still lacks now
-- (palimpsest_pipeline/transforms/listing.py).
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0026_suspect_markets

CREATE TABLE IF NOT EXISTS analytics.catalogue_changes (
    changed_at       timestamptz NOT NULL,
    book             text NOT NULL CHECK (book IN ('betpawa', 'sportybet', 'bet9ja')),
    event_id         text NOT NULL CHECK (event_id <> ''),
    change           text NOT NULL CHECK (change IN ('added', 'withdrawn', 'moved')),
    sr_id            bigint CHECK (sr_id > 0),
    kickoff          timestamptz NOT NULL,
    previous_kickoff timestamptz,
    sport            text NOT NULL,
    country          text,
    tournament       text NOT NULL,
    home             text NOT NULL,
    away             text NOT NULL,
    batch_id         text,
    PRIMARY KEY (book, event_id, changed_at, change),
    CHECK ((change = 'moved') = (previous_kickoff IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS catalogue_changes_changed_at_idx ON analytics.catalogue_changes (changed_at);

CREATE TABLE IF NOT EXISTS analytics.listing_lead_time (
    kickoff_date       date NOT NULL,
    sport              text NOT NULL,
    country            text NOT NULL,
    tournament         text NOT NULL,
    book               text NOT NULL CHECK (book IN ('betpawa', 'sportybet', 'bet9ja')),
    events             integer NOT NULL CHECK (events >= 0),
    events_measured    integer NOT NULL CHECK (events_measured >= 0 AND events_measured <= events),
    median_lead_hours  double precision,
    betpawa_lag_events integer NOT NULL CHECK (betpawa_lag_events >= 0),
    betpawa_lag_hours  double precision,
    computed_at        timestamptz NOT NULL,
    PRIMARY KEY (kickoff_date, sport, country, tournament, book),
    CHECK ((median_lead_hours IS NULL) = (events_measured = 0)),
    CHECK ((betpawa_lag_hours IS NULL) = (betpawa_lag_events = 0))
);

CREATE TABLE IF NOT EXISTS analytics.to_list_now (
    kickoff_date               date NOT NULL,
    sr_id                      bigint CHECK (sr_id > 0),
    match_key                  text NOT NULL,
    sport                      text NOT NULL,
    country                    text,
    tournament                 text,
    home                       text NOT NULL,
    away                       text NOT NULL,
    kickoff                    timestamptz NOT NULL,
    hours_to_kickoff           double precision NOT NULL,
    listed_by                  text[] NOT NULL CHECK (cardinality(listed_by) > 0),
    first_listed_at            timestamptz NOT NULL,
    hours_listed_by_competitor double precision NOT NULL,
    computed_at                timestamptz NOT NULL,
    PRIMARY KEY (kickoff_date, match_key)
);

COMMENT ON TABLE analytics.catalogue_changes IS
    'Every change a catalogue run made to a book''s live events: added (listed for the first time, or again '
    'after a withdrawal), withdrawn (missed by enough complete, plausible scrapes, or re-listed under another '
    'id) and moved (kick-off changed). Written with the catalogue, in its transaction; a suspect or failed '
    'scrape changes nothing and records nothing.';
COMMENT ON COLUMN analytics.catalogue_changes.changed_at IS 'The catalogue scrape''s instant (UTC).';
COMMENT ON COLUMN analytics.catalogue_changes.book IS 'The book: betpawa, sportybet or bet9ja.';
COMMENT ON COLUMN analytics.catalogue_changes.event_id IS 'The book''s own event id.';
COMMENT ON COLUMN analytics.catalogue_changes.change IS 'added, withdrawn or moved.';
COMMENT ON COLUMN analytics.catalogue_changes.sr_id IS 'SportRadar match id, when the book gives it.';
COMMENT ON COLUMN analytics.catalogue_changes.kickoff IS 'Kick-off (UTC) after the change.';
COMMENT ON COLUMN analytics.catalogue_changes.previous_kickoff IS 'For moved: the kick-off before the change.';
COMMENT ON COLUMN analytics.catalogue_changes.sport IS 'Sport, as the project names it.';
COMMENT ON COLUMN analytics.catalogue_changes.country IS 'Country (or region) as the book names it.';
COMMENT ON COLUMN analytics.catalogue_changes.tournament IS 'Tournament as the book names it.';
COMMENT ON COLUMN analytics.catalogue_changes.home IS 'Home team as the book spells it.';
COMMENT ON COLUMN analytics.catalogue_changes.away IS 'Away team as the book spells it.';
COMMENT ON COLUMN analytics.catalogue_changes.batch_id IS 'The catalogue run (Dagster run id) that made it.';

COMMENT ON TABLE analytics.listing_lead_time IS
    'Per kick-off date, tournament (canonical names, as in analytics.matched_events) and book: how long before '
    'kick-off the book lists its matches, and how long after the first competitor BetPawa lists the same '
    'match. A listing is timed by the catalogue scrape that first saw it, so figures are within one catalogue '
    'cadence of the truth; matches a book already listed at its first scrape in this warehouse are counted '
    'but not timed (when they appeared is unknown).';
COMMENT ON COLUMN analytics.listing_lead_time.kickoff_date IS 'Kick-off date (UTC): the partition key.';
COMMENT ON COLUMN analytics.listing_lead_time.sport IS 'Sport.';
COMMENT ON COLUMN analytics.listing_lead_time.country IS 'Canonical country of the tournament ('''' when unknown).';
COMMENT ON COLUMN analytics.listing_lead_time.tournament IS 'Canonical tournament name ('''' when unplaced).';
COMMENT ON COLUMN analytics.listing_lead_time.book IS 'The book.';
COMMENT ON COLUMN analytics.listing_lead_time.events IS 'Live matches of the tournament and date the book lists.';
COMMENT ON COLUMN analytics.listing_lead_time.events_measured IS
    'Of those, the ones first seen after the book''s first scrape in this warehouse (their listing is timed).';
COMMENT ON COLUMN analytics.listing_lead_time.median_lead_hours IS
    'Median hours from the book''s first listing to kick-off over the measured matches.';
COMMENT ON COLUMN analytics.listing_lead_time.betpawa_lag_events IS
    'Measured matches listed by BetPawa and by a measured competitor (the lag''s sample; on every book row).';
COMMENT ON COLUMN analytics.listing_lead_time.betpawa_lag_hours IS
    'Median hours BetPawa listed those matches after the first competitor did (negative: before).';
COMMENT ON COLUMN analytics.listing_lead_time.computed_at IS 'When the figures were computed.';

COMMENT ON TABLE analytics.to_list_now IS
    'Matches a competitor lists and BetPawa does not, still to kick off, as of computed_at: what to list now, '
    'with how long the competitors have had them. Recomputed per kick-off date with the coverage tables.';
COMMENT ON COLUMN analytics.to_list_now.kickoff_date IS 'Kick-off date (UTC): the partition key.';
COMMENT ON COLUMN analytics.to_list_now.sr_id IS 'SportRadar match id (NULL when no competitor gives one).';
COMMENT ON COLUMN analytics.to_list_now.match_key IS 'The match''s key in analytics.matched_events.';
COMMENT ON COLUMN analytics.to_list_now.sport IS 'Sport.';
COMMENT ON COLUMN analytics.to_list_now.country IS 'Canonical country.';
COMMENT ON COLUMN analytics.to_list_now.tournament IS 'Canonical tournament.';
COMMENT ON COLUMN analytics.to_list_now.home IS 'Home team.';
COMMENT ON COLUMN analytics.to_list_now.away IS 'Away team.';
COMMENT ON COLUMN analytics.to_list_now.kickoff IS 'Kick-off (UTC).';
COMMENT ON COLUMN analytics.to_list_now.hours_to_kickoff IS 'Hours from computed_at to kick-off.';
COMMENT ON COLUMN analytics.to_list_now.listed_by IS 'The competitors listing it.';
COMMENT ON COLUMN analytics.to_list_now.first_listed_at IS 'When the first of them was first seen listing it.';
COMMENT ON COLUMN analytics.to_list_now.hours_listed_by_competitor IS 'Hours from first_listed_at to computed_at.';
COMMENT ON COLUMN analytics.to_list_now.computed_at IS 'When the list was computed.';
