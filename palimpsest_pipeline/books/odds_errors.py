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
