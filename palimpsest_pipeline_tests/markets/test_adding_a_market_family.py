"""docs/adding-a-market-family.md walked as written: its example payload, the ``markets explain`` lines it
quotes before and after its rule, and the keys it says BetPawa's parser gives."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from palimpsest_pipeline.books.betpawa.odds import parse_odds
from palimpsest_pipeline.cli import main
from palimpsest_pipeline.markets.grammar import phrase_rules, phrases

DOC = Path(__file__).resolve().parents[2] / "docs" / "adding-a-market-family.md"


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", DOC.read_text(), flags=re.DOTALL)


def _explain(payload_file: Path) -> list[str]:
    result = CliRunner().invoke(main, ["markets", "explain", "betpawa", str(payload_file)])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


@pytest.fixture
def example(tmp_path: Path) -> Path:
    (payload,) = _blocks("json")
    path = tmp_path / "example.json"
    path.write_text(payload)
    return path


@pytest.fixture
def grammar_without_the_rule(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The grammar as it was before the doc's rule: the rule's pattern taken out, names read afresh."""
    (rule,) = _blocks("python")
    pattern = re.search(r'\(r"(.*?)",', rule)
    assert pattern is not None, rule
    assert any(p == pattern.group(1) for p, _action in phrase_rules.RULES), "the doc's rule is not in RULES"
    kept = [entry for entry in phrases._COMPILED if entry[0].pattern != pattern.group(1)]
    monkeypatch.setattr(phrases, "_COMPILED", kept)
    phrases.read_market_name.cache_clear()
    yield
    phrases.read_market_name.cache_clear()


def test_before_the_rule_explain_says_what_the_doc_quotes(
    example: Path, grammar_without_the_rule: None
) -> None:
    before, _after, _rows = _blocks("text")
    assert _explain(example) == before.splitlines()


def test_with_the_rule_explain_and_the_parser_key_what_the_doc_quotes(example: Path) -> None:
    _before, after, rows = _blocks("text")
    assert _explain(example) == after.splitlines()
    parsed = parse_odds(orjson.loads(example.read_bytes()), sr_id=99000001, captured_at=datetime.now(UTC))
    said = [
        f"market {row.market}, specifier {row.specifier!r}, outcome {row.outcome}, price {row.price}"
        for row in parsed.rows
    ]
    assert said == rows.splitlines()
