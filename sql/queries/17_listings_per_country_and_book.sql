-- Per site country and book, the matches kicking off on :'date' the book lists and, of those, how many
-- BetPawa does not list on the same country's site (one row per book, whichever books a country has).
SELECT l.site_country, l.book, count(*) AS matches,
       count(*) FILTER (WHERE NOT EXISTS (
           SELECT 1 FROM analytics.match_listings AS bp
           WHERE bp.kickoff_date = l.kickoff_date AND bp.site_country = l.site_country
             AND bp.match_key = l.match_key AND bp.book = 'betpawa')) AS not_on_betpawa
FROM analytics.match_listings AS l
WHERE l.kickoff_date = :'date'::date
GROUP BY l.site_country, l.book
ORDER BY l.site_country, l.book;
