-- Closing prices (issue 54 part 4): at kick-off, each book's last prematch price of each outcome of a complete
-- market against the fair (no-vig) consensus of the competitors on the same bet, and BetPawa's opening price
-- against the same consensus (analytics.closing_prices, written per site country and kick-off date once the
-- matches have kicked off, transforms/closing_prices.py); analytics.closing_price_summary sums it per
-- competition, market family and book.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0052_market_retention

-- analytics.closing_prices --------------------------------------------------------------------------------------
CREATE TABLE analytics.closing_prices (
    kickoff_date date NOT NULL,
    site_country text NOT NULL CHECK (site_country ~ '^[a-z]{2}$'),
    sr_id bigint NOT NULL CHECK (sr_id > 0),
    kickoff timestamptz NOT NULL,
    sport text NOT NULL,
    competition text NOT NULL,
    market_family text NOT NULL,
    market integer NOT NULL,
    specifier text NOT NULL,
    outcome integer NOT NULL,
    book text NOT NULL,
    closing_price double precision CHECK (closing_price > 1),
    closing_at timestamptz NOT NULL,
    set_aside text CHECK (
        set_aside IN ('kickoff_disagrees', 'stale', 'suspended', 'closed', 'unreadable_price', 'negative_margin')
    ),
    implied_probability double precision CHECK (implied_probability > 0 AND implied_probability < 1),
    book_margin double precision,
    book_fair_probability double precision CHECK (book_fair_probability > 0 AND book_fair_probability < 1),
    consensus_probability double precision CHECK (consensus_probability > 0 AND consensus_probability < 1),
    consensus_price double precision CHECK (consensus_price > 1),
    consensus_books smallint NOT NULL CHECK (consensus_books >= 0),
    gap double precision,
    opening_price double precision CHECK (opening_price > 1),
    opening_at timestamptz,
    opening_gap double precision,
    computed_at timestamptz NOT NULL DEFAULT now(),
    CHECK (set_aside IS NOT NULL OR closing_price IS NOT NULL),
    CHECK (set_aside IS NULL OR gap IS NULL),
    CHECK ((consensus_probability IS NULL) = (consensus_books < 2)),
    CHECK ((opening_price IS NULL) = (opening_at IS NULL)),
    PRIMARY KEY (kickoff_date, site_country, sr_id, market, specifier, outcome, book)
);
CREATE INDEX closing_prices_competition_idx
    ON analytics.closing_prices (site_country, kickoff_date, competition, market_family);
COMMENT ON TABLE analytics.closing_prices IS
    'Per site country, match kicked off, outcome of a complete market and book that priced it before kick-off: '
    'its closing price (as of its last successful capture before kick-off), the competitors'' fair consensus '
    'on the same bet (each book''s margin removed proportionally, median over the other competitors) and the '
    'gap between them; BetPawa''s opening price too (docs/odds-comparison.md, Closing prices). Written per site '
    'country and kick-off date once its matches have kicked off, only the rows that changed; kick-off dates '
    'older than PALIMPSEST_CLOSING_PRICES_RETENTION_DAYS deleted by the daily maintenance.';
COMMENT ON COLUMN analytics.closing_prices.kickoff_date IS 'Kick-off date (UTC) of the match: the partition key.';
COMMENT ON COLUMN analytics.closing_prices.site_country IS
    'ISO 3166 code (lower case) of the country whose book sites were captured.';
COMMENT ON COLUMN analytics.closing_prices.sr_id IS 'SportRadar match id: the key shared by the books.';
COMMENT ON COLUMN analytics.closing_prices.kickoff IS 'The match''s kick-off (analytics.matches, UTC).';
COMMENT ON COLUMN analytics.closing_prices.sport IS 'Canonical sport key.';
COMMENT ON COLUMN analytics.closing_prices.competition IS
    'The canonical tournament of the match (the crosswalk''s), else the tournament as the first book names it.';
COMMENT ON COLUMN analytics.closing_prices.market_family IS
    'Market family: what is counted and how it is bet (score 1x2, score total), as markets/families.py names it.';
COMMENT ON COLUMN analytics.closing_prices.market IS 'Canonical (UOF) market id.';
COMMENT ON COLUMN analytics.closing_prices.specifier IS 'Canonical specifier: the line (total=2.5, hcp=-1), or empty.';
COMMENT ON COLUMN analytics.closing_prices.outcome IS 'Canonical (UOF) outcome id.';
COMMENT ON COLUMN analytics.closing_prices.book IS 'The book (core.books).';
COMMENT ON COLUMN analytics.closing_prices.closing_price IS
    'The outcome''s open price at the book''s last successful capture before kick-off; NULL when it was '
    'suspended or closed then.';
COMMENT ON COLUMN analytics.closing_prices.closing_at IS
    'The book''s last successful capture of the match before kick-off (UTC): when the closing price was seen.';
COMMENT ON COLUMN analytics.closing_prices.set_aside IS
    'Why the row takes no part in the consensus and has no gap: kickoff_disagrees (the book''s own kick-off '
    'differs from the match''s by more than a minute), stale (its last capture is older than the imminent '
    'tier''s reach before kick-off), suspended or closed (the outcome at that capture), unreadable_price (open '
    'without a price above 1), negative_margin (its '
    'market line''s implied probabilities sum below 1: not a price a book can mean); NULL: used.';
COMMENT ON COLUMN analytics.closing_prices.implied_probability IS '1 / closing_price.';
COMMENT ON COLUMN analytics.closing_prices.book_margin IS
    'The book''s margin on this market line at close: sum of 1 / price over its outcomes, minus 1; NULL when '
    'some outcome was not open or set aside (then the book''s market line feeds no consensus).';
COMMENT ON COLUMN analytics.closing_prices.book_fair_probability IS
    'The book''s own fair probability: implied_probability / (1 + book_margin) (proportional de-vig).';
COMMENT ON COLUMN analytics.closing_prices.consensus_probability IS
    'Median of the fair probabilities of the competitors (BetPawa and this row''s book left out) with a usable '
    'closing market line on the same bet; NULL with fewer than two.';
COMMENT ON COLUMN analytics.closing_prices.consensus_price IS 'Fair consensus price: 1 / consensus_probability.';
COMMENT ON COLUMN analytics.closing_prices.consensus_books IS
    'How many competitors (BetPawa and this row''s book left out) had a usable closing market line on the bet: '
    'they fed consensus_probability, which needs two.';
COMMENT ON COLUMN analytics.closing_prices.gap IS
    'closing_price / consensus_price - 1: the expected value of a unit staked at the closing price if the '
    'consensus is fair (negative: the book pays less than fair). NULL when set aside or without consensus.';
COMMENT ON COLUMN analytics.closing_prices.opening_price IS
    'BetPawa only: its first open price of the outcome (its first capture showing it open); NULL on other books.';
COMMENT ON COLUMN analytics.closing_prices.opening_at IS 'When the opening price was captured (UTC).';
COMMENT ON COLUMN analytics.closing_prices.opening_gap IS
    'BetPawa only: opening_price / consensus_price - 1, against the same closing consensus.';
COMMENT ON COLUMN analytics.closing_prices.computed_at IS 'When the row''s values were last written (UTC).';

-- analytics.closing_price_summary -------------------------------------------------------------------------------
CREATE VIEW analytics.closing_price_summary AS
SELECT kickoff_date, site_country, sport, competition, market_family, book,
       count(*) AS outcomes,
       count(*) FILTER (WHERE set_aside = 'stale') AS stale_outcomes,
       count(gap) AS compared_outcomes,
       count(DISTINCT sr_id) FILTER (WHERE gap IS NOT NULL) AS compared_matches,
       avg(gap) AS mean_gap,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS median_gap,
       avg((gap > 0)::integer::double precision) AS share_above_fair,
       avg(book_margin) AS mean_margin,
       count(opening_gap) AS compared_openings,
       avg(opening_gap) AS mean_opening_gap,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY opening_gap) AS median_opening_gap
FROM analytics.closing_prices
GROUP BY kickoff_date, site_country, sport, competition, market_family, book;
COMMENT ON VIEW analytics.closing_price_summary IS
    'analytics.closing_prices per kick-off date, site country, competition, market family and book: how far '
    'the book''s closing prices (and BetPawa''s opening prices) sit from the competitors'' fair consensus.';
COMMENT ON COLUMN analytics.closing_price_summary.kickoff_date IS 'Kick-off date (UTC) of the matches.';
COMMENT ON COLUMN analytics.closing_price_summary.site_country IS 'ISO 3166 code of the sites captured.';
COMMENT ON COLUMN analytics.closing_price_summary.sport IS 'Canonical sport key.';
COMMENT ON COLUMN analytics.closing_price_summary.competition IS 'Canonical tournament (closing_prices.competition).';
COMMENT ON COLUMN analytics.closing_price_summary.market_family IS 'Market family (closing_prices.market_family).';
COMMENT ON COLUMN analytics.closing_price_summary.book IS 'The book.';
COMMENT ON COLUMN analytics.closing_price_summary.outcomes IS 'Outcomes the book priced before kick-off.';
COMMENT ON COLUMN analytics.closing_price_summary.stale_outcomes IS 'Of them, set aside as stale.';
COMMENT ON COLUMN analytics.closing_price_summary.compared_outcomes IS 'Outcomes with a gap (used, with consensus).';
COMMENT ON COLUMN analytics.closing_price_summary.compared_matches IS 'Matches with at least one gap.';
COMMENT ON COLUMN analytics.closing_price_summary.mean_gap IS 'Mean of gap (expected value per unit at close).';
COMMENT ON COLUMN analytics.closing_price_summary.median_gap IS 'Median of gap.';
COMMENT ON COLUMN analytics.closing_price_summary.share_above_fair IS
    'Share of compared outcomes whose closing price is above the consensus fair price.';
COMMENT ON COLUMN analytics.closing_price_summary.mean_margin IS 'Mean of the book''s margin over its outcomes'' rows.';
COMMENT ON COLUMN analytics.closing_price_summary.compared_openings IS 'BetPawa: outcomes with an opening gap.';
COMMENT ON COLUMN analytics.closing_price_summary.mean_opening_gap IS 'BetPawa: mean of opening_gap.';
COMMENT ON COLUMN analytics.closing_price_summary.median_opening_gap IS 'BetPawa: median of opening_gap.';
