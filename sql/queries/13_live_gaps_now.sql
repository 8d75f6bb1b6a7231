-- Live gaps open now: matches live on a competitor and not on BetPawa first, then the reverse, longest first.
-- Columns: side, sr_id, sport, tournament, home, away, live_on, missing_on, since, open_minutes, last_seen_at.
SELECT side, sr_id, sport, tournament, home, away, live_on, missing_on, since,
       round(extract(epoch FROM last_seen_at - since) / 60) AS open_minutes, last_seen_at
FROM analytics.live_coverage
WHERE closed_at IS NULL
  AND last_seen_at >= (SELECT max(polled_at) FROM analytics.live_suspension) - interval '5 minutes'
ORDER BY side, since, sr_id;
