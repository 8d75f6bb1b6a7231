-- Live events each book lists without a SportRadar id, kicking off on :'date': they can never be matched.
SELECT book, sport, count(*) AS events_without_sr_id,
       (array_agg(home || ' v ' || away ORDER BY kickoff))[1:5] AS examples
FROM analytics.events
WHERE kickoff_date = :'date'::date AND sr_id IS NULL
GROUP BY book, sport
ORDER BY events_without_sr_id DESC, book, sport;
