"""MSport (five of BetPawa's countries), on SportyBet's platform: its catalogue and live lists (``catalogue``,
``live``) and its odds parser (``odds``), as one kit."""

from __future__ import annotations

from functools import partial

from palimpsest_pipeline.books.kit import BookKit
from palimpsest_pipeline.books.msport.odds import parse_odds
from palimpsest_pipeline.books.sportybet.platform import recognises_teams, saved_error_envelope
from palimpsest_pipeline.records import Book

#: How its event details name the teams.
TEAM_KEYS = frozenset({"homeTeam", "awayTeam"})


KIT = BookKit(
    book=Book.MSPORT,
    name="MSport",
    runs_on=Book.SPORTYBET,
    colour="#ae3ec9",
    parse_odds=parse_odds,
    recognises=partial(recognises_teams, own=TEAM_KEYS),
    error_envelope=saved_error_envelope,
)
