"""Pure parsers of one event-detail payload's prices into canonical :class:`records.OddsRow` rows.

One module per book, each exposing
``parse_odds(payload, *, sr_id, captured_at) -> OddsParse``; the mapping tables live in
``palimpsest_pipeline.markets``.
"""

from palimpsest_pipeline.books.odds.errors import OddsPayloadError
from palimpsest_pipeline.books.odds.result import OddsParse

__all__ = ["OddsParse", "OddsPayloadError"]
