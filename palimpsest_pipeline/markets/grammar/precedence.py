"""Which key an outcome gets when both the grammar and a book's reviewed table have one.

The grammar's UOF key first (read from the book's own names, checked against UOF's); then the table's
(hand-reviewed rows, kept for what the grammar cannot decide, and for UOF combinations it does not build);
then the grammar's canonical key (a bet UOF lacks). A canonical key never displaces a table's UOF or
combination key, but it does displace a table's native-family key: a book's own markets are read by the
grammar into the same canonical key, so that is where the other books' prices meet them.
"""

from __future__ import annotations

from palimpsest_pipeline.markets.grammar.canonical import DESCRIBED
from palimpsest_pipeline.markets.grammar.description import Key, Refusal
from palimpsest_pipeline.markets.uof import FIRST_NATIVE_ID

#: Market ids from here up are the project's own (combinations, canonical), not native families.
_FIRST_PROJECT_ID = 2_000_000


def _native_family(key: Key) -> bool:
    return FIRST_NATIVE_ID <= key[0] < _FIRST_PROJECT_ID


def choose(grammar: Key | Refusal | None, table: Key | None) -> Key | None:
    """The key to store for one outcome, or None when neither knows it."""
    if isinstance(grammar, tuple) and (grammar[0] != DESCRIBED or table is None or _native_family(table)):
        return grammar
    return table


def stands_in(table: Key | None) -> bool:
    """Whether a table's key may stand in for a name the grammar could not read (``Unreadable``): a UOF or
    combination key, which the grammar's reading would not have displaced; a native-family key would be
    this outcome keyed one way when the name reads and another when it does not."""
    return table is not None and not _native_family(table)
