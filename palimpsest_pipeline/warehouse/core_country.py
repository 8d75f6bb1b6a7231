"""The site country of a core table's rows, for the readers that judge each country apart (key health, feeds).

A core table that carries ``site_country`` names each row's country; one that does not yet holds Nigeria's
rows only (the one country read before core tables carried it), so its rows read as the default country.
"""

from __future__ import annotations

import psycopg

from palimpsest_pipeline.records import DEFAULT_SITE_COUNTRY


def site_country_of(conn: psycopg.Connection, table: str, alias: str) -> str:
    """SQL naming the site country of ``alias``'s rows of ``table`` (``core.odds_captures``): the column
    where the table has one, else the default country as a literal. ``table`` and ``alias`` are constants."""
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_attribute"
        " WHERE attrelid = to_regclass(%s) AND attname = 'site_country' AND NOT attisdropped)",
        (table,),
    ).fetchone()
    return f"{alias}.site_country" if row and row[0] else f"'{DEFAULT_SITE_COUNTRY}'"
