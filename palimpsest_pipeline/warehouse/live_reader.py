"""What the report's live panel shows of one site country: the gaps open as of its latest poll, each book's
suspended share.

Empty frames when the live watcher never ran (its tables are there from the migrations, but empty).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import polars as pl
import psycopg

from palimpsest_pipeline.records import DEFAULT_SITE_COUNTRY
from palimpsest_pipeline.warehouse.table_io import read_frame

#: Rows each gap table shows at most (the oldest gaps first).
PANEL_ROWS = 300
#: Open gaps seen this long before the latest poll still show (a poll without BetPawa's answer judges none).
SEEN_SECONDS = 300


@dataclass(frozen=True)
class LivePanelData:
    """The latest poll's instant, the gaps open then on each side, and each book's suspended share."""

    latest_poll: datetime | None
    betpawa_missing: pl.DataFrame
    competitor_missing: pl.DataFrame
    suspension: pl.DataFrame


def read_live_panel(conn: psycopg.Connection, site_country: str = DEFAULT_SITE_COUNTRY) -> LivePanelData:
    """The live panel of ``site_country``'s sites."""
    row = conn.execute(
        "SELECT max(polled_at) FROM analytics.live_suspension WHERE site_country = %s", (site_country,)
    ).fetchone()
    latest = None if row is None else row[0]
    return LivePanelData(
        latest_poll=latest,
        betpawa_missing=_gaps(conn, site_country, "betpawa_missing", latest),
        competitor_missing=_gaps(conn, site_country, "competitor_missing", latest),
        suspension=_suspension(conn, site_country, latest),
    )


def _gaps(conn: psycopg.Connection, site_country: str, side: str, latest: datetime | None) -> pl.DataFrame:
    return read_frame(
        conn,
        """
        SELECT since, sport, coalesce(country, '') AS country, tournament, home || ' v ' || away AS match,
               array_to_string(live_on, ', ') AS live_on, array_to_string(missing_on, ', ') AS missing_on,
               round(extract(epoch FROM last_seen_at - since)::numeric / 60, 1)::float8 AS minutes_open, sr_id
        FROM analytics.live_coverage
        WHERE closed_at IS NULL AND side = %(side)s AND site_country = %(country)s
          AND last_seen_at >= %(latest)s::timestamptz - make_interval(secs => %(seen)s)
        ORDER BY since, sr_id
        LIMIT %(rows)s
        """,
        {"side": side, "country": site_country, "latest": latest, "seen": SEEN_SECONDS, "rows": PANEL_ROWS},
    )


def _suspension(conn: psycopg.Connection, site_country: str, latest: datetime | None) -> pl.DataFrame:
    """Per book: the latest poll's figures and the share over the hour before it (usable polls only)."""
    return read_frame(
        conn,
        """
        SELECT book,
               max(live_events) FILTER (WHERE polled_at = %(latest)s) AS live_events,
               max(markets) FILTER (WHERE polled_at = %(latest)s) AS markets,
               round((100 * max(suspended_share) FILTER (WHERE polled_at = %(latest)s))::numeric, 1)::float8
                   AS suspended_pct,
               round((100 * sum(suspended)::float8 / nullif(sum(markets), 0))::numeric, 1)::float8
                   AS suspended_pct_hour,
               count(*) AS polls_hour
        FROM analytics.live_suspension
        WHERE status = 'ok' AND site_country = %(country)s
          AND polled_at > %(latest)s::timestamptz - interval '1 hour' AND polled_at <= %(latest)s::timestamptz
        GROUP BY book
        ORDER BY book
        """,
        {"latest": latest, "country": site_country},
    )
