-- Row-level quarantine also screens numbers (warehouse/quarantine.py): an SR or Genius id past bigint, or a
-- market or outcome id past integer, sets its listing or price row aside as bad_id; a tournament's event
-- count past integer is dropped from the kept tournament and recorded as bad_number.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0018_delta_archive

COMMENT ON VIEW analytics.quarantined_rows IS
    'Values a scrape could not store as they were, one row each: stage (catalogue or odds), book, kind '
    '(nul_removed: the row was kept without its NUL; bad_number: the tournament was kept without its event '
    'count; bad_id, too_long, conflicting_duplicate, sr_id_listed_twice, bad_price, bad_state, bad_specifier: '
    'the row or event was set aside), the reason naming what and where, and an excerpt.';
COMMENT ON COLUMN analytics.quarantined_rows.kind IS
    'nul_removed (kept, NUL removed), bad_number (tournament kept without its event count); set aside: bad_id '
    '(an id over its length, with control characters, or a number past its column), too_long, '
    'conflicting_duplicate, sr_id_listed_twice, bad_price, bad_state, bad_specifier.';
