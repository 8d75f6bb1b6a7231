-- The books are data: core.books lists every book the pipeline knows (records.Book; migrate() adds a new one),
-- and every column naming a book refers to it, instead of a CHECK spelling the three first books (which made
-- each new book a migration of a dozen tables). The CHECKs are found by their definition, whatever their name.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0035_listing_age_unknown

CREATE TABLE IF NOT EXISTS core.books (
    book text PRIMARY KEY CHECK (book ~ '^[a-z][a-z0-9_]*$')
);
COMMENT ON TABLE core.books IS
    'Every book the pipeline knows (palimpsest_pipeline.records.Book, added by each migrate): the columns '
    'naming a book refer to it.';
COMMENT ON COLUMN core.books.book IS 'The book''s code, as every table writes it (betpawa, sportybet, ...).';

INSERT INTO core.books (book)
VALUES ('betpawa'), ('sportybet'), ('bet9ja'), ('msport'), ('betway')
ON CONFLICT DO NOTHING;

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
