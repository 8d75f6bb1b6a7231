-- Archive compaction is gone: its daily re-encoding of closed days cost far more CPU than the space it saved.
-- Packs it re-encoded stay readable as they are (a frame decodes to the same bytes whatever level wrote it);
-- only the column recording which packs it had done goes.
-- depends: 0024_withdrawal_misses

ALTER TABLE core.archive_packs DROP COLUMN IF EXISTS compaction_level;
