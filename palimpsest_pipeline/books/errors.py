"""The errors a book adapter raises, each naming the book, where and what."""

from __future__ import annotations

from palimpsest_pipeline.records import Book

#: What the standard library raises for a value it refuses (a number too long or too large, a value nested
#: too deep): met while reading a book's answer, the book's bad value, never the pipeline's crash.
REFUSED_VALUE_ERRORS = (ValueError, ArithmeticError, RecursionError)


def refusal(error: BaseException) -> str:
    """A refused value's error as a reason: its kind and the start of its message."""
    return f"a value the reader refused ({type(error).__name__}: {str(error)[:200]})"


class BookError(Exception):
    """Base of every error raised while talking to a book or parsing its answers."""

    def __init__(self, book: Book, where: str, what: str) -> None:
        self.book = book
        self.where = where
        self.what = what
        super().__init__(f"{book.value}: {where}: {what}")


class PayloadError(BookError):
    """A payload not in the shape parsed (quarantined); ``where``: endpoint or URL, ``what``: the path."""


class NotFoundError(BookError):
    """The book answered that the requested object does not exist (or no longer does): not a failure."""


class FetchError(BookError):
    """A request failed for good (retries spent, or refused): ``kind`` for statistics (``"status_503"``,
    ``"timeout"``...), ``body`` the last body received, to quarantine."""

    def __init__(
        self,
        book: Book,
        where: str,
        what: str,
        *,
        kind: str,
        attempts: int,
        status: int | None = None,
        body: bytes | None = None,
    ) -> None:
        super().__init__(book, where, f"{what} (after {attempts} attempt{'s' if attempts != 1 else ''})")
        self.kind = kind
        self.attempts = attempts
        self.status = status
        self.body = body
