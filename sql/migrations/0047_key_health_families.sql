-- analytics.key_health_families: per site country, book, event and market family, the book's open keyed
-- outcomes and those another book of the same site country prices openly under the same key, stamped with the
-- hour of the book's newest capture of the event; summed per hour, a drop in what can be compared shows where
-- it is. Each event's rows are rewritten with its comparison (derive/comparison.py).
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0046_baseline

CREATE TABLE analytics.key_health_families (
    site_country text NOT NULL CHECK (site_country ~ '^[a-z]{2}$'),
    book text NOT NULL,
    sr_id bigint NOT NULL CHECK (sr_id > 0),
    family text NOT NULL,
    hour timestamptz NOT NULL
        CHECK (hour = date_trunc('hour', hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'),
    keyed_outcomes integer NOT NULL CHECK (keyed_outcomes > 0),
    competitor_priced integer NOT NULL CHECK (competitor_priced >= 0 AND competitor_priced <= keyed_outcomes),
    computed_at timestamptz NOT NULL DEFAULT now(),
    -- the event first: an event's rows are replaced together, every book's at once
    PRIMARY KEY (site_country, sr_id, book, family)
);
-- the reader sums a book's hours
CREATE INDEX key_health_families_book_hour ON analytics.key_health_families (site_country, book, hour);
COMMENT ON TABLE analytics.key_health_families IS
    'Per site country, book, event and market family: the book''s open keyed outcomes and those another book '
    'of the same site country prices openly under the same key, as of the book''s newest capture of the event '
    '(analytics.key_health counts the open outcomes, keyed or not). An event''s rows are rewritten each time '
    'its comparison is; a book with no open price left on the event keeps its last rows.';
COMMENT ON COLUMN analytics.key_health_families.site_country IS
    'ISO 3166 code (lower case) of the country whose site of the book was captured.';
COMMENT ON COLUMN analytics.key_health_families.book IS 'The book.';
COMMENT ON COLUMN analytics.key_health_families.sr_id IS 'The event (its SportRadar match id).';
COMMENT ON COLUMN analytics.key_health_families.family IS
    'Market family: what is counted and how it is bet (score 1x2, corners total), combination, native or '
    'other (a UOF market the grammar does not read); palimpsest parse prints the families of a response.';
COMMENT ON COLUMN analytics.key_health_families.hour IS
    'Start of the UTC hour of the book''s newest capture of the event (core.odds_current.captured_at).';
COMMENT ON COLUMN analytics.key_health_families.keyed_outcomes IS
    'Open outcomes of the family the book prices on the event, each key once.';
COMMENT ON COLUMN analytics.key_health_families.competitor_priced IS
    'Of them, those another book of the site country prices openly under the same key on the event.';
COMMENT ON COLUMN analytics.key_health_families.computed_at IS 'When the event''s rows were last written.';

-- analytics.key_health_family_hours: the same counts summed per site country, book, hour and family, kept
-- exact by the writer of the per-event rows in the same transaction: what the 15-second alert and the report
-- read, a few thousand rows a book's week instead of every event's.
CREATE TABLE analytics.key_health_family_hours (
    site_country text NOT NULL CHECK (site_country ~ '^[a-z]{2}$'),
    book text NOT NULL,
    hour timestamptz NOT NULL
        CHECK (hour = date_trunc('hour', hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'),
    family text NOT NULL,
    -- no CHECK on the counts: the writer's upsert proposes changes (negative ones too) and a CHECK judges the
    -- proposed row; the writer keeps the counts within 0 and keyed, and deletes a row it brings to zero
    keyed_outcomes integer NOT NULL,
    competitor_priced integer NOT NULL,
    -- a book's hours in order: its latest hour and the days before it are one range of the key
    PRIMARY KEY (site_country, book, hour, family)
);
COMMENT ON TABLE analytics.key_health_family_hours IS
    'analytics.key_health_families summed per site country, book, UTC hour and market family, kept equal to '
    'those sums by the writer of the per-event rows in the same transaction (an hour left with no keyed '
    'outcome loses its row): what the keys_drift alert and the report read.';
COMMENT ON COLUMN analytics.key_health_family_hours.site_country IS
    'ISO 3166 code (lower case) of the country whose site of the book was captured.';
COMMENT ON COLUMN analytics.key_health_family_hours.book IS 'The book.';
COMMENT ON COLUMN analytics.key_health_family_hours.hour IS
    'Start of the UTC hour: that of the book''s newest capture of each event summed.';
COMMENT ON COLUMN analytics.key_health_family_hours.family IS
    'Market family, as analytics.key_health_families.family.';
COMMENT ON COLUMN analytics.key_health_family_hours.keyed_outcomes IS
    'Open keyed outcomes of the family, summed over the book''s events of the hour.';
COMMENT ON COLUMN analytics.key_health_family_hours.competitor_priced IS
    'Of them, those another book of the site country prices openly under the same key, summed likewise.';
