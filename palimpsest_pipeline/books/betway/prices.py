"""Betway's ``prices`` array, joined to the outcomes by ``outcomeId``: each price's decimal, checked against
its fraction (the same price carried twice; a price whose two forms disagree is not keyed)."""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from palimpsest_pipeline.books.odds_values import BadValue, id_problem, price_value, require_mapping
from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT
from palimpsest_pipeline.records import MAX_ID_CHARS, Book

#: A decimal price and its fraction may differ by rounding only.
_PRICE_TOLERANCE = 0.011
#: In ``Prices.decimals``: a price not read in one pass (priced twice, not an object, no readable decimal
#: or one its fraction denies); :meth:`Prices.read` says why.
UNUSUAL = object()
_INFINITY = float("inf")
_PRICE_FIELDS = ("outcomeId", "priceDecimal", "numerator", "denominator")


class Prices:
    """One answer's prices by outcome id."""

    def __init__(self, book: Book, prices: list[Any]) -> None:
        self.book = book
        self.prices: dict[str, Any] = {}
        #: per priced outcome, its decimal read in one pass (None: closed), else ``UNUSUAL``
        self.decimals: dict[str, Any] = {}
        self.twice: set[str] = set()
        #: why a price names no outcome that can be read (its ``outcomeId`` no id): an unpriced outcome of
        #: this answer may be the one it prices, so none is read as closed
        self.unmatched = ""
        indexed, decimals, read = self.prices, self.decimals, reader(prices, _PRICE_FIELDS)
        for price in prices:
            try:
                outcome_id, decimal, numerator, denominator = read(price)
            except (KeyError, TypeError, IndexError):  # a field lacking, or not an object
                outcome_id = price.get("outcomeId") if isinstance(price, JSON_OBJECT) else None
                decimal = None
            if type(outcome_id) is not str or len(outcome_id) > MAX_ID_CHARS:
                problem = id_problem(outcome_id) or f"id is {type(outcome_id).__name__}, not text"
                self.unmatched = self.unmatched or f"a price's outcomeId: {problem}"
                continue
            if outcome_id in indexed:
                if not _same_price(read, indexed[outcome_id], price):  # a repeat of one price is that price
                    self.twice.add(outcome_id)
                    decimals[outcome_id] = UNUSUAL
                continue
            elif (  # the usual price: a decimal its whole fraction agrees with within the least tolerance
                type(decimal) is float
                and 1.0 < decimal < _INFINITY
                and type(numerator) is type(denominator) is int
                and denominator > 0
                and abs(1 + numerator / denominator - decimal) <= _PRICE_TOLERANCE
                and type(price) is dict
            ):
                decimals[outcome_id] = decimal
            else:
                decimals[outcome_id] = _usual(price)
            indexed[outcome_id] = price

    def read(self, outcome_id: str) -> float | None:
        """The outcome's decimal price (None: closed or not priced); raises naming why it is not read."""
        if outcome_id in self.twice:
            raise ValueError(f"outcome {outcome_id[:60]!r} is priced twice")
        price = self.prices.get(outcome_id)
        if price is None:
            if self.unmatched:  # its price may be the one whose id cannot be read: not read as closed
                raise ValueError(f"no price of its own, and {self.unmatched}")
            return None
        price = require_mapping(self.book, price, f"prices[{outcome_id[:60]}]")
        decimal = price_value(price.get("priceDecimal"))
        numerator, denominator = price.get("numerator"), price.get("denominator")
        if _fraction_disagrees(decimal, numerator, denominator):
            raise ValueError(f"priceDecimal {decimal} disagrees with its fraction {numerator}/{denominator}")
        return decimal


def _usual(price: Any) -> Any:
    """A price's decimal read in one pass (None: closed), or ``UNUSUAL``."""
    if type(price) is not dict:
        return UNUSUAL
    decimal = price.get("priceDecimal")
    if type(decimal) is not float or not 1.0 < decimal < _INFINITY:
        try:
            decimal = price_value(decimal)
        except BadValue:
            return UNUSUAL
    if _fraction_disagrees(decimal, price.get("numerator"), price.get("denominator")):
        return UNUSUAL
    return decimal


def _fraction_disagrees(decimal: float | None, numerator: Any, denominator: Any) -> bool:
    """Whether a price's fraction (whole numbers, when given) says another price than its decimal."""
    return (
        decimal is not None
        and type(numerator) is int
        and type(denominator) is int
        and denominator > 0
        and abs(1 + numerator / denominator - decimal) > max(_PRICE_TOLERANCE, decimal * 0.005)
    )


def reader(items: list[Any], fields: tuple[str, ...]) -> itemgetter[Any]:
    """An ``itemgetter`` of ``fields`` by the first item's own key strings, where it has them: the decoder
    shares them across a payload's objects, so a lookup matches by identity rather than by comparing text."""
    own = {key: key for key in items[0]} if items and type(items[0]) is dict else {}
    return itemgetter(*[own.get(field, field) for field in fields])


def _same_price(read: Callable[[Any], tuple[Any, ...]], first: Any, again: Any) -> bool:
    """Whether two prices of one outcome say the same: decimal, numerator and denominator alike."""
    try:
        return read(first)[1:] == read(again)[1:]
    except (KeyError, TypeError, IndexError):
        return False
