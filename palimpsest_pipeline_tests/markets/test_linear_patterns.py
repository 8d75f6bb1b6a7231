"""Every regular expression of the market grammar runs in linear time, and free text is capped before any
of them (issue 33, item 4: one 40 KB outcome name of digits cost 9.4 s in the "N+" pattern).

No timing asserts: each pattern is checked statically (linear_patterns.py: no loop whose end the next
character leaves undecided, no search that rescans a run), every pattern is a module constant the check
can see, and hostile 40 KB names are refused with their length through each entry point."""

from __future__ import annotations

import ast
import inspect
import re
from types import ModuleType

import pytest

from palimpsest_pipeline.markets import combinations, free_text, players, rule_proposals
from palimpsest_pipeline.markets.grammar import (
    canonical,
    catalogue,
    description,
    explain,
    outcomes,
    phrases,
    player_bets,
    resolve,
    thresholds,
    walk,
)
from palimpsest_pipeline.markets.grammar.description import Description, Refusal
from palimpsest_pipeline.markets.grammar.phrases import read_market_name
from palimpsest_pipeline.markets.players import RosterPlayer, roster_entry
from palimpsest_pipeline_tests.markets.linear_patterns import nonlinear_shapes
from palimpsest_pipeline_tests.markets.player_match import resolve_player

MODULES: tuple[ModuleType, ...] = (
    canonical, catalogue, description, explain, outcomes, phrases, player_bets, resolve, thresholds, walk,
    players, combinations, rule_proposals, free_text,
)  # fmt: skip
_RE_CALLS = frozenset(
    {"compile", "match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer"}
)


def _patterns(value: object) -> list[re.Pattern[str]]:
    if isinstance(value, re.Pattern):
        return [value]
    if isinstance(value, list | tuple):
        return [p for item in value for p in _patterns(item)]
    return []


def _module_patterns() -> list[tuple[str, re.Pattern[str]]]:
    return [
        (f"{module.__name__}.{name}", pattern)
        for module in MODULES
        for name, value in vars(module).items()
        for pattern in _patterns(value)
    ]


def test_the_check_tells_the_quadratic_shapes_from_linear_ones() -> None:
    # the "N+" pattern of issue 33 and the shapes of the same kind, as they were
    for quadratic in (
        r"^(?P<subject>.*?)\s*(?P<n>\d+)\+$",
        r"^(?P<name>.+?)\s+(?P<side>over|under)(?:\s+(?P<line>\d+(?:\.\d+)?))?$",
        r"\s*\([^)]*\)\s*$",
        r"\s+\d+\+$",
        r"(a+)+b",
    ):
        assert nonlinear_shapes(re.compile(quadratic)), quadratic
    for linear in (r"^(\d+)\s*[-:]\s*(\d+)$", r"\([^()]*\)", r"[^\w]+", r"\b\d+:\d+\b", r"^\S+(?: \S+)*$"):
        assert nonlinear_shapes(re.compile(linear)) == [], linear


def test_every_grammar_pattern_is_linear() -> None:
    found = _module_patterns()
    assert len(found) > 100  # the phrase rules are among them: the check is not vacuous
    shapes = [(name, p.pattern, nonlinear_shapes(p)) for name, p in found if nonlinear_shapes(p)]
    assert shapes == []


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_no_pattern_is_written_inline_where_the_check_cannot_see_it(module: ModuleType) -> None:
    tree = ast.parse(inspect.getsource(module))
    inline = [
        ast.unparse(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "re"
        and node.func.attr in _RE_CALLS
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and not _at_module_level(tree, node)
    ]
    assert inline == []


def _at_module_level(tree: ast.Module, call: ast.Call) -> bool:
    return any(call in ast.walk(stmt) for stmt in tree.body if isinstance(stmt, ast.Assign | ast.AnnAssign))


DIGITS = "1" * 40_000
HOSTILE = (DIGITS, DIGITS + "+", "Kylian " + DIGITS + "+", "a" + " " * 40_000 + "over x", "(" * 40_000)


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: f"{t[:8]!r}x{len(t)}")
def test_a_hostile_market_name_is_refused_with_its_length(text: str) -> None:
    refused = read_market_name(text)
    assert isinstance(refused, Refusal)
    assert f"{len(text)} characters" in refused.reason and len(refused.reason) < 200


@pytest.mark.parametrize(
    ("market", "line"),
    [("Total Goals", {"total": "2.5"}), ("Correct Score", {}), ("Multi Goal", {}), ("Anytime Goalscorer", {}),
     ("Player Shots", {}), ("Player to be Carded", {})],
)  # fmt: skip
def test_a_hostile_outcome_name_costs_its_outcome_with_its_length(market: str, line: dict[str, str]) -> None:
    described = read_market_name(market)
    assert isinstance(described, Description), described
    outcomes_ = [(str(i), text) for i, text in enumerate(HOSTILE)] + [("ok", "Over")]
    keys = resolve.resolve(described.with_params(**line), outcomes_, "football").keys
    for i, text in enumerate(HOSTILE):
        refused = keys[str(i)]
        assert isinstance(refused, Refusal) and f"{len(text)} characters" in refused.reason
    if market == "Total Goals":  # one bad value costs one row: its neighbour is still keyed
        assert keys["ok"] == (18, "total=2.5", 12)


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: f"{t[:8]!r}x{len(t)}")
def test_hostile_names_reach_no_pattern_through_the_threshold_and_player_readers(text: str) -> None:
    assert not thresholds.lists_thresholds([text])
    assert not player_bets.lists_players([("pre:playerprops:1:2:1", text)])
    described = read_market_name("Player Fouls", unnamed_bet="total")
    assert isinstance(described, Description)
    keyed = thresholds.read_thresholds(
        described, [("pre:playerprops:1:2:2:1", text)], home="A", away="B", named_team=False
    )
    refused = keyed["pre:playerprops:1:2:2:1"]
    assert isinstance(refused, Refusal) and f"{len(text)} characters" in refused.reason
    assert roster_entry("sr:player:1", text) is None
    match = resolve_player(text, [RosterPlayer(1, "Kylian Mbappe")])
    assert match.sr_id is None and f"{len(text)} characters" in match.reason


def test_names_at_the_cap_are_still_read() -> None:
    name = "Kylian Mbappe (" + "P" * (free_text.MAX_NAME_LENGTH - 19) + ") 2+"
    assert len(name) == free_text.MAX_NAME_LENGTH
    assert thresholds.lists_thresholds([name])
    assert free_text.overlong(name, "outcome name") is None
