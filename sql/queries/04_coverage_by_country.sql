-- Coverage per sport and country for one kick-off date :'date', worst-covered countries first.
SELECT sport, coalesce(country, '(no country)') AS country, total, matched, competitor_only,
       sportybet_not_betpawa, bet9ja_not_betpawa,
       round(betpawa_coverage::numeric, 3) AS betpawa_coverage
FROM analytics.coverage_by_country
WHERE kickoff_date = :'date'::date
ORDER BY betpawa_coverage NULLS LAST, competitor_only DESC, sport, country;
