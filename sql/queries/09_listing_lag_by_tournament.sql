-- Where BetPawa lists late: per tournament over the kick-off week from :'date', BetPawa's median lag behind
-- the first competitor, and each book's median lead. Columns: sport, tournament, matches timed, lag hours,
-- lead hours per book.
SELECT sport, tournament,
       sum(betpawa_lag_events) FILTER (WHERE book = 'betpawa') AS lag_matches,
       round(avg(betpawa_lag_hours) FILTER (WHERE book = 'betpawa')::numeric, 1) AS betpawa_lag_hours,
       round(avg(median_lead_hours) FILTER (WHERE book = 'betpawa')::numeric, 1) AS betpawa_lead_hours,
       round(avg(median_lead_hours) FILTER (WHERE book = 'sportybet')::numeric, 1) AS sportybet_lead_hours,
       round(avg(median_lead_hours) FILTER (WHERE book = 'bet9ja')::numeric, 1) AS bet9ja_lead_hours
FROM analytics.listing_lead_time
WHERE kickoff_date BETWEEN :'date'::date AND :'date'::date + 6
GROUP BY sport, tournament
HAVING sum(betpawa_lag_events) FILTER (WHERE book = 'betpawa') > 0
ORDER BY betpawa_lag_hours DESC NULLS LAST
LIMIT 50;
