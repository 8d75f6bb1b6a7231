"""The mapping assistant proposes a hidden, known mapping back from the real trio sr68995116 with evidence."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from palimpsest_pipeline.books.bet9ja import odds as bet9ja
from palimpsest_pipeline.books.sportybet import odds as sportybet
from palimpsest_pipeline.cli import main
from palimpsest_pipeline.cli import markets as markets_cli
from palimpsest_pipeline.markets import assistant
from palimpsest_pipeline.markets.bet9ja import table as bet9ja_table
from palimpsest_pipeline.markets.bet9ja import tools
from palimpsest_pipeline.markets.bet9ja.tools import unmapped_markets
from palimpsest_pipeline_tests.markets.conftest import CAPTURED, CAPTURED_AT, load_capture

SR_ID = 68995116
BET9JA = "bet9ja/GetEvent_sr68995116_prematch.json"
SPORTYBET = "sportybet/event_sr68995116_prematch.json"
MAPPED = {m.key for _sport, table in bet9ja_table.BY_PREFIX.values() for m in table}


def _proposals(hidden: set[str]) -> list[assistant.Proposal]:
    keyed = sportybet.parse_odds(load_capture(SPORTYBET), sr_id=SR_ID, captured_at=CAPTURED_AT).rows
    markets = unmapped_markets(load_capture(BET9JA), MAPPED - hidden)
    return [p for p in assistant.propose(markets, keyed) if p.market.key in hidden]


@pytest.mark.parametrize(
    ("hidden", "canonical", "specifier", "outcomes"),
    [
        # Bet9ja "DC + GG/NG": the hand-checked table row (1XGG 1718 ... X2NG 1723)
        (
            "DCGGNG",
            546,
            "",
            {"1XGG": 1718, "1XNG": 1719, "12GG": 1720, "12NG": 1721, "X2GG": 1722, "X2NG": 1723},
        ),
    ],
)
def test_a_hidden_mapping_is_proposed_back_with_its_evidence(
    hidden: str, canonical: int, specifier: str, outcomes: dict[str, int]
) -> None:
    found = _proposals({hidden})
    assert found and all(p.canonical == canonical for p in found)
    (proposal,) = [p for p in found if p.specifier == specifier or not p.market.line]
    assert (proposal.canonical, proposal.specifier) == (canonical, specifier)
    assert {okey: oid for okey, _n, _p, oid, _k in proposal.pairs} == outcomes
    assert proposal.worst_gap <= 0.08
    # the table's own translation of those keys agrees with the proposal
    parsed = bet9ja.parse_odds(load_capture(BET9JA), sr_id=SR_ID, captured_at=CAPTURED_AT)
    table = {(r.market, r.specifier, r.outcome) for r in parsed.rows}
    assert all((canonical, specifier, oid) in table for oid in outcomes.values())
    assert f"UOF {canonical}" in proposal.describe() and "vs  outcome" in proposal.describe()


def test_lined_market_is_proposed_on_each_line_with_its_total() -> None:
    """Double chance & total on its four lines. Outcomes are paired by price rank, so two outcomes with
    near-equal prices (1X & over / 12 & under at 2.5) can be paired crosswise: the market and line are
    proposed right, the pairing is evidence for the reviewer (see markets/assistant.py)."""
    found = _proposals({"DCOU"})
    assert sorted((p.market.line, p.canonical, p.specifier) for p in found) == [
        (line, 547, f"total={line}") for line in ("1.5", "2.5", "3.5", "4.5")
    ]


def test_small_markets_need_a_resembling_name_not_just_agreeing_prices() -> None:
    """'DC + Multi Goal 1-2' has three prices close to 1st-half goal-nr prices: not proposed."""
    assert _proposals({"DCMULTI1-2"}) == []


def test_cli_writes_accepted_rows_into_the_table_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not (CAPTURED / BET9JA).exists():
        pytest.skip(f"captured responses not available ({CAPTURED} is absent)")
    table = tmp_path / "assisted.py"
    table.write_text("ASSISTED: tuple[Bet9jaMarket, ...] = ()\n", encoding="utf-8")
    monkeypatch.setitem(markets_cli._TABLES, "bet9ja", table)
    monkeypatch.setattr(tools, "mapped_keys", lambda: MAPPED - {"DCGGNG"})
    args = [
        "markets",
        "suggest",
        "bet9ja",
        str(CAPTURED / BET9JA),
        "--against",
        "sportybet",
        str(CAPTURED / SPORTYBET),
    ]
    declined = CliRunner().invoke(main, [*args, "--write"], input="n\nn\nn\n")
    assert declined.exit_code == 0, declined.output
    assert "DCGGNG" in declined.output and table.read_text() == "ASSISTED: tuple[Bet9jaMarket, ...] = ()\n"
    accepted = CliRunner().invoke(main, [*args, "--write", "--accept-all"])
    assert accepted.exit_code == 0, accepted.output
    namespace: dict[str, object] = {
        "Bet9jaMarket": bet9ja_table.Bet9jaMarket,
        "market": __import__("palimpsest_pipeline.markets.bet9ja.rows", fromlist=["market"]).market,
    }
    exec(table.read_text(), namespace)  # the appended row is valid table source
    rows = namespace["ASSISTED"]
    assert any(row.key == "DCGGNG" and row.outcomes[0][1] == 546 for row in rows)  # type: ignore[attr-defined]
