"""Generate the sandbox's Bet9ja market names and outcome labels from real GetEvent responses.

    python -m palimpsest_pipeline.sandbox.markets.generate_bet9ja_names ../shared/fixtures/captured/bet9ja

Bet9ja publishes each event's market catalogue (``D.MK``: ``ID`` "S_DCOU", ``DS`` "Double Chance +
Over/Under", ``SGNK`` outcome keys and ``SGN`` their labels "1X + Over"); the sandbox names the markets it
renders the same way, so the parsers' grammar reads the sandbox as it reads the book. The responses stay
outside the project; ``bet9ja_names.json`` keeps only names and labels.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

OUTPUT = Path(__file__).with_name("bet9ja_names.json")
SOURCE_NOTE = (
    "Bet9ja D.MK names and labels of real GetEvent responses, by sandbox/markets/generate_bet9ja_names.py"
)


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
    names = names_from_responses([json.loads(path.read_text(encoding="utf-8")) for path in files])
    OUTPUT.write_text(render(names), encoding="utf-8")
    print(f"{OUTPUT.name}: {len(names)} markets from {len(files)} responses")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
