"""Markets of the sandbox's event-detail payloads, rendered in each book's own shape.

``render_markets`` is the sandbox server's single entry point. Prices come from one shared model
(model.py) so a match is priced consistently on every book; each book adds its margin and noise
(pricing.py) and renders the canonical markets through the inverse of its mapping table, plus unmapped
book-typical markets so payload size and mapping rate are realistic.
"""

from __future__ import annotations

from typing import Any

from palimpsest_pipeline.records import Book
from palimpsest_sandbox.markets import bet9ja as bet9ja
from palimpsest_sandbox.markets import betika as betika
from palimpsest_sandbox.markets import betpawa as betpawa
from palimpsest_sandbox.markets import betway as betway
from palimpsest_sandbox.markets import msport as msport
from palimpsest_sandbox.markets import sportybet as sportybet
from palimpsest_sandbox.markets.pricing import BookPrices, book_prices

__all__ = ["BookPrices", "book_prices", "render_markets"]


def render_markets(
    book: Book,
    *,
    match_seed: int,
    version: int,
    sport: str,
    depth: float = 1.0,
    teams: tuple[str, str] = ("Home", "Away"),
    sr_id: int = 0,
) -> Any:
    """The markets part of one event-detail payload.

    SportyBet: the list for ``data.markets``; BetPawa: the list for ``markets``; Bet9ja: a dict
    ``{"O": {...}, "MK": [...]}`` for ``D.O`` and ``D.MK``. ``match_seed`` must be the same for one match on
    every book; ``version`` is the event's price version (moves.py: each market re-prices on its own slot);
    ``depth`` in [0, 1] how deep the event is on this book (0 a minor match, 1 the deepest top match: see
    ``WorldEvent.depth``). Deterministic for equal arguments. ``teams``: the book's home and away names,
    which SportyBet's player props print beside each player ("Uriel Antuna (Pumas) 2+"). MSport: the list for
    ``data.markets``; Betway: its market groups (markets/betway.py), whose ids begin with ``sr_id``; Betika: a
    row's ``odds`` groups.
    """
    if book is Book.SPORTYBET:
        return sportybet.render(match_seed, version, sport, depth, teams)
    if book is Book.BETPAWA:
        return betpawa.render(match_seed, version, sport, depth)
    if book is Book.BET9JA:
        return bet9ja.render(match_seed, version, sport, depth)
    if book is Book.MSPORT:
        return msport.render(match_seed, version, sport, depth)
    if book is Book.BETWAY:
        return betway.render(sr_id, match_seed, version, sport, depth, teams)
    if book is Book.BETIKA:
        return betika.render(match_seed, version, sport, depth)
    raise ValueError(f"render_markets: unknown book {book!r}")
