-- Events SportyBet offers that BetPawa does not, for one kick-off date.
-- Parameter :'date' (psql: \set date 2026-05-06, then \i this file). Reads analytics.matched_events.
SELECT kickoff, sport, country, tournament, home, away, sr_id, sportybet_event_id, on_bet9ja
FROM analytics.matched_events
WHERE kickoff_date = :'date'::date
  AND on_sportybet
  AND NOT on_betpawa
ORDER BY kickoff, sport, country, tournament, home;
