"""The one error odds parsers raise for a payload they cannot read."""

from __future__ import annotations

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


def unreadable(book: Book, where: str, error: Exception) -> str:
    """Why the market at ``where`` is set aside after reading it raised ``error`` (one of ``UNREADABLE``)."""
    if isinstance(error, OddsPayloadError):
        return str(error)
    return f"{book.value}: {where}: unreadable ({repr(error)[:200]})"
