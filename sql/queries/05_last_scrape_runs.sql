-- The latest scrape of each book: did it finish, was it complete, how many errors of which kind.
-- No parameter. Reads analytics.scrape_runs (errors is a JSON object of counts by kind).
SELECT DISTINCT ON (book)
       book, started_at, status, complete, events, tournaments, requests, round(duration_s::numeric, 1) AS seconds,
       errors, batch_id, trigger
FROM analytics.scrape_runs
ORDER BY book, started_at DESC;
