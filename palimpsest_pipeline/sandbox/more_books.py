"""MSport's and Betway's place in the world: which matches they list, when, and how they name them.

Drawn from streams of their own (a hash of the seed, the book and the match), never from the day's stream the
first three books' listings come from, so adding them changes nothing those books show. MSport runs
SportyBet's platform on SportRadar's names and ids; Betway shows SportRadar's names and ids of its own making
(slugs: region ``mexico``, league ``liga-mx-clausura``).
"""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import datetime, timedelta

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.sandbox.names import stable_hash

#: The books whose listings, names and calibration come from the world's day stream (world.py).
FIRST_BOOKS: tuple[Book, ...] = (Book.BETPAWA, Book.SPORTYBET, Book.BET9JA)
#: The books drawn from streams of their own (here): the first books' world is the same with or without them.
NEW_BOOKS: tuple[Book, ...] = (Book.MSPORT, Book.BETWAY)
#: The books the sandbox serves (the pipeline's ``records.SCRAPED_BOOKS`` are its own business).
SERVED_BOOKS: tuple[Book, ...] = (*FIRST_BOOKS, *NEW_BOOKS)
#: Share of the matches listed anywhere that each new book lists (MSport follows SportyBet's feed closely).
LISTED_SHARE = {Book.MSPORT: 0.8, Book.BETWAY: 0.75}
#: Days of lead each new book adds to a match's announcement, as ``world.BOOK_LEAD_OFFSET_DAYS``.
LEAD_OFFSET_DAYS = {Book.MSPORT: -0.2, Book.BETWAY: -0.5}
WITHDRAWN_SHARE = 0.01
#: Betway's sport ids (``sportEvent.sportId``) by the world's sport keys.
BETWAY_SPORTS = {"football": "soccer", "basketball": "basketball", "tennis": "tennis"}


def new_listings(
    seed: int, uid: int, kickoff: datetime, days: int
) -> dict[Book, tuple[datetime, datetime | None]]:
    """(appear_at, withdrawn_at) of the match on each new book that lists it."""
    found: dict[Book, tuple[datetime, datetime | None]] = {}
    for book in NEW_BOOKS:
        rng = random.Random(stable_hash(seed, "listing", book.value, uid))
        if rng.random() >= LISTED_SHARE[book]:
            continue
        announce = days * (1.0 if rng.random() < 0.6 else rng.uniform(0.15, 1.0))
        lead_days = announce + LEAD_OFFSET_DAYS[book] + rng.uniform(-0.3, 0.3)
        lead = timedelta(minutes=round(min(days, max(0.05, lead_days)) * 1_440))
        appear_at = kickoff - lead
        withdrawn_at = None
        if rng.random() < WITHDRAWN_SHARE:
            withdrawn_at = appear_at + timedelta(minutes=round(rng.random() * lead.total_seconds() / 60))
        found[book] = (appear_at, withdrawn_at)
    return found


def slug(text: str) -> str:
    """ "Liga MX, Clausura" -> "liga-mx-clausura" (Betway's region and league ids)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "x"
