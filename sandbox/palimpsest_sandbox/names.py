"""Names for the synthetic world, and how each book spells them.

The books never agree on spelling: SportyBet writes "Wuhan Three Towns FC" where Bet9ja writes "Wuhan Three
Towns", Bet9ja abbreviates ("Man Utd"), BetPawa drops accents, Bet9ja prefixes some leagues with the country
("England Premier League"). Matching by SportRadar id must survive all of that, so the sandbox reproduces it
deterministically: each spelling rule is applied per (book, name) from a stable hash, never from ``random``.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

from palimpsest_pipeline.records import Book


def stable_hash(*parts: object) -> int:
    """A 64-bit hash of ``parts`` that is the same in every process (``hash()`` of a str is salted)."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def unit(*parts: object) -> float:
    """A deterministic number in [0, 1) derived from ``parts``."""
    return stable_hash(*parts) / 2**64


def fold_accents(text: str) -> str:
    """ "Atlético Mérida" -> "Atletico Merida" (BetPawa's habit)."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


@dataclass(frozen=True, slots=True)
class CountrySpec:
    """A country (SportRadar category) with its local UTC offset, which shapes kick-off hours."""

    name: str
    utc_offset: int
    leagues: tuple[str, ...]
    accents: str = ""  # letters that may appear in this country's place names


FOOTBALL_COUNTRIES: tuple[CountrySpec, ...] = (
    CountrySpec(
        "England", 0, ("Premier League", "Championship", "League One", "League Two", "National League")
    ),
    CountrySpec("Spain", 1, ("LaLiga", "LaLiga 2", "Primera RFEF"), "éáñó"),
    CountrySpec("Germany", 1, ("Bundesliga", "2. Bundesliga", "3. Liga", "Regionalliga West"), "üöä"),
    CountrySpec("Italy", 1, ("Serie A", "Serie B", "Serie C"), "ò"),
    CountrySpec("France", 1, ("Ligue 1", "Ligue 2", "National"), "éè"),
    CountrySpec("Portugal", 0, ("Liga Portugal", "Liga Portugal 2"), "ãç"),
    CountrySpec("Netherlands", 1, ("Eredivisie", "Eerste Divisie")),
    CountrySpec("Belgium", 1, ("Pro League", "Challenger Pro League"), "è"),
    CountrySpec("Turkey", 3, ("Super Lig", "1. Lig"), "ş"),
    CountrySpec("Scotland", 0, ("Premiership", "Championship")),
    CountrySpec("Brazil", -3, ("Serie A", "Serie B", "Paulista A1"), "ãéç"),
    CountrySpec("Argentina", -3, ("Liga Profesional", "Primera Nacional"), "í"),
    CountrySpec("Mexico", -6, ("Liga MX", "Liga de Expansion MX"), "é"),
    CountrySpec("USA", -5, ("MLS", "USL Championship")),
    CountrySpec("China", 8, ("Chinese Super League", "China League One")),
    CountrySpec("Japan", 9, ("J.League", "J.League 2")),
    CountrySpec("Korea Republic", 9, ("K League 1", "K League 2")),
    CountrySpec("Australia", 10, ("A-League", "NSW NPL 1", "Victoria NPL")),
    CountrySpec("Nigeria", 1, ("NPFL",)),
    CountrySpec("South Africa", 2, ("Premiership", "Championship")),
    CountrySpec("Egypt", 2, ("Premier League",)),
    CountrySpec("Sweden", 1, ("Allsvenskan", "Superettan"), "åö"),
    CountrySpec("Norway", 1, ("Eliteserien", "OBOS-ligaen"), "ø"),
    CountrySpec("Denmark", 1, ("Superliga", "1st Division"), "ø"),
    CountrySpec("Poland", 1, ("Ekstraklasa", "I Liga"), "ł"),
    CountrySpec("Greece", 2, ("Super League",)),
    CountrySpec("Austria", 1, ("Bundesliga", "2. Liga"), "ö"),
    CountrySpec("Switzerland", 1, ("Super League", "Challenge League"), "ü"),
    CountrySpec("Czechia", 1, ("1. Liga",), "č"),
    CountrySpec("Romania", 2, ("Liga I",), "ţ"),
    CountrySpec("Saudi Arabia", 3, ("Saudi Pro League",)),
    CountrySpec(
        "International Clubs", 1, ("UEFA Champions League", "UEFA Europa League", "CAF Champions League")
    ),
)

#: Lower tiers appended to a country's named leagues when the world needs more tournaments than named.
EXTRA_TIERS: tuple[str, ...] = ("U19 League", "Women's League", "Reserve League", "Cup", "U21 League")

BASKETBALL_COUNTRIES: tuple[CountrySpec, ...] = (
    CountrySpec("USA", -5, ("NBA", "NCAA")),
    CountrySpec("International", 1, ("EuroLeague", "EuroCup")),
    CountrySpec("Spain", 1, ("ACB",), "ñ"),
    CountrySpec("Germany", 1, ("BBL",), "ü"),
    CountrySpec("Italy", 1, ("Lega A",)),
    CountrySpec("China", 8, ("CBA",)),
    CountrySpec("Australia", 10, ("NBL",)),
    CountrySpec("Turkey", 3, ("BSL",), "ş"),
)

#: Tennis "countries" are the tours, as SportyBet's categories are.
TENNIS_TOURS: tuple[CountrySpec, ...] = (
    CountrySpec(
        "ATP",
        1,
        (
            "ATP Geneva, Switzerland Men Singles",
            "ATP Hamburg, Germany Men Singles",
            "ATP Lyon, France Men Singles",
        ),
    ),
    CountrySpec("WTA", 1, ("WTA Rabat, Morocco Women Singles", "WTA Strasbourg, France Women Singles")),
    CountrySpec(
        "Challenger", 1, ("Challenger Bordeaux, France Men Singles", "Challenger Turin, Italy Men Singles")
    ),
    CountrySpec("ITF Men", 1, ("ITF M25 Kursumlijska Banja Men Singles", "ITF M15 Monastir Men Singles")),
)

_SYLLABLES = (
    "ka",
    "ro",
    "vi",
    "len",
    "mar",
    "to",
    "san",
    "bel",
    "do",
    "ri",
    "an",
    "mo",
    "ter",
    "la",
    "gor",
    "ve",
    "nia",
    "sto",
    "bra",
    "lin",
    "cas",
    "tel",
    "mi",
    "ra",
    "por",
    "ha",
    "ven",
    "del",
    "kir",
    "ost",
    "wu",
)
_CLUB_PATTERNS = (
    "{city}",
    "{city} United",
    "{city} City",
    "FC {city}",
    "{city} Rovers",
    "Real {city}",
    "Sporting {city}",
    "{city} Athletic",
    "Atlético {city}",
    "{city} Wanderers",
    "{city} Three Towns",
    "Dynamo {city}",
)
_FIRST_NAMES = (
    "Arthur",
    "Thiago",
    "Terence",
    "Tomas",
    "Lucas",
    "Jannik",
    "Holger",
    "Mateo",
    "Iga",
    "Elena",
    "Coco",
    "Marta",
    "Sofia",
    "Daniil",
    "Felix",
    "Lorenzo",
    "Alejandro",
    "Nuno",
    "Emil",
    "Ons",
)


def place_name(seed: int, *key: object, accents: str = "") -> str:
    """A pronounceable, deterministic place name; sometimes with one of the country's accented letters."""
    parts = [
        _SYLLABLES[stable_hash(seed, *key, i) % len(_SYLLABLES)]
        for i in range(2 + stable_hash(seed, *key) % 2)
    ]
    name = "".join(parts).capitalize()
    if accents and unit(seed, *key, "accent") < 0.5:
        position = 1 + stable_hash(seed, *key, "pos") % (len(name) - 1)
        name = (
            name[:position] + accents[stable_hash(seed, *key, "which") % len(accents)] + name[position + 1 :]
        )
    return name


def club_name(seed: int, team_key: int, accents: str) -> str:
    city = place_name(seed, "city", team_key, accents=accents)
    pattern = _CLUB_PATTERNS[stable_hash(seed, "club", team_key) % len(_CLUB_PATTERNS)]
    return pattern.format(city=city)


def player_name(seed: int, player_key: int) -> str:
    """Tennis players are "Surname, Firstname" on every book (as captured)."""
    surname = place_name(seed, "surname", player_key)
    first = _FIRST_NAMES[stable_hash(seed, "first", player_key) % len(_FIRST_NAMES)]
    return f"{surname}, {first}"


_BET9JA_ABBREVIATIONS = (
    ("United", "Utd"),
    ("Athletic", "Ath."),
    ("Wanderers", "Wand."),
    ("Manchester", "Man"),
)
_CLUB_WORDS = ("FC", "United", "City", "Rovers", "Real", "Sporting", "Athletic", "Wanderers", "Dynamo")


def team_spelling(book: Book, canonical: str, *, seed: int, team_key: int, sport: str) -> str:
    """How ``book`` spells a team whose canonical name is ``canonical``."""
    if sport == "tennis":
        return fold_accents(canonical) if book is Book.BETPAWA else canonical
    if book is Book.BETPAWA:
        return fold_accents(canonical)
    if book is Book.SPORTYBET:
        has_club_word = any(word in canonical.split() for word in _CLUB_WORDS)
        if not has_club_word and unit(seed, "sporty-fc", team_key) < 0.6:
            return f"{canonical} FC"
        return canonical
    name = canonical
    if unit(seed, "bet9ja-abbr", team_key) < 0.7:
        for long, short in _BET9JA_ABBREVIATIONS:
            name = name.replace(long, short)
    if name.startswith("FC ") and unit(seed, "bet9ja-fc", team_key) < 0.5:
        name = name[3:]
    if unit(seed, "bet9ja-fold", team_key) < 0.5:
        name = fold_accents(name)
    return name


#: Sponsor names books put in front of (or after) a league's name, as real books do.
SPONSORED: dict[str, str] = {
    "Championship": "Sky Bet Championship",
    "LaLiga": "LaLiga EA Sports",
    "LaLiga 2": "LaLiga Hypermotion",
    "Serie A": "Serie A Enilive",
    "Super Lig": "Trendyol Super Lig",
    "Ligue 1": "Ligue 1 McDonald's",
    "Eredivisie": "VriendenLoterij Eredivisie",
    "Liga Portugal": "Liga Portugal Betclic",
    "Pro League": "Jupiler Pro League",
    "Premiership": "William Hill Premiership",
    "Allsvenskan": "Allsvenskan OBOS",
    "Chinese Super League": "CSL Ping An",
}
#: Abbreviations Bet9ja uses for long league names.
ABBREVIATED: dict[str, str] = {
    "UEFA Champions League": "UEFA CL",
    "UEFA Europa League": "UEFA EL",
    "CAF Champions League": "CAF CL",
    "Championship": "Champ.",
    "Challenger Pro League": "Challenger PL",
    "Liga de Expansion MX": "Expansion MX",
    "Regionalliga West": "RL West",
}
#: Local-language spellings (transliterated or not) some books keep.
TRANSLITERATED: dict[str, str] = {
    "Super Lig": "Süper Lig",
    "1. Lig": "1. Lig (TFF)",
    "Superliga": "Superligaen",
    "Eliteserien": "Eliteserien (Norge)",
    "I Liga": "I liga",
    "Liga I": "Liga 1 (Superliga)",
}
#: Countries' other names: BetPawa and Bet9ja do not use SportRadar's category names throughout.
COUNTRY_ALIASES: dict[str, dict[Book, str]] = {
    "Korea Republic": {Book.BETPAWA: "South Korea", Book.BET9JA: "Republic of Korea"},
    "Czechia": {Book.BETPAWA: "Czech Republic", Book.BET9JA: "Czech Republic"},
    "Turkey": {Book.BETPAWA: "Türkiye", Book.BET9JA: "Turkiye"},
    "USA": {Book.BETPAWA: "United States", Book.BET9JA: "USA"},
    "International Clubs": {Book.BETPAWA: "International", Book.BET9JA: "Europe"},
    "Netherlands": {Book.BETPAWA: "Netherlands", Book.BET9JA: "Holland"},
    "Saudi Arabia": {Book.BETPAWA: "Saudi Arabia", Book.BET9JA: "KSA"},
}
#: Book-specific forms of the women's / youth / reserve markers in the world's (SportRadar) names.
_MARKERS: dict[str, dict[Book, tuple[str, str]]] = {
    # marker in the SR name -> per book: (prefix-free name part, how that book writes the marker)
    "Women's League": {Book.BETPAWA: ("League", "{name} Women"), Book.BET9JA: ("League", "{name} (W)")},
    "U19 League": {Book.BETPAWA: ("League", "{name} U19"), Book.BET9JA: ("League", "{name} U-19")},
    "U21 League": {Book.BETPAWA: ("League", "U21 {name}"), Book.BET9JA: ("League", "{name} U21")},
    "Reserve League": {Book.BETPAWA: ("League", "{name} Reserves"), Book.BET9JA: ("League", "{name} (Res.)")},
}
_CUPS = ("Cup", "UEFA Champions League", "UEFA Europa League", "CAF Champions League", "NCAA", "EuroCup")


def country_spelling(book: Book, country: str) -> str:
    """How ``book`` names the SportRadar category ``country`` (SportyBet uses SportRadar's own names)."""
    if book is Book.SPORTYBET:
        return country
    return COUNTRY_ALIASES.get(country, {}).get(book, country)


def tournament_spelling(book: Book, name: str, country: str, *, seed: int, tournament_key: int) -> str:
    """How ``book`` names the tournament SportRadar calls ``name`` in category ``country``.

    SportyBet keeps SportRadar's names. BetPawa and Bet9ja each apply, from a stable hash per (book,
    tournament), some of what real books do: sponsor names ("Sky Bet Championship"), their own women's and
    youth markers ("Women", "(W)", "U21"), abbreviations ("UEFA CL"), local spellings ("Süper Lig"), year
    suffixes on cups ("Cup 2026"), the country in front ("England Premier League", in their own spelling of
    the country); BetPawa folds accents. Names stay unique within a country for each book, so a spelling never
    merges two tournaments.
    """
    if book is Book.SPORTYBET:
        return name

    def draw(rule: str) -> float:
        return unit(seed, book.value, rule, tournament_key)

    spelled = name
    marker = _MARKERS.get(name, {}).get(book)
    if marker is not None:
        base, form = marker
        spelled = form.format(name=base)
    elif name in SPONSORED and draw("sponsor") < 0.5:
        spelled = SPONSORED[name]
    elif book is Book.BET9JA and name in ABBREVIATED and draw("abbr") < 0.6:
        spelled = ABBREVIATED[name]
    elif name in TRANSLITERATED and draw("translit") < 0.5:
        spelled = TRANSLITERATED[name]
    if any(name == cup or name.endswith(cup) for cup in _CUPS) and draw("year") < 0.5:
        spelled = f"{spelled} 2026" if book is Book.BET9JA else f"{spelled} 2025/26"
    local_country = country_spelling(book, country)
    if local_country not in spelled and draw("country") < (0.5 if book is Book.BET9JA else 0.3):
        spelled = f"{local_country} {spelled}"
    return fold_accents(spelled) if book is Book.BETPAWA else spelled
