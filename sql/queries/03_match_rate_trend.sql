-- Match rate and BetPawa coverage by kick-off day, for the 14 days up to :'date' (inclusive).
-- match_rate = matched / total; betpawa_coverage = matched / (matched + competitor_only).
SELECT kickoff_date, total, matched, betpawa_only, competitor_only,
       round(match_rate::numeric, 3) AS match_rate,
       round(betpawa_coverage::numeric, 3) AS betpawa_coverage
FROM analytics.coverage_overall
WHERE kickoff_date BETWEEN :'date'::date - 13 AND :'date'::date
ORDER BY kickoff_date;
