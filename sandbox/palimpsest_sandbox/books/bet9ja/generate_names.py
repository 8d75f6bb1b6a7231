"""Generate the sandbox's Bet9ja market names and outcome labels from real GetEvent responses.

    python -m palimpsest_sandbox.books.bet9ja.generate_names ../shared/fixtures/captured/bet9ja

Bet9ja publishes each event's market catalogue (``D.MK``: ``ID`` "S_DCOU", ``DS`` "Double Chance +
Over/Under", ``SGNK`` outcome keys and ``SGN`` their labels "1X + Over"); the sandbox names the markets it
renders the same way, so the parsers' grammar reads the sandbox as it reads the book. The responses stay
outside the project; ``names.json`` keeps only names and labels. Markets issue 32 saw Bet9ja name on
real responses that ../shared does not hold (``REPORTED``) are added where no captured response names them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

OUTPUT = Path(__file__).with_name("names.json")
SOURCE_NOTE = (
    "Bet9ja D.MK names and labels of real GetEvent responses, by sandbox/books/bet9ja/generate_names.py"
)


_YES_NO = {"Y": "Yes", "N": "No"}
_EXACT = {key: key for key in ("0-1", "2", "3", "4+")}
#: Bet9ja's names of deep markets seen on matches whose responses ../shared does not hold (issue 32: "Number
#: Cards Home", "Red Card Away", "First Card HT", "Goal Injury Time", "HT Shots"). The names are the book's as
#: reported; the market ids, outcome keys and labels are written in the style of its captured catalogue
#: (assumed: no response showed them), the other side's twin by symmetry.
REPORTED: dict[str, dict[str, Any]] = {
    "S_NCARDSH": {"DS": "Number Cards Home", "labels": _EXACT},
    "S_NCARDSA": {"DS": "Number Cards Away", "labels": _EXACT},
    "S_REDCARDH": {"DS": "Red Card Home", "labels": _YES_NO},
    "S_REDCARDA": {"DS": "Red Card Away", "labels": _YES_NO},
    "S_FIRSTCARDHT": {"DS": "First Card HT", "labels": {"1": "1", "X": "No Card", "2": "2"}},
    "S_GOALINJ": {"DS": "Goal Injury Time", "labels": _YES_NO},
    "S_HTSHOTS": {"DS": "HT Shots", "labels": {"O": "Over", "U": "Under"}},
}


def with_reported(captured: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The captured names, plus each reported market no captured response names."""
    return dict(sorted({**REPORTED, **captured}.items()))


def names_from_responses(bodies: list[Any]) -> dict[str, dict[str, Any]]:
    """``"S_DCOU"`` -> ``{"DS": name, "labels": {outcome key: label}}``; the first response naming it wins."""
    names: dict[str, dict[str, Any]] = {}
    for body in bodies:
        data = body.get("D", body) if isinstance(body, dict) else {}
        for entry in data.get("MK", []) if isinstance(data, dict) else []:
            if not isinstance(entry, dict):
                continue
            market, keys, labels = entry.get("ID"), entry.get("SGNK"), entry.get("SGN")
            if not isinstance(market, str) or market in names or not isinstance(entry.get("DS"), str):
                continue
            pairs = (
                zip(keys, labels, strict=True) if isinstance(keys, list) and isinstance(labels, list) else ()
            )
            names[market] = {"DS": entry["DS"], "labels": {str(k): str(v) for k, v in pairs}}
    return dict(sorted(names.items()))


def render(names: dict[str, dict[str, Any]]) -> str:
    return json.dumps({"source": SOURCE_NOTE, "markets": names}, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    files = sorted(Path(argv[0]).glob("GetEvent_*.json"))
    if not files:
        print(f"no GetEvent_*.json under {argv[0]}", file=sys.stderr)
        return 1
    bodies = [json.loads(path.read_text(encoding="utf-8")) for path in files]
    names = with_reported(names_from_responses(bodies))
    OUTPUT.write_text(render(names), encoding="utf-8")
    print(f"{OUTPUT.name}: {len(names)} markets from {len(files)} responses")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
