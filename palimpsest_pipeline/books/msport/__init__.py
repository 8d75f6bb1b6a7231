"""MSport (five of BetPawa's countries), on SportyBet's platform: its catalogue and live lists (``catalogue``,
``live``) and its odds parser (``odds``), as one kit."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from palimpsest_pipeline.books.kit import BookKit, Limits, event_without_sr_id
from palimpsest_pipeline.books.msport.odds import parse_odds
from palimpsest_pipeline.books.sportybet.platform import recognises_teams, saved_error_envelope
from palimpsest_pipeline.records import Book

if TYPE_CHECKING:
    from palimpsest_pipeline.books.adapter import BookAdapter
    from palimpsest_pipeline.books.live_list import LiveAdapter

#: How its event details name the teams.
TEAM_KEYS = frozenset({"homeTeam", "awayTeam"})


def _adapter() -> BookAdapter:
    from palimpsest_pipeline.books.msport.catalogue import ADAPTER

    return ADAPTER


def _live_adapter() -> LiveAdapter:
    from palimpsest_pipeline.books.msport.live import LIVE_ADAPTER

    return LIVE_ADAPTER


KIT = BookKit(
    book=Book.MSPORT,
    name="MSport",
    platform=Book.SPORTYBET,
    # no documented limit: 20 in flight is a guess, kept below the others' 50
    limits=Limits(max_in_flight=20, pause_s=0.0),
    colour="#ae3ec9",
    keys_tournaments=False,
    parse_odds=parse_odds,
    adapter=_adapter,
    live_adapter=_live_adapter,
    recognises=partial(recognises_teams, own=TEAM_KEYS),
    error_envelope=saved_error_envelope,
    no_sr_id=event_without_sr_id,
)
