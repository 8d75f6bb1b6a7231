"""The one error odds parsers raise for a payload they cannot read, and what a market not read costs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT
from palimpsest_pipeline.markets.keying.records import Aside, MarketRecord
from palimpsest_pipeline.records import Book


class OddsPayloadError(ValueError):
    """A malformed event-detail payload: names the book, where in the payload, and what was wrong."""

    def __init__(self, book: Book, where: str, what: str) -> None:
        super().__init__(f"{book.value} odds payload at {where}: {what}")
        self.book = book
        self.where = where
        self.what = what


#: What reading one hostile market can raise: it costs that market, not the event.
UNREADABLE = (OddsPayloadError, KeyError, TypeError, ValueError, AttributeError)


def market_records(
    book: Book,
    markets: list[Any],
    at: str,
    read: Callable[[Any, str], Iterable[MarketRecord | Aside]],
    ref_field: str | None,
) -> Iterator[MarketRecord | Aside]:
    """What ``read`` makes of each market at ``{at}[i]``, in payload order; a market whose reading raises
    (``UNREADABLE``) is set aside with why, counted under its ``ref_field`` (None: under its place)."""
    for index, market in enumerate(markets):
        where = f"{at}[{index}]"
        try:
            yield from read(market, where)
        except UNREADABLE as error:
            ref: Any = where
            if ref_field is not None:
                ref = market.get(ref_field) if isinstance(market, JSON_OBJECT) else None
            if isinstance(error, OddsPayloadError):
                yield Aside(ref, str(error))
            else:
                yield Aside(ref, f"{book.value}: {where}: unreadable ({repr(error)[:200]})")
