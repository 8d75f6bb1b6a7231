"""The cap on a book's free text (market, outcome, player and team names) before any regular expression: a
longer name is a hostile or broken value, refused with its length, never truncated and keyed nor echoed whole.
"""

from __future__ import annotations

#: The longest market, outcome, player or team name the grammar reads (docs/markets-grammar.md).
MAX_NAME_LENGTH = 200
#: How much of an over-long text a reason quotes.
_QUOTED = 40


def overlong(text: str, what: str) -> str | None:
    """Why ``text`` (a ``what``: "market name", "outcome name"...) is not read: too long; else None."""
    if len(text) <= MAX_NAME_LENGTH:
        return None
    return (
        f"{what} of {len(text)} characters ({text[:_QUOTED]!r}...) is longer than the {MAX_NAME_LENGTH} "
        "a name may have"
    )


_ASCII_DIGITS = "0123456789"


def split_at_least(text: str) -> tuple[str, int] | None:
    """ "Uriel Antuna (Pumas) 2+" -> ("Uriel Antuna (Pumas) ", 2): the text before the count (as written,
    spaces kept) and N of a trailing "N+"; None without one. String operations, not a pattern: a regular
    expression splitting a subject from its digits tries every split of a long run of digits."""
    if not text.endswith("+") or overlong(text, "name"):
        return None
    body = text[:-1]
    before = body.rstrip(_ASCII_DIGITS)
    if len(before) == len(body):
        return None
    return before, int(body[len(before) :])
