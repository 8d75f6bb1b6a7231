"""The errors a book adapter raises, each naming the book, where it happened and what was wrong.

Three families, because callers react to them differently:
- ``PayloadError``: the book answered, but not in the shape we parse. Retrying may help once (a garbled
  response), repeatedly it means the book changed its API; the raw body goes to quarantine.
- ``NotFoundError``: the book says the thing does not exist (404, "Event not found", an ambiguous error
  envelope once retries are spent). Not a failure of the scrape: an event that kicked off is simply gone.
- ``FetchError``: we gave up on a request (retries spent on 5xx, throttling, timeouts, block pages...) or the
  book refused it for good (400, a redirect). Carries the last body seen so it can be quarantined.
"""

from __future__ import annotations

from palimpsest_pipeline.records import Book

#: What the standard library raises for a value it refuses: a number of more than 4,300 digits (``int()``,
#: ``str()``) or past a float's range, a value nested past the recursion limit. Met while reading a book's
#: answer, it is the book's bad value (a malformed answer), never the pipeline's crash.
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
    """A payload did not have the shape the adapter parses (``where``: endpoint or URL; ``what``: path)."""


class NotFoundError(BookError):
    """The book answered that the requested object does not exist (or no longer does)."""


class FetchError(BookError):
    """A request failed for good: retries exhausted, or a refusal that retrying cannot fix.

    ``kind`` is the error class used in statistics (e.g. ``"status_503"``, ``"timeout"``, ``"not_json"``);
    ``body`` the last body received, if any, so the caller can quarantine it.
    """

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
