"""What a table of the desk, the live panel or the weekly digest is (its columns, its rows, what it says when
it has none), and the columns many of them share, so each table spells out only the columns of its own."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Column:
    name: str  # the frame's column
    label: str
    numeric: bool = False
    #: What an empty (null) cell reads, on the page and in the CSV.
    missing: str = ""


@dataclass(frozen=True)
class DeskTable:
    key: str
    title: str
    caption: str
    columns: tuple[Column, ...]
    rows: pl.DataFrame | None  # None: the table is not computed yet
    empty: str
    #: The column the drop-down filters on (none when the table lacks it; "All <column>s" shows every row).
    filter_by: str = "sport"


def number(name: str, label: str, missing: str = "") -> Column:
    """A numeric column: sorted as numbers, and a negative number stays a number in the CSV."""
    return Column(name, label, numeric=True, missing=missing)


BOOK = Column("book", "Book")
SPORT = Column("sport", "Sport")
KICKOFF = Column("kickoff", "Kick-off (UTC)")
TOURNAMENT = Column("tournament", "Tournament")
#: The tournament under the name the digest gives it.
COMPETITION = Column("tournament", "Competition")
MARKET_FAMILY = Column("market_family", "Market family")
MATCHES = number("matches", "Matches")
OUTCOMES = number("outcomes", "Outcomes")


def match_columns(when: Column = KICKOFF, *, country: bool = False) -> tuple[Column, ...]:
    """The columns naming a match: ``when`` (its kick-off unless told), its sport, its country (where
    ``country``), its tournament and its teams."""
    where = (Column("country", "Country"),) if country else ()
    return (when, SPORT, *where, TOURNAMENT, Column("match", "Match"))
