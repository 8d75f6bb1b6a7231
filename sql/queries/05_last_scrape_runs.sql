-- The latest scrape of each book on each site country: did it finish, was it complete, how many errors of
-- which kind.
-- No parameter. Reads analytics.scrape_runs (errors is a JSON object of counts by kind).
SELECT DISTINCT ON (site_country, book)
       site_country, book, started_at, status, complete, events, tournaments, requests,
       round(duration_s::numeric, 1) AS seconds, errors, batch_id, trigger
FROM analytics.scrape_runs
ORDER BY site_country, book, started_at DESC;
