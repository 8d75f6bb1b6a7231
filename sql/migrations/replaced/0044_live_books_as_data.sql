-- The live watcher's per-book table refers to core.books too. 0038 turned the CHECKs spelling the first three
-- books into foreign keys, but its dependencies do not include 0031: analytics.live_suspension lost its CHECK
-- only when 0031 happened to run first, else a poll of MSport or Betway could not be stored. Depending on 0031,
-- this does the same for every single-column CHECK still spelling that list, whatever its table or name (none,
-- where 0038 reached them all).
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0031_live_coverage 0038_books_as_data 0043_alert_subjects_every_rule_per_country

DO $$
DECLARE
    found record;
BEGIN
    FOR found IN
        SELECT c.conrelid::regclass AS tab, c.conname, a.attname
        FROM pg_constraint c
        JOIN pg_class r ON r.oid = c.conrelid
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.contype = 'c'
          AND array_length(c.conkey, 1) = 1
          AND NOT r.relispartition
          AND pg_get_constraintdef(c.oid) ~ '= ANY \(ARRAY\[''betpawa''::text, ''sportybet''::text, ''bet9ja''::text\]\)'
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', found.tab, found.conname);
        EXECUTE format(
            'ALTER TABLE %s ADD CONSTRAINT %I FOREIGN KEY (%I) REFERENCES core.books (book)',
            found.tab, replace(found.conname, '_check', '') || '_known', found.attname
        );
    END LOOP;
END
$$;

COMMENT ON COLUMN analytics.live_suspension.book IS 'The book polled (core.books).';
COMMENT ON COLUMN analytics.live_suspension.polled_at IS 'When the poll asked the scraped books (UTC).';
