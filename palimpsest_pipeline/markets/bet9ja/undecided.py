"""Bet9ja market keys the parser still reads from the reviewed table, each with why: what the grammar cannot
decide. Every other row of markets/bet9ja is keyed by the grammar from the market's published name and outcome
labels (``D.MK``), and test_table_rows.py proves it on the sandbox's bodies and the real captures; those rows
remain as the sandbox's catalogue of Bet9ja's names. In-play keys (``LIVES_``) are all read from the table:
live bodies carry no market catalogue to read names from.
"""

from __future__ import annotations

UNDECIDED: dict[str, str] = {
    "B_12": "the grammar refuses it: '2 Way': words the grammar does not know: 2 way",
    "B_12OU2": "the grammar refuses it: '1-2+Ov/Un': words the grammar does not know: 1-2+",
    "B_1QD": "the grammar refuses it: outcome '2 DNB' does not read as a dnb outcome",
    "B_1X2": "the grammar refuses it: '3way': words the grammar does not know: 3way",
    "B_1X21T": "the grammar refuses it: outcome 'X HT' does not read as a 1x2 outcome",
    "B_1X2HRT": (
        "the grammar refuses it: score match match 1x2&ah [hcp=-1]: basketball name does not say whether "
        "overtime counts"
    ),
    "B_21X2": "the grammar refuses it: '2ndH - 1X2': words the grammar does not know: 2ndh",
    "B_2HDNB": "the grammar refuses it: outcome '1 DNB 2HT' does not read as a dnb outcome",
    "B_2QD": "the grammar refuses it: outcome '2 DNB' does not read as a dnb outcome",
    "B_3QD": "the grammar refuses it: outcome '1 DNB' does not read as a dnb outcome",
    "B_4QD": "the grammar refuses it: outcome '1 DNB' does not read as a dnb outcome",
    "B_DNB": (
        "the grammar refuses it: score match match dnb: basketball name does not say whether overtime counts"
    ),
    "B_DNB1T": "the grammar refuses it: outcome '2 DNB HT' does not read as a dnb outcome",
    "B_H": (
        "the grammar refuses it: score match match ah [hcp=-29.5]: basketball name does not say whether "
        "overtime counts"
    ),
    "B_HFT": (
        "the grammar refuses it: score match match htft: basketball name does not say whether overtime counts"
    ),
    "B_HSQ": (
        "the grammar refuses it: 'Highest Scoring Quarter': words the grammar does not know: highest "
        "scoring quarter"
    ),
    "B_OE2TN": "the grammar refuses it: 'Odd/Even 2nd H': words the grammar does not know: 2nd h",
    "B_OUA": (
        "the grammar refuses it: score match away total [total=79.5]: basketball name does not say "
        "whether overtime counts"
    ),
    "B_OUA11": "the grammar refuses it: 'Over/Under Away 1HT': words the grammar does not know: 1ht",
    "B_OUA12": "the grammar refuses it: 'Over/under Away 1stQ': words the grammar does not know: 1stq",
    "B_OUH": (
        "the grammar refuses it: score match home total [total=81.5]: basketball name does not say "
        "whether overtime counts"
    ),
    "B_OUH11": "the grammar refuses it: 'Over/Under Home 1HT': words the grammar does not know: 1ht",
    "B_OUH12": "the grammar refuses it: 'Over/under Home 1stQ': words the grammar does not know: 1stq",
    "B_OUN": (
        "the grammar refuses it: score match match total [total=141.5]: basketball name does not say "
        "whether overtime counts"
    ),
    "B_OURT": (
        "the grammar refuses it: score match match total [total=155.5]: basketball name does not say "
        "whether overtime counts"
    ),
    "B_WMIO": (
        "the grammar refuses it: 'Win Margin Inc Ov': words the grammar does not know: win margin inc ov"
    ),
    "S_1SCORE2T": "restates another market's bet: priced only where that market is absent",
    "S_1SCOREHT": "restates another market's bet: priced only where that market is absent",
    "S_1X2MULTI1-6": "never in a capture or the sandbox's bodies: no proof the grammar reads it",
    "S_1X2MULTI2-6": "never in a capture or the sandbox's bodies: no proof the grammar reads it",
    "S_1X2MULTI3-6": "never in a capture or the sandbox's bodies: no proof the grammar reads it",
    "S_1X2MULTI4-6": "never in a capture or the sandbox's bodies: no proof the grammar reads it",
    "S_1X2MULTI5-6": "never in a capture or the sandbox's bodies: no proof the grammar reads it",
    "S_2SCORE2T": "restates another market's bet: priced only where that market is absent",
    "S_2SCOREHT": "restates another market's bet: priced only where that market is absent",
    "S_3CM": (
        "the grammar refuses it: '1X2 Or Goal/No Goal Or Over/Under': words the grammar does not know: or or"
    ),
    "S_3COMBO1": (
        "1X2 + GG/NG + Over/Under: the row composes it from UOF legs, where other books' legs meet it; "
        "the grammar's key is canonical"
    ),
    "S_AWAYSCORE": "restates another market's bet: priced only where that market is absent",
    "S_CHANCEMIX": "the grammar refuses it: '1X2 Or Goal/No Goal': words the grammar does not know: or",
    "S_CHANCEMIXGGOU": "the grammar refuses it: 'Chance Mix': words the grammar does not know: chance mix",
    "S_CHANCEMIXN": "the grammar refuses it: 'Chance Mix +': words the grammar does not know: chance mix",
    "S_CHANCEMIXOU": "the grammar refuses it: '1X2 or Over/Under': words the grammar does not know: or",
    "S_CHH": (
        "a 3-way corner handicap that UOF lists as Asian lines (home -1 three-way is -1.5): the grammar "
        "keys it as a 3-way canonical market, the row as UOF's"
    ),
    "S_CORN10": "the grammar refuses it: 'Corner 10 Minutes': no bet type named",
    "S_CORNERHTFT": (
        "corners HT/FT: the row composes it from UOF's corner 1X2 of each half; the grammar's key is "
        "canonical"
    ),
    "S_DCMULTI1-6": "never in a capture or the sandbox's bodies: no proof the grammar reads it",
    "S_DCMULTI2-6": "never in a capture or the sandbox's bodies: no proof the grammar reads it",
    "S_DCMULTI3-6": "never in a capture or the sandbox's bodies: no proof the grammar reads it",
    "S_DCMULTI4-6": "never in a capture or the sandbox's bodies: no proof the grammar reads it",
    "S_DCMULTI5-6": "never in a capture or the sandbox's bodies: no proof the grammar reads it",
    "S_EXACTGOAL": (
        "the grammar refuses it: score match match exact: no 'N+' outcome, so the highest count may mean "
        "'or more'"
    ),
    "S_GNGFSH": "the grammar refuses it: 'Goal/No Goal HT / Goal/No Goal 2HT': two periods named: 1h and 2h",
    "S_GOALS1T": (
        "the grammar refuses it: score 1h match exact: no 'N+' outcome, so the highest count may mean 'or"
        " more'"
    ),
    "S_GOALS2T": "the grammar refuses it: score 2h match total: no @line",
    "S_HNDCORNER": (
        "a 3-way corner handicap whose outcomes the row composes from UOF's Asian lines: the grammar does"
        " not compose"
    ),
    "S_HTFTOUHT": (
        "the grammar refuses it: 'HT/FT & O/U 1,5 HT': half time/full time combined with a one-half leg"
    ),
    "S_HTS": "restates another market's bet: priced only where that market is absent",
    "S_LEASTX": (
        "the grammar refuses it: 'At Least a Half X': words the grammar does not know: at least half x"
    ),
    "S_MATCHOVERFLOW": "the grammar refuses it: outcome '1 + First Goal 1' of 1x2&goalnr: no reading",
    "S_MCS3": "the grammar refuses it: 'Multi C.Score (1)': words the grammar does not know: multi c.score 1",
    "S_MCS4": "the grammar refuses it: 'Multi C.Score(2)': words the grammar does not know: multi c. 2",
    "S_MULTICH1": "the grammar refuses it: '1st Half - Multi Corner': words the grammar does not know: multi",
    "S_NCORN": "the grammar refuses it: 'Number Corner': no bet type named",
    "S_TOTAL1T2T": (
        "the grammar refuses it: 'Total Goals 1st + 2nd Half': words the grammar does not know: 1st"
    ),
    "S_WINMARGIN": (
        "UOF lists winning margins in variants (up to 2, 3+, ...); the grammar does not pick one by the list"
    ),
    "T_12OUG": "the grammar refuses it: '1-2 + O/U G': words the grammar does not know: 1-2 g",
    "T_1S12OUG": "the grammar refuses it: '1st Set  1-2 + O/U G': words the grammar does not know: 1-2 g",
    "T_1SETMATCH": "the grammar refuses it: outcome '1 + 2' does not read as a winner outcome",
    "T_1SMULTICS": (
        "the grammar refuses it: '1st Set - Multi C.Score': words the grammar does not know: multi c."
    ),
    "T_C02YN": "the grammar refuses it: 'Correct 0-2 Yes/No': words the grammar does not know: correct 0-2",
    "T_C20YN": "the grammar refuses it: 'Correct 2-0 Yes/No': words the grammar does not know: correct 2-0",
    "T_CS3": (
        "the grammar refuses it: 'Correct Set Score (best of 3 sets)': words the grammar does not know: "
        "correct score best 3"
    ),
    "T_OU1S": "the grammar refuses it: 'O/U 1° Set': words the grammar does not know: 1°",
    "T_OUGP1": "the grammar refuses it: 'Over/Under Games Player 1': words the grammar does not know: 1",
    "T_OUGP2": "the grammar refuses it: 'Over/Under Games Player 2': words the grammar does not know: 2",
    "T_PWE1SB": "the grammar refuses it: 'P1 Win Exact 1 set': words the grammar does not know: p1 win 1",
    "T_PWE1SB2": "the grammar refuses it: 'P2 Win Exact 1 set': words the grammar does not know: p2 win 1",
    "T_WSET": "the grammar refuses it: 'Win at Least Set': words the grammar does not know: win at least",
    "T_YESNO": "the grammar refuses it: '6-0 / 0-6 Yes/No': words the grammar does not know: 6-0 0-6",
}
