-- Tournaments with the most matches competitors list and BetPawa does not, over the 7 days from :'date'.
-- Those are the first candidates to add to BetPawa's catalogue. Reads analytics.coverage_by_tournament.
SELECT sport, country, tournament,
       sum(competitor_only) AS missing_on_betpawa,
       sum(total) AS matches,
       round((sum(matched)::numeric / NULLIF(sum(matched + competitor_only), 0)), 3) AS betpawa_coverage
FROM analytics.coverage_by_tournament
WHERE kickoff_date BETWEEN :'date'::date AND :'date'::date + 6
GROUP BY sport, country, tournament
HAVING sum(competitor_only) > 0
ORDER BY missing_on_betpawa DESC, sport, country, tournament
LIMIT 20;
