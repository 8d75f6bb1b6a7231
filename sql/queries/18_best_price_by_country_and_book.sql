-- Who offers the best price, per site country and book, over the kick-off week from :'date': of the outcomes
-- the book prices (open, fresh, its market not suspect), how many, the share where its price is the best
-- (alone or tied), and its median shortfall against the best price where it is not (in percent, negative).
-- Columns: site_country, book, priced, best_share, median_gap_pct.
SELECT p.site_country, p.book,
       count(*) AS priced,
       round(avg((p.book = ANY(c.best_books))::int), 3) AS best_share,
       round((100 * percentile_cont(0.5) WITHIN GROUP (ORDER BY p.price / c.best_price - 1)
                        FILTER (WHERE NOT p.book = ANY(c.best_books)))::numeric, 1) AS median_gap_pct
FROM analytics.outcome_prices AS p
JOIN analytics.outcome_comparison AS c USING (kickoff_date, site_country, sr_id, market, specifier, outcome)
WHERE p.kickoff_date BETWEEN :'date'::date AND :'date'::date + 6
  AND p.price IS NOT NULL AND NOT p.stale AND NOT p.suspect AND c.best_price IS NOT NULL
GROUP BY p.site_country, p.book
ORDER BY p.site_country DESC, best_share DESC, p.book;
