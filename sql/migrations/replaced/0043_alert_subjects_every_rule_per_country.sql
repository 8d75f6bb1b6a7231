-- Every alert rule judges each site country apart. The tables live_gap and keys_drift read (the live watcher's
-- and the keys' health per hour) gain site_country, in their keys; every row stored so far is Nigeria's (the
-- only country read before). The subjects of live_gap (<site country>:<SportRadar match id>), feed_stale and
-- keys_drift (<site country>:<book>) gain the prefix here, so an open condition keeps its episode and its
-- cool-down instead of alerting again under its new name (as 0040 did for list_soon and price_out_of_line).
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0031_live_coverage 0033_key_health 0040_alert_subjects_per_country

-- ------------------------------------------------------------------ the live watcher's tables
ALTER TABLE analytics.live_coverage ADD COLUMN site_country text NOT NULL DEFAULT 'ng'
    CHECK (site_country ~ '^[a-z]{2}$');
ALTER TABLE analytics.live_coverage ALTER COLUMN site_country DROP DEFAULT;
DROP INDEX IF EXISTS analytics.live_coverage_open_idx;
CREATE UNIQUE INDEX live_coverage_open_idx
    ON analytics.live_coverage (site_country, sr_id, side) WHERE closed_at IS NULL;
COMMENT ON COLUMN analytics.live_coverage.site_country IS
    'ISO 3166 code (lower case) of the country whose book sites'' live lists showed the gap: each country''s '
    'live lists are watched, and their gaps kept, apart.';

ALTER TABLE analytics.live_suspension ADD COLUMN site_country text NOT NULL DEFAULT 'ng'
    CHECK (site_country ~ '^[a-z]{2}$');
ALTER TABLE analytics.live_suspension ALTER COLUMN site_country DROP DEFAULT;
ALTER TABLE analytics.live_suspension DROP CONSTRAINT live_suspension_pkey;
ALTER TABLE analytics.live_suspension ADD PRIMARY KEY (polled_at, site_country, book);
COMMENT ON COLUMN analytics.live_suspension.site_country IS
    'ISO 3166 code (lower case) of the country whose site of the book was polled.';

-- ------------------------------------------------------------------ the keys' health per hour
ALTER TABLE analytics.key_health ADD COLUMN site_country text NOT NULL DEFAULT 'ng'
    CHECK (site_country ~ '^[a-z]{2}$');
ALTER TABLE analytics.key_health ALTER COLUMN site_country DROP DEFAULT;
ALTER TABLE analytics.key_health DROP CONSTRAINT key_health_pkey;
ALTER TABLE analytics.key_health ADD PRIMARY KEY (site_country, book, hour);
COMMENT ON TABLE analytics.key_health IS
    'Per site country, book and UTC hour: how well the book''s answers on that country''s site keyed (its '
    'successful captures of that hour, from analytics.odds_captures), recomputed whole for an hour each time a '
    'capture of it is stored. The keys_drift alert compares each hour with the same country''s book''s own '
    'last seven days.';
COMMENT ON COLUMN analytics.key_health.site_country IS
    'ISO 3166 code (lower case) of the country whose site of the book was captured.';

-- ------------------------------------------------------------------ the alert subjects
UPDATE analytics.alert_conditions SET subject = 'ng:' || subject
WHERE rule IN ('live_gap', 'feed_stale', 'keys_drift') AND subject !~ '^[a-z]{2}:';

UPDATE analytics.alerts SET subject = 'ng:' || subject
WHERE rule IN ('live_gap', 'feed_stale', 'keys_drift') AND subject !~ '^[a-z]{2}:';

COMMENT ON COLUMN analytics.alert_conditions.subject IS
    'What the condition is about, always in one site country: <site country>:<SportRadar match id> for '
    'live_gap, list_soon and price_out_of_line (one alert per match and site country, its outcomes out of line '
    'in details; a match without an SR id is named by its match key), <site country>:<book> for feed_stale '
    'and keys_drift (one alert per book edition).';
COMMENT ON COLUMN analytics.alert_conditions.rule IS
    'The rule: live_gap, list_soon, price_out_of_line, feed_stale or keys_drift (a book''s keyed share down, or '
    'its suspect share up, against its own last seven days on the same site: analytics.key_health).';
