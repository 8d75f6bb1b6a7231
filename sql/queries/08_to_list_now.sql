-- What to list now: matches a competitor lists and BetPawa does not, kicking off within a day of the last
-- computation, soonest first. Columns: kickoff, sport, tournament, match, listed_by, hours the competitors
-- have had it (NULL: unknown, a competitor already listed it at the first scrape of its date).
SELECT kickoff, sport, tournament, home || ' v ' || away AS match, listed_by,
       round(hours_listed_by_competitor::numeric, 1) AS hours_listed
FROM analytics.to_list_now
WHERE hours_to_kickoff <= 24
ORDER BY kickoff, tournament, match
LIMIT 100;
