"""Bet9ja market keys the parser still reads from the reviewed table, each with why: what the grammar cannot
decide. Every other row of markets/bet9ja is keyed by the grammar from the market's published name and outcome
labels (``D.MK``), and test_table_rows.py proves it on the sandbox's bodies and the real captures; those rows
remain as the sandbox's catalogue of Bet9ja's names. In-play keys (``LIVES_``) are all read from the table:
live bodies carry no market catalogue to read names from.
"""

from __future__ import annotations

UNDECIDED: dict[str, str] = {
    "B_12": "the grammar refuses it: 'Home/Away (incl. OT)': two scopes named: home and away",
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
        "the grammar refuses it: score match match ah [hcp=-6.5]: basketball name does not say whether "
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
        "the grammar refuses it: score match match total [total=155.5]: basketball name does not say "
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
    "S_1STCORNER": "the grammar refuses it: '1Stcorner': words the grammar does not know: 1stcorner",
    "S_1STGHT": "the grammar refuses it: 'Half 1st Goal': words the grammar does not know: half",
    "S_1STGHTA": "the grammar refuses it: 'Half 1st Goal Away': words the grammar does not know: half",
    "S_1STGHTH": "the grammar refuses it: 'Half 1st Goal Home': words the grammar does not know: half",
    "S_1X21ST10MIN": "the grammar refuses it: '1X2 first 10 minutes': words the grammar does not know: first",
    "S_1X21ST15MIN": "the grammar refuses it: '1X2 first 15 minutes': words the grammar does not know: first",
    "S_1X21ST20MIN": "the grammar refuses it: '1X2 first 20 minutes': words the grammar does not know: first",
    "S_1X21ST30MIN": "the grammar refuses it: '1X2 first 30 minutes': words the grammar does not know: first",
    "S_1X21ST5MIN": "the grammar refuses it: '1X2 first 5 minutes': words the grammar does not know: first",
    "S_1X21ST60MIN": "the grammar refuses it: '1X2 first 60 minutes': words the grammar does not know: first",
    "S_1X22TOU": "the grammar refuses it: outcome '1U2T' has 1 parts, the bet 1x2&total has 2",
    "S_1X2GGNG": "the grammar refuses it: outcome 'XANDNG' has 1 parts, the bet 1x2&btts has 2",
    "S_1X2HDCFT": "the grammar refuses it: '1X2 HT + DC FT': two periods named: 1h and match",
    "S_1X2HND": "the grammar refuses it: outcome '1H' has 1 parts, the bet 1x2&ah has 2",
    "S_1X2HND2TN": "the grammar refuses it: outcome '1' has 1 parts, the bet 1x2&eh has 2",
    "S_1X2HNDHT": "the grammar refuses it: outcome '1' has 1 parts, the bet 1x2&eh has 2",
    "S_1X2HTGGNG": "the grammar refuses it: outcome '1HTANDGG' has 1 parts, the bet 1x2&btts has 2",
    "S_1X2HTOU": "the grammar refuses it: outcome '1U1T' has 1 parts, the bet 1x2&total has 2",
    "S_1X2MULTI1-2": "the grammar refuses it: '1X2 Multi 1-2': words the grammar does not know: multi 1-2",
    "S_1X2MULTI1-3": "the grammar refuses it: '1X2 Multi 1-3': words the grammar does not know: multi 1-3",
    "S_1X2MULTI1-4": "the grammar refuses it: '1X2 Multi 1-4': words the grammar does not know: multi 1-4",
    "S_1X2MULTI1-5": "the grammar refuses it: '1X2 Multi 1-5': words the grammar does not know: multi 1-5",
    "S_1X2MULTI1-6": "never in a capture or the sandbox's bodies: no proof the grammar reads it",
    "S_1X2MULTI2-3": "the grammar refuses it: '1X2 Multi 2-3': words the grammar does not know: multi 2-3",
    "S_1X2MULTI2-4": "the grammar refuses it: '1X2 Multi 2-4': words the grammar does not know: multi 2-4",
    "S_1X2MULTI2-5": "the grammar refuses it: '1X2 Multi 2-5': words the grammar does not know: multi 2-5",
    "S_1X2MULTI2-6": "never in a capture or the sandbox's bodies: no proof the grammar reads it",
    "S_1X2MULTI3-4": "the grammar refuses it: '1X2 Multi 3-4': words the grammar does not know: multi 3-4",
    "S_1X2MULTI3-5": "the grammar refuses it: '1X2 Multi 3-5': words the grammar does not know: multi 3-5",
    "S_1X2MULTI3-6": "never in a capture or the sandbox's bodies: no proof the grammar reads it",
    "S_1X2MULTI4-5": "the grammar refuses it: '1X2 Multi 4-5': words the grammar does not know: multi 4-5",
    "S_1X2MULTI4-6": "never in a capture or the sandbox's bodies: no proof the grammar reads it",
    "S_1X2MULTI5-6": "never in a capture or the sandbox's bodies: no proof the grammar reads it",
    "S_1X2OU": "the grammar refuses it: outcome '1U' has 1 parts, the bet 1x2&total has 2",
    "S_2HT1X2GGNG": "the grammar refuses it: outcome '12HTANDGG' has 1 parts, the bet 1x2&btts has 2",
    "S_2SCORE2T": "restates another market's bet: priced only where that market is absent",
    "S_2SCOREHT": "restates another market's bet: priced only where that market is absent",
    "S_3CM": (
        "the grammar refuses it: '1X2 Or Goal/No Goal Or Over/Under': words the grammar does not know: or or"
    ),
    "S_3COMBO1": "the grammar refuses it: 'Triple Combo': words the grammar does not know: triple combo",
    "S_AWAY02T": "the grammar refuses it: 'Away02T': words the grammar does not know: away02t",
    "S_AWAY0HT": "the grammar refuses it: 'Away0Ht': words the grammar does not know: away0ht",
    "S_AWAYSCORE": "restates another market's bet: priced only where that market is absent",
    "S_CHANCEMIX": "the grammar refuses it: 'Chance Mix': words the grammar does not know: chance mix",
    "S_CHANCEMIXGGOU": (
        "the grammar refuses it: 'Chance Mix GG/O/U': words the grammar does not know: chance mix gg/"
    ),
    "S_CHANCEMIXN": "the grammar refuses it: 'Chance Mix +': words the grammar does not know: chance mix",
    "S_CHANCEMIXOU": "the grammar refuses it: 'Chance Mix O/U': words the grammar does not know: chance mix",
    "S_CHH": (
        "a 3-way corner handicap that UOF lists as Asian lines (home -1 three-way is -1.5): the grammar "
        "keys it as a 3-way canonical market, the row as UOF's"
    ),
    "S_CORN10": "the grammar refuses it: 'Corn10': words the grammar does not know: corn10",
    "S_CORNERHTFT": "the grammar refuses it: outcome '11' does not read as a htft outcome",
    "S_DCGGNG": "the grammar refuses it: outcome '1XGG' has 1 parts, the bet btts&dc has 2",
    "S_DCH1X2FT": "the grammar refuses it: 'DC HT + 1X2 FT': two periods named: 1h and match",
    "S_DCHTFT": "the grammar refuses it: outcome '1X1X' has 1 parts, the bet dc&htft has 2",
    "S_DCMULTI1-2": "the grammar refuses it: 'DC Multi 1-2': words the grammar does not know: multi 1-2",
    "S_DCMULTI1-3": "the grammar refuses it: 'DC Multi 1-3': words the grammar does not know: multi 1-3",
    "S_DCMULTI1-4": "the grammar refuses it: 'DC Multi 1-4': words the grammar does not know: multi 1-4",
    "S_DCMULTI1-5": "the grammar refuses it: 'DC Multi 1-5': words the grammar does not know: multi 1-5",
    "S_DCMULTI1-6": "never in a capture or the sandbox's bodies: no proof the grammar reads it",
    "S_DCMULTI2-3": "the grammar refuses it: 'DC Multi 2-3': words the grammar does not know: multi 2-3",
    "S_DCMULTI2-4": "the grammar refuses it: 'DC Multi 2-4': words the grammar does not know: multi 2-4",
    "S_DCMULTI2-5": "the grammar refuses it: 'DC Multi 2-5': words the grammar does not know: multi 2-5",
    "S_DCMULTI2-6": "never in a capture or the sandbox's bodies: no proof the grammar reads it",
    "S_DCMULTI3-4": "the grammar refuses it: 'DC Multi 3-4': words the grammar does not know: multi 3-4",
    "S_DCMULTI3-5": "the grammar refuses it: 'DC Multi 3-5': words the grammar does not know: multi 3-5",
    "S_DCMULTI3-6": "never in a capture or the sandbox's bodies: no proof the grammar reads it",
    "S_DCMULTI4-5": "the grammar refuses it: 'DC Multi 4-5': words the grammar does not know: multi 4-5",
    "S_DCMULTI4-6": "never in a capture or the sandbox's bodies: no proof the grammar reads it",
    "S_DCMULTI5-6": "never in a capture or the sandbox's bodies: no proof the grammar reads it",
    "S_DCOU": "the grammar refuses it: outcome '1XU' has 1 parts, the bet dc&total has 2",
    "S_EXACTGOAL": (
        "the grammar refuses it: score match match exact: no 'N+' outcome, so the highest count may mean "
        "'or more'"
    ),
    "S_FCH": "the grammar refuses it: 'Fch': words the grammar does not know: fch",
    "S_GGNGOU": "the grammar refuses it: outcome 'GGOVER' has 1 parts, the bet btts&total has 2",
    "S_GNGFSH": "the grammar refuses it: 'GG/NG 1st + 2nd Half': words the grammar does not know: 1st",
    "S_GOALS1T": "the grammar refuses it: 'Goals1T': words the grammar does not know: goals1t",
    "S_GOALS2T": "the grammar refuses it: 'Goals2T': words the grammar does not know: goals2t",
    "S_GOALSAWAY": "the grammar refuses it: 'Away Goals': no bet type named",
    "S_GOALSHOME": "the grammar refuses it: 'Home Goals': no bet type named",
    "S_HA1HOU": "the grammar refuses it: '1st Half - Home/Away Over/Under': two scopes named: home and away",
    "S_HA2HOU": "the grammar refuses it: '2nd Half - Home/Away Over/Under': two scopes named: home and away",
    "S_HAOU": "the grammar refuses it: 'Home/Away Over/Under': two scopes named: home and away",
    "S_HNDCORNER": (
        "a 3-way corner handicap whose outcomes the row composes from UOF's Asian lines: the grammar does"
        " not compose"
    ),
    "S_HOME02T": "the grammar refuses it: 'Home02T': words the grammar does not know: home02t",
    "S_HOME0HT": "the grammar refuses it: 'Home0Ht': words the grammar does not know: home0ht",
    "S_HTFTOU": "the grammar refuses it: outcome '1/1U' has 1 parts, the bet htft&total has 2",
    "S_HTFTOUHT": (
        "the grammar refuses it: 'HT/FT + 1st Half O/U': half time/full time combined with a one-half leg"
    ),
    "S_HTS": "restates another market's bet: priced only where that market is absent",
    "S_LASTCORNER": "the grammar refuses it: 'Lastcorner': words the grammar does not know: lastcorner",
    "S_LCH": "the grammar refuses it: 'Lch': words the grammar does not know: lch",
    "S_LEASTX": "the grammar refuses it: 'Leastx': words the grammar does not know: leastx",
    "S_MATCHOVERFLOW": "the grammar refuses it: 'Match Flow': words the grammar does not know: flow",
    "S_MCS3": "the grammar refuses it: 'Multi Correct Score 3': words the grammar does not know: multi 3",
    "S_MCS4": "the grammar refuses it: 'Multi Correct Score 4': words the grammar does not know: multi 4",
    "S_MULTICH1": "the grammar refuses it: '1st Half - Multi Corner': words the grammar does not know: multi",
    "S_NCORN": "the grammar refuses it: 'Number of Corners': no bet type named",
    "S_SCORET": "the grammar refuses it: outcome '1' does not read as a whichteamscores outcome",
    "S_TEAMCORNER": "the grammar refuses it: 'Teamcorner': words the grammar does not know: teamcorner",
    "S_TEAMCORNER1T": "the grammar refuses it: 'Teamcorner1T': words the grammar does not know: teamcorner1t",
    "S_TOTAL1T2T": "the grammar refuses it: 'Total 1st Half + 2nd Half': two periods named: 1h and 2h",
    "S_WINMARGIN": "the grammar refuses it: outcome 'HT1' does not read as a margin outcome",
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
