"""How Bet9ja spells the world's names: it abbreviates teams ("Man Utd") and long leagues ("UEFA CL"), often
drops a club's "FC" and accents, puts the country in front of half its leagues ("England Premier League") and
a year after a cup's name, and has its own names for some countries ("Holland")."""

from __future__ import annotations

from palimpsest_sandbox.names import LeagueStyle, Spelling, fold_accents, unit

_ABBREVIATIONS = (("United", "Utd"), ("Athletic", "Ath."), ("Wanderers", "Wand."), ("Manchester", "Man"))


def _team(canonical: str, seed: int, team_key: int, sport: str) -> str:
    if sport == "tennis":
        return canonical
    name = canonical
    if unit(seed, "bet9ja-abbr", team_key) < 0.7:
        for long, short in _ABBREVIATIONS:
            name = name.replace(long, short)
    if name.startswith("FC ") and unit(seed, "bet9ja-fc", team_key) < 0.5:
        name = name[3:]
    if unit(seed, "bet9ja-fold", team_key) < 0.5:
        name = fold_accents(name)
    return name


SPELLING = Spelling(
    team=_team,
    countries={
        "Korea Republic": "Republic of Korea",
        "Czechia": "Czech Republic",
        "Turkey": "Turkiye",
        "International Clubs": "Europe",
        "Netherlands": "Holland",
        "Saudi Arabia": "KSA",
    },
    leagues=LeagueStyle(
        markers={
            "Women's League": "League (W)",
            "U19 League": "League U-19",
            "U21 League": "League U21",
            "Reserve League": "League (Res.)",
        },
        cup_year="2026",
        country_share=0.5,
        abbreviated={
            "UEFA Champions League": "UEFA CL",
            "UEFA Europa League": "UEFA EL",
            "CAF Champions League": "CAF CL",
            "Championship": "Champ.",
            "Challenger Pro League": "Challenger PL",
            "Liga de Expansion MX": "Expansion MX",
            "Regionalliga West": "RL West",
        },
    ),
)
