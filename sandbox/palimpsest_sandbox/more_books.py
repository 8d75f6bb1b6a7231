"""MSport's, Betway's and Betika's place in the world: which matches they list, when, and how they name them.

Drawn from streams of their own (a hash of the seed, the match and the book), never from the day's stream the
first three books' listings come from, so adding them changes nothing those books show. MSport runs
SportyBet's platform on SportRadar's names and ids; Betway shows SportRadar's names and ids of its own making
(slugs: region ``mexico``, league ``liga-mx-clausura``).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta

from palimpsest_pipeline.records import Book
from palimpsest_sandbox.markets.moves import unit

#: The books whose listings, names and calibration come from the world's day stream (world.py).
FIRST_BOOKS: tuple[Book, ...] = (Book.BETPAWA, Book.SPORTYBET, Book.BET9JA)
#: The books drawn from streams of their own (here): the first books' world is the same with or without them.
NEW_BOOKS: tuple[Book, ...] = (Book.MSPORT, Book.BETWAY, Book.BETIKA)
#: The books the sandbox serves (the pipeline's ``records.SCRAPED_BOOKS`` are its own business).
SERVED_BOOKS: tuple[Book, ...] = (*FIRST_BOOKS, *NEW_BOOKS)
#: Share of the matches listed anywhere that each new book lists (MSport follows SportyBet's feed closely).
LISTED_SHARE = {Book.MSPORT: 0.8, Book.BETWAY: 0.75, Book.BETIKA: 0.7}
#: Days of lead each new book adds to a match's announcement, as ``world.BOOK_LEAD_OFFSET_DAYS``.
LEAD_OFFSET_DAYS = {Book.MSPORT: -0.2, Book.BETWAY: -0.5, Book.BETIKA: -0.4}
WITHDRAWN_SHARE = 0.01
#: Each new book's own stream: cheap integer hashes of (seed, match, salt, draw), never the day's stream.
_SALT = {Book.MSPORT: 0x4D53, Book.BETWAY: 0x4257, Book.BETIKA: 0x424B}
#: Betway's sport ids (``sportEvent.sportId``) by the world's sport keys.
BETWAY_SPORTS = {"football": "soccer", "basketball": "basketball", "tennis": "tennis"}
#: Betika's sport ids (``sport_id``, captured) by the world's sport keys.
BETIKA_SPORTS = {"football": "14", "basketball": "30", "tennis": "28"}


def new_listings(
    seed: int, uid: int, kickoff: datetime, days: int
) -> dict[Book, tuple[datetime, datetime | None]]:
    """(appear_at, withdrawn_at) of the match on each new book that lists it."""
    found: dict[Book, tuple[datetime, datetime | None]] = {}
    for book in NEW_BOOKS:
        salt = _SALT[book]

        def draw(k: int, salt: int = salt) -> float:
            return unit(seed, uid, salt, k)

        if draw(0) >= LISTED_SHARE[book]:
            continue
        announce = days * (1.0 if draw(1) < 0.6 else 0.15 + 0.85 * draw(2))
        lead_days = announce + LEAD_OFFSET_DAYS[book] + 0.6 * draw(3) - 0.3
        lead = timedelta(minutes=round(min(days, max(0.05, lead_days)) * 1_440))
        appear_at = kickoff - lead
        withdrawn_at = None
        if draw(4) < WITHDRAWN_SHARE:
            withdrawn_at = appear_at + timedelta(minutes=round(draw(5) * lead.total_seconds() / 60))
        found[book] = (appear_at, withdrawn_at)
    return found


def slug(text: str) -> str:
    """ "Liga MX, Clausura" -> "liga-mx-clausura" (Betway's region and league ids)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "x"
