-- In-play suspension (issue 54 part 3): per site country, kick-off date, book, market family and match
-- phase, how many live market lines the live polls observed and how many of them were suspended
-- (analytics.inplay_suspension, added to by every live poll in its transaction, transforms/
-- inplay_suspension.py). The phase of a poll comes from the book's own live row: its half, or after_goal
-- when its score differs from the one it showed a few minutes before (core.inplay_scores, kept only as long
-- as that comparison needs); the matches counted once per row (core.inplay_suspension_matches).
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0055_closing_price_days

-- core.inplay_scores ----------------------------------------------------------------------------------------
CREATE TABLE core.inplay_scores (
    site_country text NOT NULL CHECK (site_country ~ '^[a-z]{2}$'),
    book text NOT NULL,
    sr_id bigint NOT NULL CHECK (sr_id > 0),
    polled_at timestamptz NOT NULL,
    home_score integer NOT NULL CHECK (home_score >= 0),
    away_score integer NOT NULL CHECK (away_score >= 0),
    PRIMARY KEY (site_country, book, sr_id, polled_at)
);
COMMENT ON TABLE core.inplay_scores IS
    'The score each book''s live row showed at each usable live poll, per site country: what the next polls '
    'compare with to see a goal. Written in the poll''s transaction; rows older than the comparison needs are '
    'deleted by the same transaction.';
COMMENT ON COLUMN core.inplay_scores.site_country IS
    'ISO 3166 code (lower case) of the country whose book sites'' live lists were polled.';
COMMENT ON COLUMN core.inplay_scores.book IS 'The book (core.books).';
COMMENT ON COLUMN core.inplay_scores.sr_id IS 'SportRadar match id (how the live rows are linked).';
COMMENT ON COLUMN core.inplay_scores.polled_at IS 'The poll (UTC).';
COMMENT ON COLUMN core.inplay_scores.home_score IS 'Goals of the home side the row showed.';
COMMENT ON COLUMN core.inplay_scores.away_score IS 'Goals of the away side the row showed.';

-- analytics.inplay_suspension -------------------------------------------------------------------------------
CREATE TABLE analytics.inplay_suspension (
    site_country text NOT NULL CHECK (site_country ~ '^[a-z]{2}$'),
    kickoff_date date NOT NULL,
    book text NOT NULL,
    market_family text NOT NULL,
    phase text NOT NULL CHECK (phase IN ('first_half', 'half_time', 'second_half', 'after_goal')),
    lines_observed bigint NOT NULL CHECK (lines_observed >= 0),
    lines_suspended bigint NOT NULL CHECK (lines_suspended >= 0 AND lines_suspended <= lines_observed),
    suspended_share double precision GENERATED ALWAYS AS (
        lines_suspended::double precision / NULLIF(lines_observed, 0)
    ) STORED,
    matches integer NOT NULL CHECK (matches >= 0),
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (site_country, kickoff_date, book, market_family, phase)
);
CREATE INDEX inplay_suspension_kickoff_date_idx ON analytics.inplay_suspension (kickoff_date);
COMMENT ON TABLE analytics.inplay_suspension IS
    'In-play suspension per site country, UTC kick-off date, book, market family and match phase: the live '
    'market lines the live polls observed on the book''s live list (each line once per poll) and how many '
    'were suspended (no outcome could be backed). Added to by each live poll in its transaction (one writer '
    'per country); a row the poll could not place in a phase is not counted (docs/live.md). Kept '
    'PALIMPSEST_LIVE_COVERAGE_RETENTION_DAYS by kick-off date, as the live tables.';
COMMENT ON COLUMN analytics.inplay_suspension.site_country IS
    'ISO 3166 code (lower case) of the country whose book sites'' live lists were polled.';
COMMENT ON COLUMN analytics.inplay_suspension.kickoff_date IS 'UTC date of the match''s kick-off on the book.';
COMMENT ON COLUMN analytics.inplay_suspension.book IS 'The book (core.books).';
COMMENT ON COLUMN analytics.inplay_suspension.market_family IS
    'The canonical market family of the lines (markets/families.py: "goals 1x2", "goals total"...).';
COMMENT ON COLUMN analytics.inplay_suspension.phase IS
    'first_half, half_time or second_half as the book''s live row gave it; after_goal when its score differed '
    'from the one it showed 3 minutes before (a goal in those minutes), whatever the half.';
COMMENT ON COLUMN analytics.inplay_suspension.lines_observed IS
    'Live market lines observed: each line of each match once per poll.';
COMMENT ON COLUMN analytics.inplay_suspension.lines_suspended IS 'Of those, the lines shown suspended.';
COMMENT ON COLUMN analytics.inplay_suspension.suspended_share IS
    'lines_suspended / lines_observed (NULL when none were observed).';
COMMENT ON COLUMN analytics.inplay_suspension.matches IS 'Distinct matches whose lines were observed.';
COMMENT ON COLUMN analytics.inplay_suspension.updated_at IS 'The last poll that added to the row (UTC).';

-- core.inplay_suspension_matches ----------------------------------------------------------------------------
CREATE TABLE core.inplay_suspension_matches (
    site_country text NOT NULL,
    kickoff_date date NOT NULL,
    book text NOT NULL,
    market_family text NOT NULL,
    phase text NOT NULL,
    sr_id bigint NOT NULL,
    PRIMARY KEY (site_country, kickoff_date, book, market_family, phase, sr_id)
);
CREATE INDEX inplay_suspension_matches_kickoff_date_idx ON core.inplay_suspension_matches (kickoff_date);
COMMENT ON TABLE core.inplay_suspension_matches IS
    'Each match counted in a row of analytics.inplay_suspension, so a poll counts a match only once there.';
COMMENT ON COLUMN core.inplay_suspension_matches.site_country IS 'As analytics.inplay_suspension.';
COMMENT ON COLUMN core.inplay_suspension_matches.kickoff_date IS 'As analytics.inplay_suspension.';
COMMENT ON COLUMN core.inplay_suspension_matches.book IS 'As analytics.inplay_suspension.';
COMMENT ON COLUMN core.inplay_suspension_matches.market_family IS 'As analytics.inplay_suspension.';
COMMENT ON COLUMN core.inplay_suspension_matches.phase IS 'As analytics.inplay_suspension.';
COMMENT ON COLUMN core.inplay_suspension_matches.sr_id IS 'SportRadar match id.';

-- analytics.live_suspension: what the poll could not place in a phase -------------------------------------
ALTER TABLE analytics.live_suspension ADD COLUMN inplay_set_aside jsonb;
COMMENT ON COLUMN analytics.live_suspension.inplay_set_aside IS
    'The book''s football live rows this poll left out of analytics.inplay_suspension, per reason (no readable '
    'score, no score of the book''s from 3 minutes before, no readable half): their count. NULL: none.';
