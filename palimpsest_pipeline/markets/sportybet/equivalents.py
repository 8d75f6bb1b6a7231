"""SportyBet's own (non-UOF) markets that are the same bet as a canonical market, e.g. "Home Team To Score
Yes/No" (900015) is "Away clean sheet" (32) with yes/no swapped. Its UOF ids key themselves and its other
families are adopted under their own id (vocabulary.NATIVE_MARKETS).
"""

from __future__ import annotations

#: SportyBet market id -> (canonical market id, {SportyBet outcome id: canonical outcome id}).
EQUIVALENTS: dict[str, tuple[int, dict[str, int]]] = {
    "900015": (32, {"39": 76, "40": 74}),  # home team to score yes  == away clean sheet no
    "900014": (31, {"39": 76, "40": 74}),  # away team to score yes  == home clean sheet no
    "900022": (77, {"39": 76, "40": 74}),  # 1st half home to score  == 1st half away clean sheet no
    "900021": (76, {"39": 76, "40": 74}),  # 1st half away to score  == 1st half home clean sheet no
    "900020": (97, {"39": 76, "40": 74}),  # 2nd half home to score  == 2nd half away clean sheet no
    "900019": (96, {"39": 76, "40": 74}),  # 2nd half away to score  == 2nd half home clean sheet no
}
