"""The outcome-name grammar: an outcome's name read, under its bet type ("1" is home in a 1X2, one goal in
exact goals), into a token that means the same on every book (``home``, ``3+``, ``1-2``, ``h:a``; a
combination's parts joined in the order of its sorted bet types).
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import permutations

from palimpsest_pipeline.markets.free_text import overlong
from palimpsest_pipeline.markets.grammar.description import Refusal, Unreadable

_SIDES = {
    "1": "home", "home": "home", "x": "draw", "draw": "draw", "tie": "draw", "2": "away", "away": "away",
    "none": "none", "no goal": "none", "neither": "none", "no corner": "none", "no booking": "none",
    "nogoal": "none", "ng": "none", "n": "none", "no card": "none", "no cards": "none",
}  # fmt: skip
_YES_NO = {"yes": "yes", "y": "yes", "gg": "yes", "no": "no", "n": "no", "ng": "no"}
_OVER_UNDER = {"over": "over", "o": "over", "ov": "over", "under": "under", "u": "under", "un": "under"}
_ODD_EVEN = {"odd": "odd", "od": "odd", "o": "odd", "even": "even", "ev": "even", "e": "even"}
_DOUBLE = {
    "1x": "1x", "home or draw": "1x", "home/draw": "1x", "1 or x": "1x",
    "12": "12", "home or away": "12", "home/away": "12", "1 or 2": "12",
    "x2": "x2", "draw or away": "x2", "draw/away": "x2", "x or 2": "x2",
}  # fmt: skip
_HALVES = {
    "1st half": "1h", "first half": "1h", "1st": "1h", "1": "1h",
    "2nd half": "2h", "second half": "2h", "2nd": "2h", "2": "2h",
    "equal": "equal", "tie": "equal", "x": "equal", "e": "equal",
}  # fmt: skip
_WHICH_TEAM = {
    "none": "none", "no goal": "none", "ng": "none", "only home": "onlyhome", "only away": "onlyaway",
    "home": "onlyhome", "away": "onlyaway", "both teams": "both", "both": "both", "gg": "both",
}  # fmt: skip

_YES_NO_BETS = frozenset(
    {"btts", "cleansheet", "wintonil", "winbothhalves", "wineitherhalf", "scorebothhalves", "bothhalvesover",
     "bothhalvesunder", "toscore", "bttsbothhalves", "inarow", "leadby", "sendingoff", "scoreorassist",
     "carded", "booked"}
)  # fmt: skip
_SIDE_BETS = frozenset({"1x2", "dnb", "ah", "eh", "goalnr", "last", "winner", "nobet", "qualify"})
_COUNT_BETS = frozenset({"exact", "range", "excluded"})

# Every pattern is linear (no loop whose end the next character leaves undecided, no search rescanning a run:
# palimpsest_pipeline_tests/markets/test_linear_patterns.py checks each); names are capped before them.
_SCORE = re.compile(r"^(\d+)\s*[-:]\s*(\d+)$")
_PARENS = re.compile(r"\([^()]*\)")
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_NOISE_WORDS = re.compile(r"\b(?:goals?|corners?|team|ht|2ht)\b")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_DIGITS = re.compile(r"^(\d+)$")
_N_OR_MORE = re.compile(r"^(\d+)\s*(?:\+|or more)$")
_RANGE_OR_MORE = re.compile(r"^(\d+)\s*-\s*(\d+)\s*\+$")
_BELOW = re.compile(r"^<\s*(\d+)$")
_RANGE = re.compile(r"^(\d+)\s*-\s*(\d+)$")
_SCORE_SET_SPLIT = re.compile(r",|\bor\b")
_MARGIN = re.compile(r"^(home|away|1|2) by (>\s*)?(\d+)(\+)?$")
_SIDE_WORDS = re.compile(r"\b(?:home|away)\b")
_HTFTCS_SPLIT = re.compile(r" ?/ ?| (?=\d++[-:]\d|4\+)")


def _clean(text: str) -> str:
    lowered = text.lower().replace("{$competitor1}", "home").replace("{$competitor2}", "away")
    lowered = _PLACEHOLDER.sub(" ", lowered)
    return " ".join(lowered.split())


def _without_parens(text: str) -> str:
    """ "over (2.5)" -> "over": a line written in parentheses dropped, spaces normalised."""
    return " ".join(_PARENS.sub(" ", text).split())


def _without_trailing_line(text: str) -> str:
    """ "over 2.5" -> "over" (``text`` normalised: single spaces)."""
    head, space, last = text.rpartition(" ")
    return head if space and _NUMBER.match(last) else text


def _count(text: str) -> str | None:
    """ "3" -> "3", "3+" / "3 or more" -> "3+", "1-2" -> "1-2", "2-2" -> "2", "<9" -> "0-8", "no goal" -> "0"
    (None: not a count)."""
    if text in ("no goal", "no goals", "none", "0 goals"):
        return "0"
    text = " ".join(_NOISE_WORDS.sub(" ", text).split())
    if _DIGITS.match(text):
        return str(int(text))
    if match := _N_OR_MORE.match(text):
        return f"{int(match.group(1))}+"
    if match := _RANGE_OR_MORE.match(text):  # "1-5+" in a list up to "5+": 1 or more
        return f"{int(match.group(1))}+" if int(match.group(1)) <= int(match.group(2)) else None
    if match := _BELOW.match(text):
        return f"0-{int(match.group(1)) - 1}" if int(match.group(1)) > 1 else "0"
    if match := _RANGE.match(text):
        low, high = int(match.group(1)), int(match.group(2))
        return str(low) if low == high else f"{low}-{high}" if low < high else None
    return None


def _score(text: str) -> str | None:
    if text in ("other", "any other score", "oth", "others"):
        return "other"
    match = _SCORE.fullmatch(text.strip())
    return f"{int(match.group(1))}:{int(match.group(2))}" if match else None


def _score_set(text: str) -> str | None:
    """ "1:0, 2:0 or 3:0" -> "1:0|2:0|3:0" (sorted); "other home win" -> "otherhome"; "draw" -> "draw"."""
    squeezed = text.replace(" ", "")
    if squeezed in ("otherhomewin", "otherawaywin", "draw"):
        return squeezed.removesuffix("win")
    scores = [_score(part) for part in (p.strip() for p in _SCORE_SET_SPLIT.split(text)) if part]
    if len(scores) < 2 or not all(scores) or "other" in scores:
        return None
    return "|".join(sorted(s for s in scores if s))


def _side(text: str) -> str | None:
    text = _without_parens(text)
    if text in _SIDES:
        return _SIDES[text]
    text = text.removesuffix(" goal")
    return _SIDES.get(_without_trailing_line(text))


def _margin(text: str) -> str | None:
    if text in ("x", "draw"):
        return "draw"
    if text == "other":
        return "other"
    match = _MARGIN.match(text)
    if not match:
        return None
    side = _SIDES[match.group(1)]
    number = int(match.group(3)) + (1 if match.group(2) else 0)
    return f"{side}by{number}{'+' if match.group(2) or match.group(4) else ''}"


def _first_goal_half(text: str) -> str | None:
    """ "First Half" -> "1h", "Second Half" -> "2h", "No Goal" / "No Goal Home" -> "none"."""
    text = _SIDE_WORDS.sub(" ", text)
    text = " ".join(text.split())
    if text in ("no goal", "no goals", "none", "ng"):
        return "none"
    half = _HALVES.get(text)
    return half if half in ("1h", "2h") else None


def _two_periods(text: str, bet: str) -> str | None:
    """ "htft.dc.1x2": "1X/1" -> "1x/home" (the half time bet's token, then the full time one's)."""
    _htft, first, second = bet.split(".")
    halves = [part.strip() for part in text.split("/")]
    if len(halves) != 2:
        return None
    tokens = [read_single(part, leg) for part, leg in zip(halves, (first, second), strict=True)]
    return "/".join(t for t in tokens if t) if all(tokens) else None


def read_single(text: str, bet: str) -> str | None:
    """The token of one (non-combined) outcome name under ``bet``, or None when it does not read."""
    clean = _clean(text)
    if bet in ("goalnr", "last"):
        side = _side(clean)
        return "none" if side == "draw" else side  # no team scores the n-th goal: "X" is "none"
    if bet in _SIDE_BETS:
        return _side(clean)
    if bet == "dc":
        return _DOUBLE.get(_without_parens(clean))
    if bet == "total":
        bare = _NOISE_WORDS.sub(" ", _without_trailing_line(_without_parens(clean)))
        return _OVER_UNDER.get(" ".join(bare.split()))
    if bet in _YES_NO_BETS:
        return _YES_NO.get(clean)
    if bet == "oddeven":
        return _ODD_EVEN.get(clean)
    if bet in _COUNT_BETS:
        return _count(clean)
    if bet == "cs":
        return _score(clean)
    if bet == "multiscores":
        return _score_set(clean)
    if bet == "highesthalf":
        return _HALVES.get(clean)
    if bet == "whichteamscores":
        return _WHICH_TEAM.get(clean)
    if bet == "margin":
        return _margin(clean)
    if bet in ("htft", "bttshalves"):
        halves = [part.strip() for part in clean.split("/")]
        reader = _SIDES if bet == "htft" else _YES_NO
        tokens = [reader.get(part) for part in halves]
        return "/".join(t for t in tokens if t) if len(tokens) == 2 and all(tokens) else None
    if bet == "firstgoalhalf":
        return _first_goal_half(clean)
    if bet.startswith("htft."):
        return _two_periods(clean, bet)
    if bet == "htftcs":
        scores = _HTFTCS_SPLIT.split(clean)
        tokens = [_score(s) if s != "4+" else "4+" for s in scores]
        return "/".join(t for t in tokens if t) if len(tokens) == 2 and all(tokens) else None
    return None


_COMBO_SPLIT = re.compile(r"&|\+|\band\b| - ")


@lru_cache(maxsize=65536)
def read_outcome_name(text: str, bet: str) -> str | Refusal:
    """The token of an outcome name under ``bet`` (``1x2&total`` for a combination), or why not."""
    if reason := overlong(text, "outcome name"):
        return Unreadable(reason)
    members = bet.split("&")
    if len(members) == 1:
        token = read_single(text, bet)
        return token if token is not None else Refusal(f"outcome {text!r} does not read as a {bet} outcome")
    parts = [part for part in (p.strip() for p in _COMBO_SPLIT.split(_clean(text))) if part]
    if len(parts) != len(members):
        return Refusal(f"outcome {text!r} has {len(parts)} parts, the bet {bet} has {len(members)}")
    readings = set()
    for order in permutations(parts):
        tokens = [read_single(part, member) for part, member in zip(order, members, strict=True)]
        if all(tokens):
            readings.add("&".join(t for t in tokens if t))
    if len(readings) != 1:
        why = "no reading" if not readings else f"{len(readings)} readings"
        return Refusal(f"outcome {text!r} of {bet}: {why}")
    return readings.pop()


def implied_bet(names: list[str]) -> str:
    """The bet a market's outcome labels say when its name names none ("HT Shots": "Over", "Under"):
    "total" when every label is over or under, "1x2" when they are home, draw and away, else ""."""
    if not names:
        return ""
    cleaned = [_clean(name) for name in names]
    if all(read_single(name, "total") for name in cleaned):
        return "total"
    if len(cleaned) == 3 and {read_single(name, "1x2") for name in cleaned} == {"home", "draw", "away"}:
        return "1x2"
    return ""


def is_residual(token: str) -> bool:
    """An outcome whose meaning depends on what else is listed ("other"; "6+" says what it means)."""
    return token == "other" or "other" in token.split("&")
