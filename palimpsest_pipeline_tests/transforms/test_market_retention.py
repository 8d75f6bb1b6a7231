"""Market retention into live worked out by hand: market types, lines and selections kept, key markets
dropped, prices moved by 30 % or more, an empty live board, and which prematch capture each snapshot takes
(the latest at or before T-60, T-15 and T-1 within its tolerance)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl

from palimpsest_pipeline.transforms.market_retention import market_retention, prematch_captures

K = datetime(2026, 5, 4, 18, 0, tzinfo=UTC)
TS = pl.Datetime("us", "UTC")


def m(minutes: float) -> datetime:
    return K + timedelta(minutes=minutes)


def matches(*pairs: tuple[int, str]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"sr_id": sr_id, "book": book, "kickoff": K, "sport": "football", "country": "X",
             "tournament": "Cup", "home": "H", "away": "A", "provider": "sportradar"}
            for sr_id, book in pairs
        ],
        schema_overrides={"kickoff": TS},
    )  # fmt: skip


def headers(column: str, *rows: tuple[int, str, object, datetime]) -> pl.DataFrame:
    return pl.DataFrame(
        [{"sr_id": s, "book": b, column: snap, "captured_at": at} for s, b, snap, at in rows],
        schema_overrides={"captured_at": TS}
        | ({"live_snapshot": pl.Int16()} if column == "live_snapshot" else {}),
    )


def prices(column: str, sr_id: int, book: str, snap: object, *rows: tuple) -> list[dict[str, object]]:
    """(market, specifier, outcome, price[, state]) rows of one snapshot."""
    return [
        {"sr_id": sr_id, "book": book, column: snap, "market": r[0], "specifier": r[1], "outcome": r[2],
         "price": r[3], **({"state": r[4] if len(r) > 4 else "open"} if column == "live_snapshot" else {})}
        for r in rows
    ]  # fmt: skip


def frame(rows: list[dict[str, object]], live: bool) -> pl.DataFrame:
    return pl.DataFrame(rows, schema_overrides={"live_snapshot": pl.Int16()} if live else None)


PREMATCH = prices(
    "prematch_snapshot", 1, "betpawa", "T-1",
    (1, "", 1, 2.0), (1, "", 2, 3.2), (1, "", 3, 3.8),  # 1X2
    (18, "total=2.5", 12, 1.9), (18, "total=2.5", 13, 1.9),  # total goals, two lines
    (18, "total=3.5", 12, 3.0), (18, "total=3.5", 13, 1.35),
    (29, "", 74, 1.8), (29, "", 76, 1.95),  # both teams to score
    (60, "", 1, 2.6), (60, "", 2, 2.0), (60, "", 3, 4.5),  # first-half 1X2
    (45, "score=1:0", 1, 7.0),  # correct score, one selection
)  # fmt: skip
LIVE = prices(
    "live_snapshot", 1, "betpawa", 0,
    (1, "", 1, 2.1), (1, "", 2, 3.0), (1, "", 3, 5.0),  # 3.8 -> 5.0: +31.6 %, moved
    (18, "total=2.5", 12, 1.4), (18, "total=2.5", 13, 2.9),  # 1.9 -> 1.4 (-26 %), 1.9 -> 2.9 (+52.6 %): one
    (18, "total=3.5", 12, None, "suspended"), (18, "total=3.5", 13, None, "suspended"),  # not kept
    (29, "", 74, 1.9, "suspended"), (29, "", 76, 1.9, "suspended"),  # suspended: dropped
    (26, "", 70, 1.9), (26, "", 72, 1.9),  # odd/even: live only, not counted
    (45, "score=1:0", 1, 9.1),  # 7.0 -> 9.1: exactly +30 %, moved
)  # fmt: skip


def test_types_lines_selections_key_markets_and_moves_by_hand() -> None:
    out = market_retention(
        matches((1, "betpawa")),
        headers("prematch_snapshot", (1, "betpawa", "T-1", m(-1.5))),
        frame(PREMATCH, live=False),
        headers("live_snapshot", (1, "betpawa", 0, m(0.5))),
        frame(LIVE, live=True),
    )
    assert out.height == 1
    row = out.row(0, named=True)
    # types: 1, 18, 29, 60, 45 prematch; kept 1, 18, 45
    assert (row["market_types_prematch"], row["market_types_kept"]) == (5, 3)
    assert row["market_retention"] == 3 / 5
    # lines: 1X2, OU2.5, OU3.5, BTTS, 1H 1X2, CS1:0; kept 1X2, OU2.5, CS1:0
    assert (row["lines_prematch"], row["lines_kept"], row["line_retention"]) == (6, 3, 0.5)
    # selections: 13 prematch; kept 3 + 2 + 1
    assert (row["selections_prematch"], row["selections_kept"]) == (13, 6)
    assert row["selection_retention"] == 6 / 13
    offered = ["1X2", "Total goals", "Both teams to score", "1st half - 1X2"]
    assert row["key_markets_offered"] == sorted(offered)
    assert row["key_markets_dropped"] == sorted(["Both teams to score", "1st half - 1X2"])
    assert (row["prices_compared"], row["prices_moved"]) == (6, 3)
    assert row["kickoff_date"] == K.date() and row["provider"] == "sportradar"
    assert (row["prematch_captured_at"], row["live_captured_at"]) == (m(-1.5), m(0.5))


def test_an_empty_live_board_keeps_nothing_and_each_pair_of_snapshots_is_a_row() -> None:
    out = market_retention(
        matches((1, "betpawa"), (2, "bet9ja")),
        headers("prematch_snapshot", (1, "betpawa", "T-1", m(-1.5)), (1, "betpawa", "T-15", m(-16))),
        frame(PREMATCH + [{**r, "prematch_snapshot": "T-15"} for r in PREMATCH[:3]], live=False),
        headers(
            "live_snapshot", (1, "betpawa", 0, m(0.5)), (1, "betpawa", 2, m(2.5)), (2, "bet9ja", 0, m(1))
        ),
        frame(LIVE, live=True),  # the +2 snapshot was read and showed nothing
    )
    # bet9ja has no prematch capture: no row; betpawa: two prematch x two live snapshots
    assert out.select("book", "prematch_snapshot", "live_snapshot").rows() == [
        ("betpawa", "T-1", 0), ("betpawa", "T-1", 2), ("betpawa", "T-15", 0), ("betpawa", "T-15", 2),
    ]  # fmt: skip
    empty = out.row(1, named=True)
    assert (empty["market_types_prematch"], empty["market_types_kept"]) == (5, 0)
    assert empty["market_retention"] == 0.0
    assert empty["key_markets_dropped"] == empty["key_markets_offered"]
    only_1x2 = out.row(2, named=True)
    assert (only_1x2["market_types_prematch"], only_1x2["selections_kept"]) == (1, 3)
    assert only_1x2["prices_moved"] == 1
    assert only_1x2["key_markets_dropped"] == []


def test_prematch_captures_take_the_latest_at_or_before_each_instant_within_its_tolerance() -> None:
    captures = pl.DataFrame(
        {
            "sr_id": [1] * 8 + [2],
            "book": ["betpawa"] * 9,
            "captured_at": [m(-75), m(-66), m(-61), m(-59), m(-17.5), m(-16.5), m(-14), m(-0.5), m(-3.5)],
        },
        schema_overrides={"captured_at": TS},
    )
    chosen = prematch_captures(captures, matches((1, "betpawa"), (2, "betpawa")))
    assert chosen.rows() == [
        (1, "betpawa", "T-15", m(-16.5)),  # the latest in [-17, -15]; -17.5 is past the tolerance
        (1, "betpawa", "T-60", m(-61)),  # the latest in [-70, -60]; -59 is after the instant
    ]  # T-1: -0.5 is after it and nothing lies in [-3, -1]; sr 2's only capture lies in no window
