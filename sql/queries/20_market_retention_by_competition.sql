-- Retention into live over the last seven days, per site country, book, competition and data provider: the
-- weekly figure, T-1 against +5 minutes (analytics.market_retention): matches, mean market-type retention,
-- matches under half kept, matches with a key market dropped, and the prices that moved 30 percent or more.
-- Columns: site_country, book, tournament, provider, matches, mean_retention, under_half, key_dropped,
-- prices_moved, prices_compared.
SELECT r.site_country, r.book, r.tournament, r.provider,
       count(*) AS matches,
       round(avg(r.market_retention)::numeric, 3) AS mean_retention,
       count(*) FILTER (WHERE r.market_retention < 0.5) AS under_half,
       count(*) FILTER (WHERE cardinality(r.key_markets_dropped) > 0) AS key_dropped,
       sum(r.prices_moved) AS prices_moved,
       sum(r.prices_compared) AS prices_compared
FROM analytics.market_retention AS r
WHERE r.prematch_snapshot = 'T-1' AND r.live_snapshot = 5
  AND r.kickoff >= now() - interval '7 days'
GROUP BY r.site_country, r.book, r.tournament, r.provider
ORDER BY r.site_country, r.book, matches DESC, r.tournament;
