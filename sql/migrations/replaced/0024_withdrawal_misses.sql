-- An event is withdrawn only when consecutive complete, plausible scrapes miss it: each such miss counts here,
-- and every scrape that sees the event resets it (warehouse/catalogue_store.py).
-- depends: 0023_archive_compaction

ALTER TABLE core.events ADD COLUMN IF NOT EXISTS missed_scrapes smallint NOT NULL DEFAULT 0;

COMMENT ON COLUMN core.events.missed_scrapes IS
    'Consecutive complete, plausible catalogue scrapes of the book that did not list this live event; it is '
    'withdrawn (deleted_at) when this reaches PALIMPSEST_WITHDRAW_AFTER_MISSES (default 2).';
