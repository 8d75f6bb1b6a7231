"""Bet9ja market keys the parser still reads from the reviewed table, each with why: what the grammar cannot
decide. The grammar keys every other prematch row from the published names (test_table_rows.py proves it);
in-play keys are all read from the table (live bodies carry no market catalogue).
"""

from __future__ import annotations

_OVERTIME = "basketball name does not say whether overtime counts"
_UNKNOWN = "words the grammar does not know: "
_RESTATES = "restates another market's bet: priced only where that market is absent"
_NEVER_SEEN = "never in a capture or the sandbox's bodies: no proof the grammar reads it"


def _refused(*parts: str) -> str:
    return "the grammar refuses it: " + ": ".join(parts)


UNDECIDED: dict[str, str] = {
    "B_12": _refused("'2 Way'", _UNKNOWN + "2 way"),
    "B_12OU2": _refused("'1-2+Ov/Un'", _UNKNOWN + "1-2+"),
    "B_1QD": _refused("outcome '2 DNB' does not read as a dnb outcome"),
    "B_1X2": _refused("'3way'", _UNKNOWN + "3way"),
    "B_1X21T": _refused("outcome 'X HT' does not read as a 1x2 outcome"),
    "B_1X2HRT": _refused("score match match 1x2&ah [hcp=-1]", _OVERTIME),
    "B_21X2": _refused("'2ndH - 1X2'", _UNKNOWN + "2ndh"),
    "B_2HDNB": _refused("outcome '1 DNB 2HT' does not read as a dnb outcome"),
    "B_2QD": _refused("outcome '2 DNB' does not read as a dnb outcome"),
    "B_3QD": _refused("outcome '1 DNB' does not read as a dnb outcome"),
    "B_4QD": _refused("outcome '1 DNB' does not read as a dnb outcome"),
    "B_DNB": _refused("score match match dnb", _OVERTIME),
    "B_DNB1T": _refused("outcome '2 DNB HT' does not read as a dnb outcome"),
    "B_H": _refused("score match match ah [hcp=-29.5]", _OVERTIME),
    "B_HFT": _refused("score match match htft", _OVERTIME),
    "B_HSQ": _refused("'Highest Scoring Quarter'", _UNKNOWN + "highest scoring quarter"),
    "B_OE2TN": _refused("'Odd/Even 2nd H'", _UNKNOWN + "2nd h"),
    "B_OUA": _refused("score match away total [total=79.5]", _OVERTIME),
    "B_OUA11": _refused("'Over/Under Away 1HT'", _UNKNOWN + "1ht"),
    "B_OUA12": _refused("'Over/under Away 1stQ'", _UNKNOWN + "1stq"),
    "B_OUH": _refused("score match home total [total=81.5]", _OVERTIME),
    "B_OUH11": _refused("'Over/Under Home 1HT'", _UNKNOWN + "1ht"),
    "B_OUH12": _refused("'Over/under Home 1stQ'", _UNKNOWN + "1stq"),
    "B_OUN": _refused("score match match total [total=141.5]", _OVERTIME),
    "B_OURT": _refused("score match match total [total=155.5]", _OVERTIME),
    "B_WMIO": _refused("'Win Margin Inc Ov'", _UNKNOWN + "win margin inc ov"),
    "S_1SCORE2T": _RESTATES,
    "S_1SCOREHT": _RESTATES,
    **dict.fromkeys((f"S_{bet}MULTI{low}-6" for bet in ("1X2", "DC") for low in range(1, 6)), _NEVER_SEEN),
    "S_2SCORE2T": _RESTATES,
    "S_2SCOREHT": _RESTATES,
    "S_3CM": _refused("'1X2 Or Goal/No Goal Or Over/Under'", _UNKNOWN + "or or"),
    "S_3COMBO1": (
        "1X2 + GG/NG + Over/Under: the row composes it from UOF legs, where other books' legs meet it; "
        "the grammar's key is canonical"
    ),
    "S_AWAYSCORE": _RESTATES,
    "S_CHANCEMIX": _refused("'1X2 Or Goal/No Goal'", _UNKNOWN + "or"),
    "S_CHANCEMIXGGOU": _refused("'Chance Mix'", _UNKNOWN + "chance mix"),
    "S_CHANCEMIXN": _refused("'Chance Mix +'", _UNKNOWN + "chance mix"),
    "S_CHANCEMIXOU": _refused("'1X2 or Over/Under'", _UNKNOWN + "or"),
    "S_CHH": (
        "a 3-way corner handicap that UOF lists as Asian lines (home -1 three-way is -1.5): the grammar "
        "keys it as a 3-way canonical market, the row as UOF's"
    ),
    "S_CORN10": _refused("'Corner 10 Minutes': no bet type named"),
    "S_CORNERHTFT": (
        "corners HT/FT: the row composes it from UOF's corner 1X2 of each half; the grammar's key is "
        "canonical"
    ),
    "S_EXACTGOAL": _refused(
        "score match match exact: no 'N+' outcome, so the highest count may mean 'or more'"
    ),
    "S_GNGFSH": _refused("'Goal/No Goal HT / Goal/No Goal 2HT': two periods named: 1h and 2h"),
    "S_GOALS1T": _refused("score 1h match exact: no 'N+' outcome, so the highest count may mean 'or more'"),
    "S_GOALS2T": _refused("score 2h match total: no @line"),
    "S_HNDCORNER": (
        "a 3-way corner handicap whose outcomes the row composes from UOF's Asian lines: the grammar does"
        " not compose"
    ),
    "S_HTFTOUHT": _refused("'HT/FT & O/U 1,5 HT': half time/full time combined with a one-half leg"),
    "S_HTS": _RESTATES,
    "S_LEASTX": _refused("'At Least a Half X'", _UNKNOWN + "at least half x"),
    "S_MATCHOVERFLOW": _refused("outcome '1 + First Goal 1' of 1x2&goalnr: no reading"),
    "S_MCS3": _refused("'Multi C.Score (1)'", _UNKNOWN + "multi c.score 1"),
    "S_MCS4": _refused("'Multi C.Score(2)'", _UNKNOWN + "multi c. 2"),
    "S_MULTICH1": _refused("'1st Half - Multi Corner'", _UNKNOWN + "multi"),
    "S_NCORN": _refused("'Number Corner': no bet type named"),
    "S_TOTAL1T2T": _refused("'Total Goals 1st + 2nd Half'", _UNKNOWN + "1st"),
    "S_WINMARGIN": (
        "UOF lists winning margins in variants (up to 2, 3+, ...); the grammar does not pick one by the list"
    ),
    "T_12OUG": _refused("'1-2 + O/U G'", _UNKNOWN + "1-2 g"),
    "T_1S12OUG": _refused("'1st Set  1-2 + O/U G'", _UNKNOWN + "1-2 g"),
    "T_1SETMATCH": _refused("outcome '1 + 2' does not read as a winner outcome"),
    "T_1SMULTICS": _refused("'1st Set - Multi C.Score'", _UNKNOWN + "multi c."),
    "T_C02YN": _refused("'Correct 0-2 Yes/No'", _UNKNOWN + "correct 0-2"),
    "T_C20YN": _refused("'Correct 2-0 Yes/No'", _UNKNOWN + "correct 2-0"),
    "T_CS3": _refused("'Correct Set Score (best of 3 sets)'", _UNKNOWN + "correct score best 3"),
    "T_OU1S": _refused("'O/U 1° Set'", _UNKNOWN + "1°"),
    "T_OUGP1": _refused("'Over/Under Games Player 1'", _UNKNOWN + "1"),
    "T_OUGP2": _refused("'Over/Under Games Player 2'", _UNKNOWN + "2"),
    "T_PWE1SB": _refused("'P1 Win Exact 1 set'", _UNKNOWN + "p1 win 1"),
    "T_PWE1SB2": _refused("'P2 Win Exact 1 set'", _UNKNOWN + "p2 win 1"),
    "T_WSET": _refused("'Win at Least Set'", _UNKNOWN + "win at least"),
    "T_YESNO": _refused("'6-0 / 0-6 Yes/No'", _UNKNOWN + "6-0 0-6"),
}
