-- Suspect markets per book and market in the week from :'date': where a book's mapping is probably wrong.
-- Columns: book, market, reason, suspect (book markets flagged), events.
SELECT book, market, reason, count(*) AS suspect, count(DISTINCT sr_id) AS events
FROM analytics.suspect_markets
WHERE kickoff_date BETWEEN :'date'::date AND :'date'::date + 7
GROUP BY book, market, reason
ORDER BY suspect DESC, book, market;
