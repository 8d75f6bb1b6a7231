-- Slimmer archive rows (issue 10: the raw archive no larger than the history it backs). At real depth an
-- event's delta is a few hundred bytes, so what a row carries besides its body decides the archive's size.
-- 1. A delta row's URL is NULL when it is its base's URL (the same event's detail, asked the same way): the
--    readers take it from the chain, which always starts at a keyframe, and a keyframe always has its URL.
-- 2. Event details are read by kick-off date or by chain, never by batch: the batch index now covers only
--    the catalogue and list pages it serves (catalogue replays), not one entry per event detail.
-- 3. The chain index drops the book: an event id names one event of one book all but always, and the book is
--    checked on the row (the queries still say it). The index entry is 8 bytes shorter.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0019_quarantine_number_kinds

ALTER TABLE core.raw_archive ALTER COLUMN url DROP NOT NULL;
ALTER TABLE core.raw_archive
    ADD CONSTRAINT raw_archive_url_shape CHECK (url IS NOT NULL OR base_at IS NOT NULL);

DROP INDEX IF EXISTS core.raw_archive_batch_idx;
CREATE INDEX IF NOT EXISTS raw_archive_listing_batch_idx
    ON core.raw_archive (batch_id, kind) WHERE kind <> 'event';

DROP INDEX IF EXISTS core.raw_archive_event_chain_idx;
CREATE INDEX IF NOT EXISTS raw_archive_event_chain_idx
    ON core.raw_archive (event_id, captured_at) WHERE kind = 'event';

COMMENT ON COLUMN core.raw_archive.url IS
    'the URL asked; NULL on a delta row asked at the same URL as its base (the readers resolve it along the chain)';
