-- Compaction of closed archive days (issue 10: the raw archive no larger than the history it backs).
--
-- A capture writes each event detail's delta with zstd at a level that costs about 1.5 ms per body, so the
-- archive keeps up with the capture. zstd's strongest parser (level 19) stores the same deltas about a sixth
-- smaller, but costs some 20 ms per body: too much for the capture, affordable once a day off its path. The
-- daily maintenance re-encodes the packs of days that are over (warehouse/archive_compaction.py); every body
-- still decodes to exactly the bytes received, against the same base. This column says which packs it did.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0022_current_without_rewrites

ALTER TABLE core.archive_packs ADD COLUMN IF NOT EXISTS compaction_level smallint;

COMMENT ON COLUMN core.archive_packs.compaction_level IS
    'the zstd level the daily compaction re-encoded this pack''s frames at (NULL: as the capture wrote them)';
