"""The sandbox at real depth: outcomes per event and book like the captures', prices that move like a book's.

Expectations come from the real captures in ../shared (parsed by the books' own parsers; skipped where
absent) and from hand-set bounds and hand-computed rates (markets/moves.py's documented table), not from the
renderers under test.
"""

from __future__ import annotations

import gc
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from palimpsest_pipeline.books.bet9ja import odds as bet9ja
from palimpsest_pipeline.books.betpawa import odds as betpawa
from palimpsest_pipeline.books.sportybet import odds as sportybet
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.contract.parse_golden import sr_id_of
from palimpsest_sandbox.markets import book_prices
from palimpsest_sandbox.markets.moves import cumulative_reprices
from palimpsest_sandbox.rendering import EventRenderer
from palimpsest_sandbox.world import World, WorldEvent

#: The books the world's day stream lists.
FIRST_BOOKS = (Book.BETPAWA, Book.SPORTYBET, Book.BET9JA)

AT = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
SAMPLE = 60  # football events per book: enough for a tenth and a top decile, fast
CAPTURED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "captured"
PARSERS = {Book.SPORTYBET: sportybet, Book.BETPAWA: betpawa, Book.BET9JA: bet9ja}
FOOTBALL_CAPTURES = {
    Book.SPORTYBET: (
        "sportybet/event_sr68995116_prematch.json",
        "sportybet/event_sr71583282_asian_handicap.json",
    ),
    Book.BET9JA: ("bet9ja/GetEvent_sr68995116_prematch.json", "bet9ja/GetEvent_sr71549302_next_goal.json"),
    Book.BETPAWA: ("betpawa/v3_event_sr68995116_prematch.json", "betpawa/v4_event_sr67691078_prematch.json"),
}
#: Hand-set from the captures and the issue: the deepest a book goes (outcomes), minor matches' ceiling.
#: BetPawa's: issue 32's v4 league match, 1,103 open outcomes of which 458 in player markets.
MAX_OUTCOMES = {Book.SPORTYBET: 4_900, Book.BET9JA: 1_310, Book.BETPAWA: 1_110}
MINOR_CEILING = 300


def open_outcomes(book: Book, body: bytes, sr_id: int) -> int:
    return PARSERS[book].parse_odds(orjson.loads(body), sr_id=sr_id, captured_at=AT).open_outcomes


def quantile(values: list[int], q: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@pytest.fixture(scope="module")
def world() -> World:
    return World(seed=7, size=1_000, days=15)


@pytest.fixture(scope="module")
def depth_by_book(world: World) -> dict[Book, tuple[list[int], list[int]]]:
    """(open outcomes, body bytes) of SAMPLE football events per book, rendered as the server does."""
    renderer = EventRenderer(cache_bytes=0)
    out = {}
    for book in FIRST_BOOKS:
        events = [e for e in world.listed_events(book, AT, sport="football")][::3][:SAMPLE]
        bodies = [renderer.detail(book, event, AT) for event in events]
        counts = [open_outcomes(book, body, event.sr_id) for body, event in zip(bodies, events, strict=True)]
        out[book] = (counts, [len(body) for body in bodies])
    return out


def test_world_depth_has_minor_and_top_matches_within_hand_set_bounds(
    depth_by_book: dict[Book, tuple[list[int], list[int]]],
) -> None:
    for book, (outcomes, _sizes) in depth_by_book.items():
        assert quantile(outcomes, 0.1) <= MINOR_CEILING, book  # minor matches: a hundred or two
        assert max(outcomes) <= MAX_OUTCOMES[book], book
        assert quantile(outcomes, 0.9) >= 1.8 * quantile(outcomes, 0.1), book  # a spread, not one depth
    medians = {book: quantile(outcomes, 0.5) for book, (outcomes, _) in depth_by_book.items()}
    tops = {book: max(outcomes) for book, (outcomes, _) in depth_by_book.items()}
    assert medians[Book.SPORTYBET] > medians[Book.BET9JA] > medians[Book.BETPAWA]  # relative depth kept
    assert tops[Book.SPORTYBET] > tops[Book.BET9JA] > tops[Book.BETPAWA]


@pytest.mark.skipif(not CAPTURED.is_dir(), reason=f"captured responses not found at {CAPTURED}")
def test_world_depth_covers_the_captures_range(
    depth_by_book: dict[Book, tuple[list[int], list[int]]],
) -> None:
    """Every capture is of a followed match; the world has shallower ones below them and reaches them."""
    for book, files in FOOTBALL_CAPTURES.items():
        bodies = [orjson.dumps(orjson.loads((CAPTURED / name).read_bytes())) for name in files]  # compact
        captured = [
            open_outcomes(book, body, sr_id_of(name)) for body, name in zip(bodies, files, strict=True)
        ]
        captured_bytes = [len(body) for body in bodies]
        outcomes, sizes = depth_by_book[book]
        assert quantile(outcomes, 0.1) < min(captured), book
        assert max(outcomes) >= min(captured), book
        assert quantile(outcomes, 0.9) >= 0.6 * min(captured), book
        assert quantile(sizes, 0.1) < min(captured_bytes), book
        assert max(sizes) >= 0.5 * min(captured_bytes), book


def _extremes(world: World, book: Book) -> tuple[WorldEvent, WorldEvent]:
    events = world.listed_events(book, AT, sport="football")
    return max(events, key=lambda e: e.prominence), min(events, key=lambda e: e.prominence)


def test_a_big_match_is_deeper_than_a_minor_one_on_every_book(world: World) -> None:
    renderer = EventRenderer(cache_bytes=0)
    for book in FIRST_BOOKS:
        big, minor = _extremes(world, book)
        assert big.prominence > 2 * minor.prominence
        deep = open_outcomes(book, renderer.detail(book, big, AT), big.sr_id)
        shallow = open_outcomes(book, renderer.detail(book, minor, AT), minor.sr_id)
        assert deep > 2 * shallow, (book, deep, shallow)


def test_basketball_and_tennis_stay_shallower_than_football(world: World) -> None:
    renderer = EventRenderer(cache_bytes=0)
    for book in FIRST_BOOKS:
        for sport in ("basketball", "tennis"):
            events = world.listed_events(book, AT, sport=sport)[:8]
            counts = [open_outcomes(book, renderer.detail(book, e, AT), e.sr_id) for e in events]
            assert counts and max(counts) <= 450, (book, sport, counts)  # captures: 43-399


def test_a_match_is_priced_consistently_across_books_at_its_own_depth(world: World) -> None:
    matches = [e for e in world.listed_events(Book.SPORTYBET, AT, sport="football") if len(e.listings) == 3]
    for event in matches[:20]:
        home = [
            price
            for book in FIRST_BOOKS
            if (
                price := book_prices(
                    book, event.match_seed, event.price_version(book, AT), "football", event.depth(book)
                )[(1, "", 1)][0]
            )
        ]
        assert len(home) >= 2 and max(home) / min(home) < 1.06, (event.uid, home)


def test_cumulative_reprice_rate_follows_the_documented_table() -> None:
    """Hand-computed from moves.py's table: 6 %/min under 30 min, 1.6 % to 2 h, 0.4 % to 24 h, then 0.2 %."""
    kickoff = AT.timestamp()

    def between(lead_from_min: float, lead_to_min: float) -> float:
        return cumulative_reprices(kickoff, kickoff - lead_to_min * 60) - cumulative_reprices(
            kickoff, kickoff - lead_from_min * 60
        )

    assert between(30, 0) == pytest.approx(0.06 * 30)
    assert between(120, 30) == pytest.approx(0.016 * 90)
    assert between(1_440, 120) == pytest.approx(0.004 * 1_320)
    assert between(2_880, 1_440) == pytest.approx(0.002 * 1_440)
    assert cumulative_reprices(kickoff, kickoff + 3_600) == cumulative_reprices(kickoff, kickoff)


@pytest.mark.parametrize(
    ("lead", "gap", "rate_per_min"),
    [
        (timedelta(minutes=15), timedelta(minutes=1), 0.06),
        (timedelta(minutes=60), timedelta(minutes=5), 0.016),
        (timedelta(hours=8), timedelta(minutes=30), 0.004),
        (timedelta(days=3), timedelta(minutes=30), 0.002),
    ],
)
def test_most_outcomes_are_unchanged_between_nearby_captures(
    world: World, lead: timedelta, gap: timedelta, rate_per_min: float
) -> None:
    """Share unchanged = 1 - rate x gap (markets re-price independently of their size)."""
    expected = 1 - rate_per_min * gap.total_seconds() / 60
    same = total = 0
    events = world.listed_events(Book.SPORTYBET, AT, sport="football")[:40]
    for event in events:
        start = event.kickoff - lead
        for book in FIRST_BOOKS:
            before = book_prices(book, event.match_seed, event.price_version(book, start), "football")
            after = book_prices(book, event.match_seed, event.price_version(book, start + gap), "football")
            total += len(before)
            same += sum(1 for key, value in before.items() if after.get(key) == value)
    assert same / total == pytest.approx(expected, abs=0.04)


def test_prices_change_more_near_kick_off_and_every_market_eventually_moves(world: World) -> None:
    event = world.listed_events(Book.SPORTYBET, AT, sport="football")[0]

    def unchanged(start: datetime, gap: timedelta) -> float:
        before = book_prices(
            Book.SPORTYBET, event.match_seed, event.price_version(Book.SPORTYBET, start), "football"
        )
        after = book_prices(
            Book.SPORTYBET, event.match_seed, event.price_version(Book.SPORTYBET, start + gap), "football"
        )
        return sum(1 for key, value in before.items() if after.get(key) == value) / len(before)

    minute = timedelta(minutes=1)
    assert unchanged(event.kickoff - timedelta(minutes=10), minute) < unchanged(
        event.kickoff - timedelta(hours=10), minute
    )
    assert unchanged(event.kickoff - timedelta(days=2), timedelta(hours=2)) > 0.6
    assert unchanged(event.kickoff - timedelta(hours=1), timedelta(minutes=50)) < 0.2  # 1.6 %/min + 6 %/min


def test_the_body_cache_serves_the_rendered_bytes_compressed_within_its_budget(world: World) -> None:
    """Cached bodies are stored compressed (a 3,000-event world's 2.7 GB of bodies made the sandbox the
    largest process of a capture benchmark) and served byte for byte as a fresh render gives them."""
    events = [e for e in world.listed_events(Book.SPORTYBET, AT, sport="football")][:12]
    fresh = EventRenderer(cache_bytes=0)
    expected = {e.uid: fresh.detail(Book.SPORTYBET, e, AT) for e in events}
    raw_bytes = sum(len(body) for body in expected.values())

    cached = EventRenderer(cache_bytes=raw_bytes)  # room for every body even uncompressed
    tracemalloc.start()
    try:
        for _round in range(2):
            for event in events:
                assert cached.detail(Book.SPORTYBET, event, AT) == expected[event.uid]
        gc.collect()
        held = tracemalloc.get_traced_memory()[0]  # what the cache still holds after serving everything
    finally:
        tracemalloc.stop()
    assert cached.renders == len(events)  # the second round came from the cache
    assert 0 < cached.cached_bytes < raw_bytes / 4  # JSON of repeated market shapes compresses well
    # and the memory really is that small: a compressed body must not keep its input-sized allocation
    assert held < raw_bytes / 3

    small = EventRenderer(cache_bytes=raw_bytes // 40)  # room for a few compressed bodies only
    for _round in range(2):
        for event in events:
            assert small.detail(Book.SPORTYBET, event, AT) == expected[event.uid]
    assert small.cached_bytes <= raw_bytes // 40
    assert small.renders > len(events)  # evicted bodies were rendered again


def test_the_body_cache_keeps_only_each_events_newest_price_version(world: World) -> None:
    """The sandbox's clock only moves forward, so a body of an older price version is never asked for again:
    a cache keyed by version filled with dead versions until its budget evicted them."""
    events = [e for e in world.listed_events(Book.BETPAWA, AT, sport="football")][:12]
    later = AT + timedelta(hours=6)
    renderer = EventRenderer(cache_bytes=64 * 2**20)
    assert all(
        renderer.version(Book.BETPAWA, e, later) != renderer.version(Book.BETPAWA, e, AT) for e in events
    )  # every price moved
    for event in events:
        renderer.detail(Book.BETPAWA, event, AT)
    first = renderer.cached_bytes
    fresh = EventRenderer(cache_bytes=0)
    for event in events:
        assert renderer.detail(Book.BETPAWA, event, later) == fresh.detail(Book.BETPAWA, event, later)
    assert renderer.renders == 2 * len(events)
    assert renderer.cached_bytes < 1.5 * first  # the old versions left the cache (about 2 x when kept)
    for event in events:  # and the new ones are served from it
        renderer.detail(Book.BETPAWA, event, later)
    assert renderer.renders == 2 * len(events)
