"""Which key an outcome gets when both the grammar and a book's reviewed table have one.

The grammar's UOF key first (read from the book's own names, checked against UOF's); then the table's
(hand-reviewed rows, kept for what the grammar cannot decide, and for UOF combinations it does not build);
then the grammar's canonical key (a bet UOF lacks). A canonical key never displaces a table's UOF key.
"""

from __future__ import annotations

from palimpsest_pipeline.markets.grammar.canonical import DESCRIBED
from palimpsest_pipeline.markets.grammar.description import Refusal

Key = tuple[int, str, int]


def choose(grammar: Key | Refusal | None, table: Key | None) -> Key | None:
    """The key to store for one outcome, or None when neither knows it."""
    if isinstance(grammar, tuple) and grammar[0] != DESCRIBED:
        return grammar
    if table is not None:
        return table
    return grammar if isinstance(grammar, tuple) else None
