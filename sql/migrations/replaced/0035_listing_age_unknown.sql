-- How long the competitors have had a match BetPawa lacks is unknown, not 0 hours, when one of them already
-- listed it at the first scrape of its kick-off date in the warehouse (a fresh warehouse's first scrape:
-- every such age read 0): analytics.to_list_now.hours_listed_by_competitor becomes nullable. Both listing
-- tables now judge a listing against the first scrape that covered its kick-off date, not the book's first
-- scrape of any date (palimpsest_pipeline/transforms/listing.py); the comments say so.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0034_event_rosters

ALTER TABLE analytics.to_list_now ALTER COLUMN hours_listed_by_competitor DROP NOT NULL;

COMMENT ON TABLE analytics.listing_lead_time IS
    'Per kick-off date, tournament (canonical names, as in analytics.matched_events) and book: how long before '
    'kick-off the book lists its matches, and how long after the first competitor BetPawa lists the same '
    'match. A listing is timed by the catalogue scrape that first saw it, so figures are within one catalogue '
    'cadence of the truth; matches a book already listed at the first scrape of their kick-off date in this '
    'warehouse (the book''s earliest first_seen_at among its events of that date in core.events: a catalogue '
    'run stores only the events of its dates) are counted but not timed (when they appeared is unknown).';
COMMENT ON COLUMN analytics.listing_lead_time.events_measured IS
    'Of those, the ones first seen after the book''s first scrape of their kick-off date in this warehouse '
    '(their listing is timed).';

COMMENT ON COLUMN analytics.to_list_now.first_listed_at IS
    'When the first of them was first seen listing it (for an untimed listing: the first scrape of its '
    'kick-off date, after the listing itself).';
COMMENT ON COLUMN analytics.to_list_now.hours_listed_by_competitor IS
    'Hours from first_listed_at to computed_at; NULL (unknown) when a competitor listing it already did at '
    'the first scrape of its kick-off date in this warehouse (its earliest first_seen_at among the book''s '
    'events of that date in core.events), so it may have listed it for any time before.';
