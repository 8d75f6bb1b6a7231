-- The wide Nigerian views keep their meaning now that MSport and Betway are read in Nigeria too: they were
-- written for BetPawa, SportyBet and Bet9ja (price_<book> and <book>_events columns, on_all_three, "how many
-- of the three books"), while the long tables under them count every book of the site. Each figure that
-- counts books is computed here over the three alone: a match or an outcome none of them lists has no row;
-- matched, betpawa_only, competitor_only, on_all_three and the only_<book> counts, book_count and status,
-- best price, best book, BetPawa's gap and rank and books_offering are the three books'. Unchanged: the
-- per-book columns, and the comparison's fair price (a consensus of every book pricing the whole market,
-- which it cannot re-derive) and stale_vs_market's first_moved_at. Other books and countries: the long tables.
-- analytics.odds_current read matched_events for a match's names: it reads analytics.matches, every book's.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0036_long_catalogue 0037_long_comparison 0038_books_as_data

CREATE VIEW core.ng_three_book_matches AS
SELECT m.kickoff_date, m.match_key, m.sr_id, m.sport, m.sr_category_id, m.canonical_country,
       m.tournament_key, m.linked_by,
       bool_or(l.book = 'betpawa') AS on_betpawa,
       bool_or(l.book = 'sportybet') AS on_sportybet,
       bool_or(l.book = 'bet9ja') AS on_bet9ja,
       count(*) AS listed
FROM analytics.matches AS m
JOIN analytics.match_listings AS l
    ON l.kickoff_date = m.kickoff_date AND l.site_country = m.site_country AND l.match_key = m.match_key
WHERE m.site_country = 'ng' AND l.book IN ('betpawa', 'sportybet', 'bet9ja')
GROUP BY m.kickoff_date, m.match_key, m.sr_id, m.sport, m.sr_category_id, m.canonical_country,
         m.tournament_key, m.linked_by;
COMMENT ON VIEW core.ng_three_book_matches IS
    'Nigeria''s matches listed by BetPawa, SportyBet or Bet9ja, with which of the three list each (listed: '
    'how many): what the wide analytics views count (0039_wide_views_three_books.sql).';

CREATE OR REPLACE VIEW analytics.matched_events AS
SELECT m.kickoff_date,
       m.match_key,
       m.sr_id,
       m.kickoff,
       m.sport,
       m.country,
       m.tournament,
       m.home,
       m.away,
       m.name_source,
       betpawa.event_id AS betpawa_event_id,
       sportybet.event_id AS sportybet_event_id,
       bet9ja.event_id AS bet9ja_event_id,
       betpawa.event_id IS NOT NULL AS on_betpawa,
       sportybet.event_id IS NOT NULL AS on_sportybet,
       bet9ja.event_id IS NOT NULL AS on_bet9ja,
       t.listed::smallint AS book_count,
       CASE WHEN NOT t.on_betpawa THEN 'competitor_only'
            WHEN t.listed = 1 THEN 'betpawa_only'
            ELSE 'matched' END AS status,
       m.computed_at,
       m.genius_id,
       m.linked_by,
       betpawa.tournament_id AS betpawa_tournament_id,
       sportybet.tournament_id AS sportybet_tournament_id,
       bet9ja.tournament_id AS bet9ja_tournament_id,
       m.tournament_key,
       m.sr_tournament_id,
       m.canonical_tournament,
       m.sr_category_id,
       m.canonical_country,
       m.country_iso
FROM analytics.matches AS m
JOIN core.ng_three_book_matches AS t ON t.kickoff_date = m.kickoff_date AND t.match_key = m.match_key
LEFT JOIN analytics.match_listings AS betpawa
    ON betpawa.kickoff_date = m.kickoff_date AND betpawa.site_country = m.site_country
   AND betpawa.match_key = m.match_key AND betpawa.book = 'betpawa'
LEFT JOIN analytics.match_listings AS sportybet
    ON sportybet.kickoff_date = m.kickoff_date AND sportybet.site_country = m.site_country
   AND sportybet.match_key = m.match_key AND sportybet.book = 'sportybet'
LEFT JOIN analytics.match_listings AS bet9ja
    ON bet9ja.kickoff_date = m.kickoff_date AND bet9ja.site_country = m.site_country
   AND bet9ja.match_key = m.match_key AND bet9ja.book = 'bet9ja'
WHERE m.site_country = 'ng';
COMMENT ON COLUMN analytics.matched_events.status IS
    'matched (BetPawa and SportyBet or Bet9ja), betpawa_only, or competitor_only (SportyBet or Bet9ja, not '
    'BetPawa), counting these three books only.';

CREATE OR REPLACE VIEW analytics.odds_current AS
 SELECT o.sr_id,
    m.kickoff_date,
    m.kickoff,
    m.sport,
    m.country,
    m.tournament,
    m.home,
    m.away,
    o.book,
    o.market,
    o.specifier,
    o.outcome,
    o.price,
    o.state,
    o.captured_at,
    o.changed_at
   FROM core.odds_current o
     LEFT JOIN LATERAL ( SELECT me.kickoff_date,
            me.kickoff,
            me.sport,
            me.country,
            me.tournament,
            me.home,
            me.away
           FROM analytics.matches me
          WHERE me.sr_id = o.sr_id AND me.site_country = 'ng'
          ORDER BY me.computed_at DESC, me.kickoff_date DESC
         LIMIT 1) m ON true
  WHERE o.state <> 'closed'::text;

-- The coverage views: the group's description from analytics.coverage_groups, its match counts over the three
-- books (a group none of them lists has no row), each book's own figures from analytics.coverage (only_<book>
-- recounted: alone among the three).
CREATE OR REPLACE VIEW analytics.coverage_overall AS
SELECT g.kickoff_date,
       t.total,
       t.matched,
       t.betpawa_only,
       t.competitor_only,
       t.only_sportybet,
       t.only_bet9ja,
       t.sportybet_and_bet9ja_only,
       t.on_all_three,
       b.betpawa_events,
       b.sportybet_events,
       b.bet9ja_events,
       b.sportybet_not_betpawa,
       b.bet9ja_not_betpawa,
       b.betpawa_not_sportybet,
       b.betpawa_not_bet9ja,
       t.without_sr_id,
       t.match_rate,
       t.betpawa_coverage,
       g.computed_at,
       t.linked_by_genius,
       b.catalogue_at_betpawa,
       b.catalogue_stale_betpawa,
       b.catalogue_at_sportybet,
       b.catalogue_stale_sportybet,
       b.catalogue_at_bet9ja,
       b.catalogue_stale_bet9ja
FROM analytics.coverage_groups AS g
CROSS JOIN LATERAL (
    SELECT count(*) AS total,
           count(*) FILTER (WHERE x.on_betpawa AND x.listed > 1) AS matched,
           count(*) FILTER (WHERE x.on_betpawa AND x.listed = 1) AS betpawa_only,
           count(*) FILTER (WHERE NOT x.on_betpawa) AS competitor_only,
           count(*) FILTER (WHERE x.on_sportybet AND x.listed = 1) AS only_sportybet,
           count(*) FILTER (WHERE x.on_bet9ja AND x.listed = 1) AS only_bet9ja,
           count(*) FILTER (WHERE NOT x.on_betpawa AND x.listed = 2) AS sportybet_and_bet9ja_only,
           count(*) FILTER (WHERE x.listed = 3) AS on_all_three,
           count(*) FILTER (WHERE x.sr_id IS NULL) AS without_sr_id,
           count(*) FILTER (WHERE x.linked_by = 'genius') AS linked_by_genius,
           (count(*) FILTER (WHERE x.on_betpawa AND x.listed > 1))::double precision
               / nullif(count(*), 0) AS match_rate,
           (count(*) FILTER (WHERE x.on_betpawa AND x.listed > 1))::double precision
               / nullif(count(*) FILTER (WHERE x.listed > 1 OR NOT x.on_betpawa), 0) AS betpawa_coverage
    FROM core.ng_three_book_matches AS x
    WHERE x.kickoff_date = g.kickoff_date
) AS t
CROSS JOIN LATERAL (
    SELECT coalesce(max(c.events) FILTER (WHERE c.book = 'betpawa'), 0) AS betpawa_events,
           coalesce(max(c.events) FILTER (WHERE c.book = 'sportybet'), 0) AS sportybet_events,
           coalesce(max(c.events) FILTER (WHERE c.book = 'bet9ja'), 0) AS bet9ja_events,
           coalesce(max(c.not_on_betpawa) FILTER (WHERE c.book = 'sportybet'), 0) AS sportybet_not_betpawa,
           coalesce(max(c.not_on_betpawa) FILTER (WHERE c.book = 'bet9ja'), 0) AS bet9ja_not_betpawa,
           coalesce(max(c.betpawa_not_on_it) FILTER (WHERE c.book = 'sportybet'), 0) AS betpawa_not_sportybet,
           coalesce(max(c.betpawa_not_on_it) FILTER (WHERE c.book = 'bet9ja'), 0) AS betpawa_not_bet9ja,
           max(c.catalogue_at) FILTER (WHERE c.book = 'betpawa') AS catalogue_at_betpawa,
           bool_or(c.catalogue_stale) FILTER (WHERE c.book = 'betpawa') AS catalogue_stale_betpawa,
           max(c.catalogue_at) FILTER (WHERE c.book = 'sportybet') AS catalogue_at_sportybet,
           bool_or(c.catalogue_stale) FILTER (WHERE c.book = 'sportybet') AS catalogue_stale_sportybet,
           max(c.catalogue_at) FILTER (WHERE c.book = 'bet9ja') AS catalogue_at_bet9ja,
           bool_or(c.catalogue_stale) FILTER (WHERE c.book = 'bet9ja') AS catalogue_stale_bet9ja
    FROM analytics.coverage AS c
    WHERE c.kickoff_date = g.kickoff_date AND c.site_country = g.site_country AND c.level = g.level
) AS b
WHERE g.site_country = 'ng' AND g.level = 'overall' AND t.total > 0;

CREATE OR REPLACE VIEW analytics.coverage_by_sport AS
SELECT g.kickoff_date,
       g.sport,
       t.total,
       t.matched,
       t.betpawa_only,
       t.competitor_only,
       t.only_sportybet,
       t.only_bet9ja,
       t.sportybet_and_bet9ja_only,
       t.on_all_three,
       b.betpawa_events,
       b.sportybet_events,
       b.bet9ja_events,
       b.sportybet_not_betpawa,
       b.bet9ja_not_betpawa,
       b.betpawa_not_sportybet,
       b.betpawa_not_bet9ja,
       t.without_sr_id,
       t.match_rate,
       t.betpawa_coverage,
       g.computed_at,
       t.linked_by_genius
FROM analytics.coverage_groups AS g
CROSS JOIN LATERAL (
    SELECT count(*) AS total,
           count(*) FILTER (WHERE x.on_betpawa AND x.listed > 1) AS matched,
           count(*) FILTER (WHERE x.on_betpawa AND x.listed = 1) AS betpawa_only,
           count(*) FILTER (WHERE NOT x.on_betpawa) AS competitor_only,
           count(*) FILTER (WHERE x.on_sportybet AND x.listed = 1) AS only_sportybet,
           count(*) FILTER (WHERE x.on_bet9ja AND x.listed = 1) AS only_bet9ja,
           count(*) FILTER (WHERE NOT x.on_betpawa AND x.listed = 2) AS sportybet_and_bet9ja_only,
           count(*) FILTER (WHERE x.listed = 3) AS on_all_three,
           count(*) FILTER (WHERE x.sr_id IS NULL) AS without_sr_id,
           count(*) FILTER (WHERE x.linked_by = 'genius') AS linked_by_genius,
           (count(*) FILTER (WHERE x.on_betpawa AND x.listed > 1))::double precision
               / nullif(count(*), 0) AS match_rate,
           (count(*) FILTER (WHERE x.on_betpawa AND x.listed > 1))::double precision
               / nullif(count(*) FILTER (WHERE x.listed > 1 OR NOT x.on_betpawa), 0) AS betpawa_coverage
    FROM core.ng_three_book_matches AS x
    WHERE x.kickoff_date = g.kickoff_date AND x.sport = g.sport
) AS t
CROSS JOIN LATERAL (
    SELECT coalesce(max(c.events) FILTER (WHERE c.book = 'betpawa'), 0) AS betpawa_events,
           coalesce(max(c.events) FILTER (WHERE c.book = 'sportybet'), 0) AS sportybet_events,
           coalesce(max(c.events) FILTER (WHERE c.book = 'bet9ja'), 0) AS bet9ja_events,
           coalesce(max(c.not_on_betpawa) FILTER (WHERE c.book = 'sportybet'), 0) AS sportybet_not_betpawa,
           coalesce(max(c.not_on_betpawa) FILTER (WHERE c.book = 'bet9ja'), 0) AS bet9ja_not_betpawa,
           coalesce(max(c.betpawa_not_on_it) FILTER (WHERE c.book = 'sportybet'), 0) AS betpawa_not_sportybet,
           coalesce(max(c.betpawa_not_on_it) FILTER (WHERE c.book = 'bet9ja'), 0) AS betpawa_not_bet9ja
    FROM analytics.coverage AS c
    WHERE c.kickoff_date = g.kickoff_date AND c.site_country = g.site_country AND c.level = g.level
      AND c.sport = g.sport
) AS b
WHERE g.site_country = 'ng' AND g.level = 'sport' AND t.total > 0;

CREATE OR REPLACE VIEW analytics.coverage_by_country AS
SELECT g.kickoff_date,
       g.sport,
       g.country,
       t.total,
       t.matched,
       t.betpawa_only,
       t.competitor_only,
       t.only_sportybet,
       t.only_bet9ja,
       t.sportybet_and_bet9ja_only,
       t.on_all_three,
       b.betpawa_events,
       b.sportybet_events,
       b.bet9ja_events,
       b.sportybet_not_betpawa,
       b.bet9ja_not_betpawa,
       b.betpawa_not_sportybet,
       b.betpawa_not_bet9ja,
       t.without_sr_id,
       t.match_rate,
       t.betpawa_coverage,
       g.computed_at,
       t.linked_by_genius,
       g.sr_category_id,
       g.country_iso
FROM analytics.coverage_groups AS g
CROSS JOIN LATERAL (
    SELECT count(*) AS total,
           count(*) FILTER (WHERE x.on_betpawa AND x.listed > 1) AS matched,
           count(*) FILTER (WHERE x.on_betpawa AND x.listed = 1) AS betpawa_only,
           count(*) FILTER (WHERE NOT x.on_betpawa) AS competitor_only,
           count(*) FILTER (WHERE x.on_sportybet AND x.listed = 1) AS only_sportybet,
           count(*) FILTER (WHERE x.on_bet9ja AND x.listed = 1) AS only_bet9ja,
           count(*) FILTER (WHERE NOT x.on_betpawa AND x.listed = 2) AS sportybet_and_bet9ja_only,
           count(*) FILTER (WHERE x.listed = 3) AS on_all_three,
           count(*) FILTER (WHERE x.sr_id IS NULL) AS without_sr_id,
           count(*) FILTER (WHERE x.linked_by = 'genius') AS linked_by_genius,
           (count(*) FILTER (WHERE x.on_betpawa AND x.listed > 1))::double precision
               / nullif(count(*), 0) AS match_rate,
           (count(*) FILTER (WHERE x.on_betpawa AND x.listed > 1))::double precision
               / nullif(count(*) FILTER (WHERE x.listed > 1 OR NOT x.on_betpawa), 0) AS betpawa_coverage
    FROM core.ng_three_book_matches AS x
    WHERE x.kickoff_date = g.kickoff_date AND x.sport = g.sport
      AND x.sr_category_id IS NOT DISTINCT FROM g.sr_category_id
      AND x.canonical_country IS NOT DISTINCT FROM g.country
) AS t
CROSS JOIN LATERAL (
    SELECT coalesce(max(c.events) FILTER (WHERE c.book = 'betpawa'), 0) AS betpawa_events,
           coalesce(max(c.events) FILTER (WHERE c.book = 'sportybet'), 0) AS sportybet_events,
           coalesce(max(c.events) FILTER (WHERE c.book = 'bet9ja'), 0) AS bet9ja_events,
           coalesce(max(c.not_on_betpawa) FILTER (WHERE c.book = 'sportybet'), 0) AS sportybet_not_betpawa,
           coalesce(max(c.not_on_betpawa) FILTER (WHERE c.book = 'bet9ja'), 0) AS bet9ja_not_betpawa,
           coalesce(max(c.betpawa_not_on_it) FILTER (WHERE c.book = 'sportybet'), 0) AS betpawa_not_sportybet,
           coalesce(max(c.betpawa_not_on_it) FILTER (WHERE c.book = 'bet9ja'), 0) AS betpawa_not_bet9ja
    FROM analytics.coverage AS c
    WHERE c.kickoff_date = g.kickoff_date AND c.site_country = g.site_country AND c.level = g.level
      AND c.sport = g.sport AND c.sr_category_id IS NOT DISTINCT FROM g.sr_category_id
      AND c.country IS NOT DISTINCT FROM g.country
) AS b
WHERE g.site_country = 'ng' AND g.level = 'country' AND t.total > 0;

CREATE OR REPLACE VIEW analytics.coverage_by_tournament AS
SELECT g.kickoff_date,
       g.sport,
       g.country,
       g.tournament,
       t.total,
       t.matched,
       t.betpawa_only,
       t.competitor_only,
       t.only_sportybet,
       t.only_bet9ja,
       t.sportybet_and_bet9ja_only,
       t.on_all_three,
       b.betpawa_events,
       b.sportybet_events,
       b.bet9ja_events,
       b.sportybet_not_betpawa,
       b.bet9ja_not_betpawa,
       b.betpawa_not_sportybet,
       b.betpawa_not_bet9ja,
       t.without_sr_id,
       t.match_rate,
       t.betpawa_coverage,
       g.computed_at,
       t.linked_by_genius,
       g.tournament_key,
       g.placed,
       g.sr_tournament_id,
       g.sr_category_id,
       g.country_iso,
       b.betpawa_tournament_id,
       b.betpawa_tournament_name,
       b.sportybet_tournament_id,
       b.sportybet_tournament_name,
       b.bet9ja_tournament_id,
       b.bet9ja_tournament_name
FROM analytics.coverage_groups AS g
CROSS JOIN LATERAL (
    SELECT count(*) AS total,
           count(*) FILTER (WHERE x.on_betpawa AND x.listed > 1) AS matched,
           count(*) FILTER (WHERE x.on_betpawa AND x.listed = 1) AS betpawa_only,
           count(*) FILTER (WHERE NOT x.on_betpawa) AS competitor_only,
           count(*) FILTER (WHERE x.on_sportybet AND x.listed = 1) AS only_sportybet,
           count(*) FILTER (WHERE x.on_bet9ja AND x.listed = 1) AS only_bet9ja,
           count(*) FILTER (WHERE NOT x.on_betpawa AND x.listed = 2) AS sportybet_and_bet9ja_only,
           count(*) FILTER (WHERE x.listed = 3) AS on_all_three,
           count(*) FILTER (WHERE x.sr_id IS NULL) AS without_sr_id,
           count(*) FILTER (WHERE x.linked_by = 'genius') AS linked_by_genius,
           (count(*) FILTER (WHERE x.on_betpawa AND x.listed > 1))::double precision
               / nullif(count(*), 0) AS match_rate,
           (count(*) FILTER (WHERE x.on_betpawa AND x.listed > 1))::double precision
               / nullif(count(*) FILTER (WHERE x.listed > 1 OR NOT x.on_betpawa), 0) AS betpawa_coverage
    FROM core.ng_three_book_matches AS x
    WHERE x.kickoff_date = g.kickoff_date AND x.sport = g.sport AND x.tournament_key = g.tournament_key
) AS t
CROSS JOIN LATERAL (
    SELECT coalesce(max(c.events) FILTER (WHERE c.book = 'betpawa'), 0) AS betpawa_events,
           coalesce(max(c.events) FILTER (WHERE c.book = 'sportybet'), 0) AS sportybet_events,
           coalesce(max(c.events) FILTER (WHERE c.book = 'bet9ja'), 0) AS bet9ja_events,
           coalesce(max(c.not_on_betpawa) FILTER (WHERE c.book = 'sportybet'), 0) AS sportybet_not_betpawa,
           coalesce(max(c.not_on_betpawa) FILTER (WHERE c.book = 'bet9ja'), 0) AS bet9ja_not_betpawa,
           coalesce(max(c.betpawa_not_on_it) FILTER (WHERE c.book = 'sportybet'), 0) AS betpawa_not_sportybet,
           coalesce(max(c.betpawa_not_on_it) FILTER (WHERE c.book = 'bet9ja'), 0) AS betpawa_not_bet9ja,
           max(c.book_tournament_id) FILTER (WHERE c.book = 'betpawa') AS betpawa_tournament_id,
           max(c.book_tournament_name) FILTER (WHERE c.book = 'betpawa') AS betpawa_tournament_name,
           max(c.book_tournament_id) FILTER (WHERE c.book = 'sportybet') AS sportybet_tournament_id,
           max(c.book_tournament_name) FILTER (WHERE c.book = 'sportybet') AS sportybet_tournament_name,
           max(c.book_tournament_id) FILTER (WHERE c.book = 'bet9ja') AS bet9ja_tournament_id,
           max(c.book_tournament_name) FILTER (WHERE c.book = 'bet9ja') AS bet9ja_tournament_name
    FROM analytics.coverage AS c
    WHERE c.kickoff_date = g.kickoff_date AND c.site_country = g.site_country AND c.level = g.level
      AND c.sport = g.sport AND c.tournament_key = g.tournament_key
) AS b
WHERE g.site_country = 'ng' AND g.level = 'tournament' AND t.total > 0;

-- The comparison: the three books' fresh prices (open, neither stale nor suspect) decide best price and book
-- (a tie to BetPawa, then SportyBet, then Bet9ja), BetPawa's gap and dense rank, and books_offering.
CREATE OR REPLACE VIEW analytics.odds_comparison AS
SELECT c.kickoff_date, c.sr_id, c.market, c.specifier, c.outcome, c.market_name, c.outcome_name,
       bp.price AS price_betpawa, sb.price AS price_sportybet, b9.price AS price_bet9ja,
       f.prices[1] AS best_price, f.books[1] AS best_book,
       f.betpawa / f.prices[1] - 1.0 AS betpawa_gap,
       CASE WHEN f.betpawa IS NOT NULL THEN
           (SELECT 1 + count(DISTINCT p) FROM unnest(f.prices) AS p WHERE p > f.betpawa)::smallint
       END AS betpawa_rank,
       coalesce(cardinality(f.prices), 0)::smallint AS books_offering,
       c.fair_price, c.fair_books,
       c.computed_at,
       bp.captured_at AS captured_at_betpawa, sb.captured_at AS captured_at_sportybet,
       b9.captured_at AS captured_at_bet9ja,
       bp.stale AS stale_betpawa, sb.stale AS stale_sportybet, b9.stale AS stale_bet9ja,
       bp.suspect AS suspect_betpawa, sb.suspect AS suspect_sportybet, b9.suspect AS suspect_bet9ja
FROM analytics.outcome_comparison AS c
LEFT JOIN analytics.outcome_prices AS bp
    ON (bp.kickoff_date, bp.site_country, bp.sr_id, bp.market, bp.specifier, bp.outcome, bp.book)
     = (c.kickoff_date, c.site_country, c.sr_id, c.market, c.specifier, c.outcome, 'betpawa')
LEFT JOIN analytics.outcome_prices AS sb
    ON (sb.kickoff_date, sb.site_country, sb.sr_id, sb.market, sb.specifier, sb.outcome, sb.book)
     = (c.kickoff_date, c.site_country, c.sr_id, c.market, c.specifier, c.outcome, 'sportybet')
LEFT JOIN analytics.outcome_prices AS b9
    ON (b9.kickoff_date, b9.site_country, b9.sr_id, b9.market, b9.specifier, b9.outcome, b9.book)
     = (c.kickoff_date, c.site_country, c.sr_id, c.market, c.specifier, c.outcome, 'bet9ja')
CROSS JOIN LATERAL (
    SELECT array_agg(v.price ORDER BY v.price DESC, v.place) AS prices,
           array_agg(v.book ORDER BY v.price DESC, v.place) AS books,
           max(v.price) FILTER (WHERE v.book = 'betpawa') AS betpawa
    FROM (VALUES (1, 'betpawa', bp.price, bp.stale, bp.suspect),
                 (2, 'sportybet', sb.price, sb.stale, sb.suspect),
                 (3, 'bet9ja', b9.price, b9.stale, b9.suspect)) AS v (place, book, price, stale, suspect)
    WHERE v.price IS NOT NULL AND NOT coalesce(v.stale, false) AND NOT coalesce(v.suspect, false)
) AS f
WHERE c.site_country = 'ng' AND (bp.book IS NOT NULL OR sb.book IS NOT NULL OR b9.book IS NOT NULL);
COMMENT ON COLUMN analytics.odds_comparison.fair_price IS
    'Consensus fair odds: margin removed by the power method per book, probabilities averaged over the books '
    'pricing the whole market (every book read in Nigeria, not only the three here); null when none does.';
COMMENT ON COLUMN analytics.odds_comparison.fair_books IS
    'How many books the fair price rests on (every book read in Nigeria, not only the three here).';

-- Prices left behind: rows where SportyBet and Bet9ja both moved (two or more of the three's competitors),
-- moved_books naming them alone.
CREATE OR REPLACE VIEW analytics.stale_vs_market AS
SELECT s.kickoff_date, s.sr_id, s.sport, s.country, s.tournament, s.market, s.market_name, s.specifier,
       s.outcome, s.price_betpawa, s.betpawa_since, s.direction,
       ARRAY(SELECT b FROM unnest(s.moved_books) AS b WHERE b IN ('sportybet', 'bet9ja') ORDER BY b)
           AS moved_books,
       s.first_moved_at,
       sb.price_then AS sportybet_price_then, sb.price AS sportybet_price,
       b9.price_then AS bet9ja_price_then, b9.price AS bet9ja_price,
       s.computed_at
FROM analytics.stale_outcomes AS s
LEFT JOIN analytics.stale_outcome_prices AS sb
    ON (sb.kickoff_date, sb.site_country, sb.sr_id, sb.market, sb.specifier, sb.outcome, sb.book)
     = (s.kickoff_date, s.site_country, s.sr_id, s.market, s.specifier, s.outcome, 'sportybet')
LEFT JOIN analytics.stale_outcome_prices AS b9
    ON (b9.kickoff_date, b9.site_country, b9.sr_id, b9.market, b9.specifier, b9.outcome, b9.book)
     = (s.kickoff_date, s.site_country, s.sr_id, s.market, s.specifier, s.outcome, 'bet9ja')
WHERE s.site_country = 'ng' AND s.moved_books @> ARRAY['sportybet', 'bet9ja'];
COMMENT ON COLUMN analytics.stale_vs_market.first_moved_at IS
    'When the first competitor moved (any book read in Nigeria, MSport and Betway included).';
