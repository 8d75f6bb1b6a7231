-- Live gaps open now, per site country: matches live on a competitor and not on BetPawa first, then the
-- reverse, longest first. "Now" is each country's own latest live poll.
-- Columns: site_country, side, sr_id, sport, tournament, home, away, live_on, missing_on, since, open_minutes,
-- last_seen_at.
SELECT g.site_country, g.side, g.sr_id, g.sport, g.tournament, g.home, g.away, g.live_on, g.missing_on, g.since,
       round(extract(epoch FROM g.last_seen_at - g.since) / 60) AS open_minutes, g.last_seen_at
FROM analytics.live_coverage AS g
WHERE g.closed_at IS NULL
  AND g.last_seen_at >= (SELECT max(s.polled_at) FROM analytics.live_suspension AS s
                         WHERE s.site_country = g.site_country) - interval '5 minutes'
ORDER BY g.site_country, g.side, g.since, g.sr_id;
