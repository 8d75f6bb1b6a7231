"""Which key an outcome gets when both the grammar and a book's reviewed table have one: the grammar's UOF
key, then the table's, then the grammar's canonical key, which displaces a table's native-family key only
(the other books' prices meet a book's own markets under the canonical key).
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
