"""Markets of the sandbox's event-detail payloads, rendered in each book's own shape.

``render_markets`` is the sandbox server's single entry point. Prices come from one shared model
(model.py) so a match is priced consistently on every book; each book adds its margin and noise
(pricing.py) and renders the canonical markets through the inverse of its mapping table, plus unmapped
book-typical markets so payload size and mapping rate are realistic (its folder's markets.py).
"""

from __future__ import annotations

from typing import Any

from palimpsest_pipeline.records import Book
from palimpsest_sandbox.kit import kit
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
    """The markets part of one event-detail payload, in ``book``'s shape (its kit's ``markets``).

    ``match_seed`` must be the same for one match on every book; ``version`` is the event's price version
    (moves.py: each market re-prices on its own slot); ``depth`` in [0, 1] how deep the event is on this book
    (0 a minor match, 1 the deepest top match: see ``WorldEvent.depth``). Deterministic for equal arguments.
    ``teams``: the book's home and away names, which some books print beside a player or an outcome;
    ``sr_id``: the match's SportRadar id, which some books' market ids begin with.
    """
    return kit(book).markets(match_seed, version, sport, depth, teams, sr_id)
