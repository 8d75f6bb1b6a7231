"""Coverage expected from the sandbox world's own ground truth, computed in plain Python.

Nothing here calls the pipeline's code: matches are the world's own matches (``WorldEvent.uid``), tournaments
the world's own tournament keys. What the pipeline can know is modelled from what each book shows (the
world's ``visible_sr_id`` / ``visible_genius_id``): a listing joins its match when it shows the SR id, or
when it shows a Genius id that SportyBet also shows for the match (SportyBet always shows the SR id); any
other listing stands alone. A BetPawa competition or Bet9ja group can be placed on its world tournament when
at least one of its listings joins a match SportyBet lists.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import World, WorldEvent

#: Which book names a match (the first of these listing it), as the pipeline picks its name source.
ORDER = NIGERIA_BOOKS
#: The books of the wide Nigerian views (price_<book>, on_all_three, ...).
WIDE_BOOKS = (Book.BETPAWA, Book.SPORTYBET, Book.BET9JA)


@dataclass(frozen=True)
class TruthMatch:
    day: date
    books: frozenset[Book]
    genius_linked: bool  # some listing joined through the Genius id only
    source: Book
    world_event: WorldEvent


def _joins(event: WorldEvent, book: Book) -> tuple[bool, bool]:
    """(joins the match, through the Genius id only)."""
    if event.visible_sr_id(book) is not None:
        return True, False
    genius = event.visible_genius_id(book)
    sporty_lists = Book.SPORTYBET in event.listings
    return (genius is not None and sporty_lists and event.visible_genius_id(Book.SPORTYBET) == genius), True


def truth_matches(world: World, at: datetime, days: Iterable[date]) -> list[TruthMatch]:
    """The matches the pipeline should form from the books' listings at ``at`` kicking off on ``days``."""
    wanted = set(days)
    listed: dict[int, tuple[WorldEvent, set[Book]]] = {}
    for book in NIGERIA_BOOKS:
        for event in world.listed_events(book, at):
            if event.kickoff.date() in wanted:
                listed.setdefault(event.uid, (event, set()))[1].add(book)
    matches = []
    for event, books in listed.values():
        joined: set[Book] = set()
        via_genius = False
        for book in books:
            joins, genius_only = _joins(event, book)
            if joins:
                joined.add(book)
                via_genius |= genius_only
            else:
                matches.append(TruthMatch(event.kickoff.date(), frozenset({book}), False, book, event))
        if joined:
            source = next(b for b in ORDER if b in joined)
            linked = via_genius and len(joined) > 1
            matches.append(TruthMatch(event.kickoff.date(), frozenset(joined), linked, source, event))
    return matches


def placeable(matches: list[TruthMatch]) -> set[tuple[Book, str]]:
    """(book, own tournament id) of every tournament with at least one listing linked to SportyBet."""
    out = set()
    for match in matches:
        if Book.SPORTYBET in match.books:
            for book in match.books:
                out.add((book, match.world_event.tournament.tournament_id(book)))
    return out


def tournament_key(match: TruthMatch, placed: set[tuple[Book, str]]) -> str:
    """The world tournament's SportRadar key when some listing book's tournament can be placed, else the
    name source's own tournament."""
    t = match.world_event.tournament
    if any((book, t.tournament_id(book)) in placed for book in match.books):
        return f"sr:tournament:{t.key}"
    return f"{match.source.value}:{t.tournament_id(match.source)}"


def expected_by_tournament(
    matches: list[TruthMatch], books: Collection[Book] = NIGERIA_BOOKS
) -> dict[tuple[date, str], Counter[str]]:
    """(kick-off date, tournament key) -> counts over ``books``, as coverage_by_tournament should hold them
    (tournaments placed by every book's listings, as the pipeline places them)."""
    placed = placeable(matches)
    out: dict[tuple[date, str], Counter[str]] = defaultdict(Counter)
    for match in matches:
        if match.books & set(books):
            add_counts(out[match.day, tournament_key(match, placed)], match, books)
    return out


def expected_overall(
    matches: list[TruthMatch], books: Collection[Book] = NIGERIA_BOOKS
) -> dict[date, Counter[str]]:
    """Kick-off date -> counts over ``books``: the wide views count BetPawa, SportyBet and Bet9ja only."""
    out: dict[date, Counter[str]] = defaultdict(Counter)
    for match in matches:
        if match.books & set(books):
            add_counts(out[match.day], match, books)
    return out


def add_counts(counts: Counter[str], match: TruthMatch, books: Collection[Book] = NIGERIA_BOOKS) -> None:
    """One match counted as if ``books`` were the only books read (it has a listing on one of them)."""
    listing = match.books & set(books)
    on_home = Book.BETPAWA in listing
    competitors = listing - {Book.BETPAWA}
    counts["total"] += 1
    counts["matched"] += on_home and bool(competitors)
    counts["betpawa_only"] += on_home and not competitors
    counts["competitor_only"] += (not on_home) and bool(competitors)
    counts["on_every_book"] += len(listing) == len(books)
    # a Genius link joins BetPawa to SportyBet (the only books showing Genius ids): kept when both are counted
    counts["linked_by_genius"] += match.genius_linked and len(listing) > 1
    for book in books:
        counts[f"{book.value}_events"] += book in listing
