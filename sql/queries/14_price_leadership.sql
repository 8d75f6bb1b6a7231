-- Who moves first: per sport and book over the kick-off week from :'date', the share of its main-market price
-- moves it led, how many it copied from another book and the median minutes it took, and how many moves of
-- the others it did not follow within the window. Columns: sport, book, moves, led share, followed, median
-- follow lag (minutes, the median of the per-market medians weighted by moves followed), missed.
SELECT sport, book,
       sum(moves) AS moves,
       round(sum(moves_led)::numeric / nullif(sum(moves), 0), 3) AS led_share,
       sum(moves_followed) AS followed,
       round((sum(median_follow_lag_minutes * moves_followed) / nullif(sum(moves_followed), 0))::numeric, 1)
           AS follow_lag_minutes,
       sum(moves_missed) AS missed
FROM analytics.price_leadership
WHERE kickoff_date BETWEEN :'date'::date AND :'date'::date + 6
GROUP BY sport, book
ORDER BY sport, led_share DESC NULLS LAST;
