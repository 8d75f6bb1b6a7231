-- Each book's coverage per site country for one kick-off date :'date' (all sports together): the matches it
-- lists, those BetPawa lacks, those it lacks that BetPawa lists, those it alone lists, and how fresh its
-- catalogue was. Any book, any country: one row each, no column per book.
SELECT c.site_country, c.book, c.events, c.not_on_betpawa, c.betpawa_not_on_it, c.only_on_it,
       g.total, round(g.betpawa_coverage::numeric, 3) AS betpawa_coverage, c.catalogue_at, c.catalogue_stale
FROM analytics.coverage AS c
JOIN analytics.coverage_groups AS g
  ON g.kickoff_date = c.kickoff_date AND g.site_country = c.site_country AND g.level = c.level
WHERE c.kickoff_date = :'date'::date AND c.level = 'overall'
ORDER BY c.site_country, c.book = 'betpawa' DESC, c.not_on_betpawa DESC, c.book;
