-- The compact odds history's book codes are data: core.books.history_code is the smallint core.odds_changes
-- stores for a book, instead of a CHECK allowing 1 to 3 and an array of three names in the store and the view
-- (which kept every book after the third out of the history). The first three keep their codes, so no history
-- row changes; every other registered book takes the next free one, and a book registered later (migrate())
-- takes one from the column's sequence.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0017_compact_history 0038_books_as_data

ALTER TABLE core.books ADD COLUMN IF NOT EXISTS history_code smallint UNIQUE CHECK (history_code > 0);
COMMENT ON COLUMN core.books.history_code IS
    'The book''s code in the compact odds history (core.odds_changes.book); never reused nor changed.';

UPDATE core.books AS b
SET history_code = v.code
FROM (VALUES ('betpawa', 1), ('sportybet', 2), ('bet9ja', 3)) AS v (book, code)
WHERE b.book = v.book;

UPDATE core.books AS b
SET history_code = n.code
FROM (SELECT book, (3 + row_number() OVER (ORDER BY book))::smallint AS code
      FROM core.books WHERE history_code IS NULL) AS n
WHERE b.book = n.book;

CREATE SEQUENCE IF NOT EXISTS core.books_history_code_seq AS smallint OWNED BY core.books.history_code;
-- PERFORM, not SELECT: a statement returning rows has yoyo print them on the command's standard output
DO $$ BEGIN
    PERFORM setval('core.books_history_code_seq', greatest((SELECT max(history_code) FROM core.books), 3));
END $$;
ALTER TABLE core.books ALTER COLUMN history_code SET DEFAULT nextval('core.books_history_code_seq');
ALTER TABLE core.books ALTER COLUMN history_code SET NOT NULL;

-- The history's book refers to the codes; the CHECK spelling three books goes, whatever its name.
DO $$
DECLARE
    found record;
BEGIN
    FOR found IN
        SELECT c.conname
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.conrelid = 'core.odds_changes'::regclass AND c.contype = 'c'
          AND array_length(c.conkey, 1) = 1 AND a.attname = 'book'
    LOOP
        EXECUTE format('ALTER TABLE core.odds_changes DROP CONSTRAINT %I', found.conname);
    END LOOP;
END
$$;
ALTER TABLE core.odds_changes
    ADD CONSTRAINT odds_changes_book_known FOREIGN KEY (book) REFERENCES core.books (history_code);
COMMENT ON COLUMN core.odds_changes.book IS 'The book, by its code (core.books.history_code).';

CREATE OR REPLACE VIEW core.odds_history AS
SELECT c.captured_at, c.sr_id,
       CASE WHEN u.code > 0 THEN u.code::double precision / 1000
            WHEN u.code < -1 THEN -u.code::double precision / 1000 END AS price,
       k.market, k.outcome, b.book, k.specifier,
       CASE WHEN u.code > 0 THEN 'open' WHEN u.code = 0 THEN 'closed' ELSE 'suspended' END AS state
FROM core.odds_changes AS c
JOIN core.books AS b ON b.history_code = c.book
CROSS JOIN LATERAL unnest(c.key_ids, c.codes) AS u (key_id, code)
JOIN core.market_keys AS k ON k.key_id = u.key_id;
COMMENT ON VIEW core.odds_history IS
    'core.odds_changes decoded: one row per price change, in the columns of the former table.';

COMMENT ON COLUMN analytics.odds_history.sr_id IS 'SportRadar match id: the key shared by the books.';
COMMENT ON COLUMN analytics.odds_history.book IS 'The bookmaker (core.books): betpawa, sportybet, bet9ja, ...';
