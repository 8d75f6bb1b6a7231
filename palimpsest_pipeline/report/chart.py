"""What every chart of the traders' report shares: the :class:`Chart` a builder returns, the page width, each
book's colour and the axes several charts draw alike.
Vega-Lite through altair: axes, legends and tooltips from a maintained library, rendered offline (``page``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import polars as pl

from palimpsest_pipeline.books.kits import KITS

#: The books' colours (each kit's), the same on every chart.
BOOK_COLOURS = {book.value: kit.colour for book, kit in KITS.items()}
#: Colours for a book no kit names (rows of a book since removed), in the order such books appear.
_OTHER_BOOK_COLOURS = ("#0ca678", "#f783ac", "#74c0fc", "#a9e34b", "#fab005")
WIDTH = 640
#: A share from 0 to 1 on the y axis, read as a percentage.
SHARE_AXIS = alt.Y("share:Q", title=None, axis=alt.Axis(format="%"), scale=alt.Scale(zero=False))


@dataclass(frozen=True)
class Chart:
    """One chart of the page: ``spec`` is a Vega-Lite dict, or None with ``empty`` saying why."""

    key: str
    title: str
    caption: str
    spec: dict[str, Any] | None
    empty: str = ""


def book_scale(books: Sequence[str], frame: pl.DataFrame) -> alt.Scale:
    """One colour per book: ``books`` (the country's, in order) then any other the frame's ``book`` column
    names, each known book in its own colour on every chart and page."""
    known = list(BOOK_COLOURS)
    found = sorted(
        (str(book) for book in frame["book"].unique().to_list()) if "book" in frame.columns else (),
        key=lambda book: (known.index(book) if book in known else len(known), book),
    )
    domain = list(dict.fromkeys([*books, *found]))
    others = iter(_OTHER_BOOK_COLOURS * (1 + len(domain) // len(_OTHER_BOOK_COLOURS)))
    return alt.Scale(domain=domain, range=[BOOK_COLOURS.get(book) or next(others) for book in domain])


def utc_time_axis(column: str, title: str) -> alt.X:
    """An x axis of UTC instants, labelled by day and minute."""
    return alt.X(
        f"{column}:T",
        title=title,
        scale=alt.Scale(type="utc"),
        axis=alt.Axis(format="%d %b %H:%M", labelAngle=-30),
    )
