"""Reads of the capture log (``core.odds_captures``) that say how current each book's stored prices are."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
import psycopg

from palimpsest_pipeline.frames import CAPTURE_LOG_SCHEMA
from palimpsest_pipeline.warehouse.frames import read_frame


def read_latest_attempts(conn: psycopg.Connection, sr_ids: Sequence[int]) -> pl.DataFrame:
    """Per (sr_id, book) ever captured: the latest attempt (time, status) and the latest successful one.

    The input of ``transforms.freshness.stale_before``: a newer failed attempt makes older prices stale.
    Schema ``CAPTURE_LOG_SCHEMA``.
    """
    frame = read_frame(
        conn,
        """
        SELECT sr_id, book,
               max(captured_at) AS last_attempt_at,
               (array_agg(status ORDER BY captured_at DESC))[1] AS last_attempt_status,
               max(captured_at) FILTER (WHERE status = 'ok') AS last_ok_at
        FROM core.odds_captures
        WHERE sr_id = ANY(%s::bigint[])
        GROUP BY sr_id, book
        ORDER BY sr_id, book
        """,
        (list(sr_ids),),
    )
    return frame.cast(CAPTURE_LOG_SCHEMA)  # type: ignore[arg-type]
