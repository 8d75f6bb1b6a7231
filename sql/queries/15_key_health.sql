-- Key health per site country, book and UTC day in the week from :'date': how well each book's answers on
-- that country's site keyed (the figures the keys_drift alert judges per hour), with the payload fields the
-- book showed there for the first time.
-- Columns: site_country, book, day, hours, captures, open_outcomes, keyed_share and set_aside_share (of open
-- outcomes), suspect_share (of keyed outcomes), new_fields.
WITH hours AS (
    SELECT site_country, book, (hour AT TIME ZONE 'UTC')::date AS day, captures, open_outcomes, keyed_outcomes,
           set_aside_outcomes, suspect_outcomes, new_fields
    FROM analytics.key_health
    WHERE hour >= :'date'::timestamp AT TIME ZONE 'UTC'
      AND hour < (:'date'::timestamp + interval '7 days') AT TIME ZONE 'UTC'
)
SELECT h.site_country, h.book, h.day, count(*) AS hours, sum(h.captures) AS captures,
       sum(h.open_outcomes) AS open_outcomes,
       round(sum(h.keyed_outcomes)::numeric / nullif(sum(h.open_outcomes), 0), 3) AS keyed_share,
       round(sum(h.set_aside_outcomes)::numeric / nullif(sum(h.open_outcomes), 0), 3) AS set_aside_share,
       round(sum(h.suspect_outcomes)::numeric / nullif(sum(h.keyed_outcomes), 0), 3) AS suspect_share,
       (SELECT coalesce(array_agg(DISTINCT field ORDER BY field), '{}')
        FROM hours AS f CROSS JOIN LATERAL unnest(f.new_fields) AS field
        WHERE f.site_country = h.site_country AND f.book = h.book AND f.day = h.day) AS new_fields
FROM hours AS h
GROUP BY h.site_country, h.book, h.day
ORDER BY h.site_country, h.book, h.day;
