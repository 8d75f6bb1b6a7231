"""A live row's lines keyed by the book's own odds parser, as its event detail's markets are: each line's
canonical market and specifier, suspended when none of its outcomes is open, so a live line falls in the
same market family as the prematch capture of the same market."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

from palimpsest_pipeline.books.errors import PayloadError
from palimpsest_pipeline.books.odds_errors import OddsPayloadError
from palimpsest_pipeline.books.odds_parse import EventOdds

#: The instant stamped on rows keyed only to count the live lines (never stored).
UNSTAMPED = datetime(1970, 1, 1, tzinfo=UTC)

Line = tuple[int, str, bool]


class OddsParser(Protocol):
    def __call__(self, payload: Mapping[str, Any], *, sr_id: int, captured_at: datetime) -> EventOdds: ...


def keyed_lines(parse: OddsParser, payload: Any, sr_id: int | None) -> tuple[Line, ...]:
    """Each keyed live line (canonical market, specifier, suspended: no open outcome); none where the row
    has no SR id or its markets cannot be keyed (its totals still count)."""
    if sr_id is None or not isinstance(payload, Mapping):
        return ()
    try:
        odds = parse(payload, sr_id=sr_id, captured_at=UNSTAMPED)
    except (OddsPayloadError, PayloadError, RecursionError):  # a value nested past Python's limit: unkeyable
        return ()
    open_lines: dict[tuple[int, str], bool] = {}
    for keyed in odds.rows:
        key = (keyed.market, keyed.specifier)
        open_lines[key] = open_lines.get(key, False) or keyed.state == "open"
    return tuple((market, specifier, not is_open) for (market, specifier), is_open in open_lines.items())
