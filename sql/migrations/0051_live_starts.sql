-- Late live starts (issue 54 part 1): when each book first showed each match on its live list
-- (core.live_sightings, written by every live poll) and, from those, the prematch catalogue and the polls'
-- statuses, each match's start on each book (analytics.live_starts, replaced per site country and kick-off
-- date by the live poll's transaction, transforms/live_starts.py). analytics.betpawa_late_starts: BetPawa
-- late where a competitor was on time, the trader's finding.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0050_wide_views_analysts_read

-- core.live_sightings -------------------------------------------------------------------------------------------
CREATE TABLE core.live_sightings (
    site_country text NOT NULL CHECK (site_country ~ '^[a-z]{2}$'),
    book text NOT NULL,
    sr_id bigint NOT NULL CHECK (sr_id > 0),
    first_live_at timestamptz NOT NULL,
    match_minute integer CHECK (match_minute >= 0),
    live_kickoff timestamptz NOT NULL,
    PRIMARY KEY (site_country, book, sr_id)
);
CREATE INDEX live_sightings_first_live_idx ON core.live_sightings (first_live_at);
COMMENT ON TABLE core.live_sightings IS
    'The first usable live poll that showed each match on each book''s live list, per site country: written '
    'once (a later poll changes nothing), in the poll''s transaction.';
COMMENT ON COLUMN core.live_sightings.site_country IS
    'ISO 3166 code (lower case) of the country whose book sites'' live lists were polled.';
COMMENT ON COLUMN core.live_sightings.book IS 'The book (core.books).';
COMMENT ON COLUMN core.live_sightings.sr_id IS 'SportRadar match id (how the live rows are linked).';
COMMENT ON COLUMN core.live_sightings.first_live_at IS 'The poll that first showed the match live (UTC).';
COMMENT ON COLUMN core.live_sightings.match_minute IS
    'The match minute the book''s live row reported at that poll; NULL where the row carries none or it could '
    'not be read.';
COMMENT ON COLUMN core.live_sightings.live_kickoff IS 'The kick-off the live row showed (UTC).';

-- analytics.live_starts -----------------------------------------------------------------------------------------
CREATE TABLE analytics.live_starts (
    kickoff_date date NOT NULL,
    site_country text NOT NULL CHECK (site_country ~ '^[a-z]{2}$'),
    sr_id bigint NOT NULL CHECK (sr_id > 0),
    book text NOT NULL,
    event_id text NOT NULL CHECK (event_id <> ''),
    sport text NOT NULL,
    country text,
    tournament text NOT NULL,
    home text NOT NULL,
    away text NOT NULL,
    kickoff timestamptz NOT NULL,
    status text NOT NULL CHECK (
        status IN ('on_time', 'late', 'never_live', 'removed', 'unmonitored', 'rescheduled')
    ),
    first_live_at timestamptz,
    minutes_to_live double precision,
    match_minute integer CHECK (match_minute >= 0),
    reason text CHECK (reason IN ('match_delayed', 'coverage_late')),
    CHECK ((reason IS NULL) OR (status = 'late' AND match_minute IS NOT NULL)),
    PRIMARY KEY (kickoff_date, site_country, sr_id, book)
);
CREATE INDEX live_starts_status_idx ON analytics.live_starts (site_country, status, kickoff);
COMMENT ON TABLE analytics.live_starts IS
    'How each match listed prematch went live on each book, per site country, once its kick-off has passed and '
    'its start can be judged (docs/live.md, Late starts): on_time, late, never_live, removed, unmonitored or '
    'rescheduled. Replaced per site country and kick-off date by every live poll.';
COMMENT ON COLUMN analytics.live_starts.kickoff_date IS 'Kick-off date (UTC) of the match: the partition key.';
COMMENT ON COLUMN analytics.live_starts.site_country IS
    'ISO 3166 code (lower case) of the country whose book sites were read.';
COMMENT ON COLUMN analytics.live_starts.sr_id IS 'SportRadar match id: the key shared by the books.';
COMMENT ON COLUMN analytics.live_starts.book IS 'The book (core.books).';
COMMENT ON COLUMN analytics.live_starts.event_id IS 'The book''s own event id (core.events).';
COMMENT ON COLUMN analytics.live_starts.sport IS 'Canonical sport key.';
COMMENT ON COLUMN analytics.live_starts.country IS 'Country or region as the book names it.';
COMMENT ON COLUMN analytics.live_starts.tournament IS 'Tournament as the book names it.';
COMMENT ON COLUMN analytics.live_starts.home IS 'Home team or player as the book names it.';
COMMENT ON COLUMN analytics.live_starts.away IS 'Away team or player as the book names it.';
COMMENT ON COLUMN analytics.live_starts.kickoff IS 'The kick-off the book''s prematch list showed last (UTC).';
COMMENT ON COLUMN analytics.live_starts.status IS
    'on_time: live before a usable poll at or after kick-off plus 5 minutes missed it; late: such a poll missed '
    'it; never_live: not live at a usable poll at or after kick-off plus 90 minutes; removed: gone from the '
    'prematch list more than 30 minutes before kick-off; unmonitored: the book was not watched at kick-off '
    '(monitor down or book failing), not counted late; rescheduled: kick-off moved by more than a minute, no '
    'late alarm.';
COMMENT ON COLUMN analytics.live_starts.first_live_at IS
    'The first usable poll that showed the match live, within 90 minutes of kick-off (UTC); NULL: none yet.';
COMMENT ON COLUMN analytics.live_starts.minutes_to_live IS
    'Minutes from kick-off to first_live_at (counted to the poll, so up to a poll interval more than the truth).';
COMMENT ON COLUMN analytics.live_starts.match_minute IS
    'The match minute the book''s live row reported at first_live_at; NULL where it carries none.';
COMMENT ON COLUMN analytics.live_starts.reason IS
    'For a late match seen live: match_delayed (the feed''s minute was 5 or less: the match itself started '
    'late) or coverage_late (the match was under way); NULL otherwise or when the minute is unknown.';

-- analytics.betpawa_late_starts ---------------------------------------------------------------------------------
CREATE VIEW analytics.betpawa_late_starts AS
SELECT b.kickoff_date, b.site_country, b.sr_id, b.sport, b.country, b.tournament, b.home, b.away, b.kickoff,
       b.first_live_at, b.minutes_to_live, b.match_minute, b.reason,
       array_agg(c.book ORDER BY c.book) AS on_time_on
FROM analytics.live_starts b
JOIN analytics.live_starts c
  ON c.kickoff_date = b.kickoff_date AND c.site_country = b.site_country AND c.sr_id = b.sr_id
 AND c.book <> 'betpawa' AND c.status = 'on_time'
WHERE b.book = 'betpawa' AND b.status = 'late'
GROUP BY b.kickoff_date, b.site_country, b.sr_id, b.sport, b.country, b.tournament, b.home, b.away, b.kickoff,
         b.first_live_at, b.minutes_to_live, b.match_minute, b.reason;
COMMENT ON VIEW analytics.betpawa_late_starts IS
    'The trader''s finding: matches BetPawa started late (analytics.live_starts status late) where at least one '
    'competitor on the same country''s sites was on time.';
COMMENT ON COLUMN analytics.betpawa_late_starts.kickoff_date IS 'Kick-off date (UTC) of the match.';
COMMENT ON COLUMN analytics.betpawa_late_starts.site_country IS 'ISO 3166 code of the sites read.';
COMMENT ON COLUMN analytics.betpawa_late_starts.sr_id IS 'SportRadar match id.';
COMMENT ON COLUMN analytics.betpawa_late_starts.sport IS 'Canonical sport key.';
COMMENT ON COLUMN analytics.betpawa_late_starts.country IS 'Country or region as BetPawa names it.';
COMMENT ON COLUMN analytics.betpawa_late_starts.tournament IS 'Tournament as BetPawa names it.';
COMMENT ON COLUMN analytics.betpawa_late_starts.home IS 'Home team or player as BetPawa names it.';
COMMENT ON COLUMN analytics.betpawa_late_starts.away IS 'Away team or player as BetPawa names it.';
COMMENT ON COLUMN analytics.betpawa_late_starts.kickoff IS 'BetPawa''s kick-off (UTC).';
COMMENT ON COLUMN analytics.betpawa_late_starts.first_live_at IS 'When BetPawa was first seen live (NULL: not yet).';
COMMENT ON COLUMN analytics.betpawa_late_starts.minutes_to_live IS 'Minutes from kick-off to first_live_at.';
COMMENT ON COLUMN analytics.betpawa_late_starts.match_minute IS 'The match minute BetPawa showed then.';
COMMENT ON COLUMN analytics.betpawa_late_starts.reason IS 'match_delayed or coverage_late (live_starts.reason).';
COMMENT ON COLUMN analytics.betpawa_late_starts.on_time_on IS 'The competitors that were on time.';
