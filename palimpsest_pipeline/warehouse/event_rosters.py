"""The players each book has listed with their SportRadar ids per event, remembered across captures:
``core.event_rosters``.

Stored (upserted) with a capture's prices and read back by the next capture, so names resolve against
every roster an event has shown. An entry that cannot be stored as text is left out alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import psycopg

from palimpsest_pipeline.markets.players import RosterPlayer
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.copy import copy_binary


@dataclass(frozen=True, slots=True)
class ListedRoster:
    """The players one answer (``book`` on event ``sr_id``, captured at ``captured_at``) listed with ids."""

    sr_id: int
    book: Book
    captured_at: datetime
    players: Sequence[RosterPlayer]


@dataclass(frozen=True, slots=True)
class StoredPlayer:
    """A stored roster entry: the player, and the capture time of the first answer that listed it."""

    player: RosterPlayer
    first_seen_at: datetime


_BIGINT_LIMIT = 1 << 63
_COLUMNS = ("sr_id", "book", "player_sr_id", "name", "team", "seen_at")
_TYPES = ("int8", "text", "int8", "text", "text", "timestamptz")

_UPSERT = """
INSERT INTO core.event_rosters AS r (sr_id, book, player_sr_id, name, team, first_seen_at, last_seen_at,
                                     site_country)
SELECT sr_id, book, player_sr_id, name, team, min(seen_at), max(seen_at), %(cc)s
FROM rosters_in
GROUP BY sr_id, book, player_sr_id, name, team
ORDER BY sr_id, book, player_sr_id, name, team
ON CONFLICT (sr_id, book, site_country, player_sr_id, name, team) DO UPDATE SET
    first_seen_at = least(r.first_seen_at, EXCLUDED.first_seen_at),
    last_seen_at = greatest(r.last_seen_at, EXCLUDED.last_seen_at)
WHERE EXCLUDED.first_seen_at < r.first_seen_at OR EXCLUDED.last_seen_at > r.last_seen_at
"""


def store_event_rosters(
    conn: psycopg.Connection, rosters: Iterable[ListedRoster], *, site_country: str
) -> int:
    """Remember the players of ``rosters`` read from ``site_country``'s sites; return the entries inserted or
    moved. The caller holds the transaction (the one storing the captures that listed them); rows are written
    in key order, so two writers of one event wait for each other in one order."""
    rows = [
        (roster.sr_id, Book(roster.book).value, p.sr_id, p.name, p.team, roster.captured_at)
        for roster in rosters
        for p in roster.players
        if _storable(p)
    ]
    if not rows:
        return 0
    copy_binary(conn, "rosters_in", _COLUMNS, _TYPES, rows, temp=True)
    written = conn.execute(_UPSERT, {"cc": site_country}).rowcount
    conn.execute("DROP TABLE rosters_in")
    return written


def read_event_rosters(
    conn: psycopg.Connection, sr_ids: Sequence[int], *, site_country: str
) -> dict[int, tuple[StoredPlayer, ...]]:
    """Every player stored for the events ``sr_ids`` (any book of ``site_country``'s sites), by event, in one
    query; events without a stored roster are absent."""
    if not sr_ids:
        return {}
    by_event: dict[int, list[StoredPlayer]] = {}
    for sr_id, player_sr_id, name, team, first_seen_at in conn.execute(
        """
        SELECT sr_id, player_sr_id, name, team, min(first_seen_at) FROM core.event_rosters
        WHERE sr_id = ANY(%s) AND site_country = %s GROUP BY sr_id, player_sr_id, name, team
        ORDER BY sr_id, player_sr_id, name, team
        """,
        (list(sr_ids), site_country),
    ):
        player = RosterPlayer(int(player_sr_id), name, team)
        by_event.setdefault(int(sr_id), []).append(StoredPlayer(player, first_seen_at))
    return {sr_id: tuple(players) for sr_id, players in by_event.items()}


def _storable(player: RosterPlayer) -> bool:
    """Whether the entry fits the table: a positive id within bigint, a name, no NUL (text refuses it)."""
    return (
        0 < player.sr_id < _BIGINT_LIMIT
        and bool(player.name.strip())
        and "\x00" not in player.name
        and "\x00" not in player.team
    )
