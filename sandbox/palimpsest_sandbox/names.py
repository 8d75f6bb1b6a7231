"""Names for the synthetic world, and the machinery of each book's spelling of them (:class:`Spelling`).

The books never agree on spelling: one adds "FC", another abbreviates ("Man Utd"), drops accents or puts the
country in front of a league ("England Premier League"). Matching by SportRadar id must survive all of that,
so the sandbox reproduces it deterministically: each book's rules (in its folder) apply per (book, name)
from a stable hash, never from ``random``.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

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
#: Local-language spellings (transliterated or not) some books keep.
TRANSLITERATED: dict[str, str] = {
    "Super Lig": "Süper Lig",
    "1. Lig": "1. Lig (TFF)",
    "Superliga": "Superligaen",
    "Eliteserien": "Eliteserien (Norge)",
    "I Liga": "I liga",
    "Liga I": "Liga 1 (Superliga)",
}
_CUPS = ("Cup", "UEFA Champions League", "UEFA Europa League", "CAF Champions League", "NCAA", "EuroCup")


def as_written(canonical: str, seed: int, team_key: int, sport: str) -> str:
    """A team's name as SportRadar writes it."""
    return canonical


@dataclass(frozen=True, slots=True)
class LeagueStyle:
    """How a book rewrites SportRadar's league names, each rule drawn from a stable hash per (book,
    tournament): its own women's, youth and reserve markers (``markers``: the marked league's name whole),
    sponsor names, abbreviations, local spellings, a year after a cup's name (``cup_year``), the country in
    front (on ``country_share`` of the leagues, in the book's spelling of it), accents folded or not."""

    markers: Mapping[str, str]
    cup_year: str
    country_share: float
    abbreviated: Mapping[str, str] = field(default_factory=dict)
    folds_accents: bool = False


@dataclass(frozen=True, slots=True)
class Spelling:
    """How a book writes the world's names: a team's (``team(canonical, seed, team_key, sport)``), its own
    names of countries (SportRadar's categories), and its league style (None: SportRadar's names). Names stay
    unique within a country for each book, so a spelling never merges two tournaments."""

    team: Callable[[str, int, int, str], str] = as_written
    countries: Mapping[str, str] = field(default_factory=dict)
    leagues: LeagueStyle | None = None

    def country(self, name: str) -> str:
        return self.countries.get(name, name)

    def tournament(self, book: Book, name: str, country: str, *, seed: int, tournament_key: int) -> str:
        """How the book names the tournament SportRadar calls ``name`` in category ``country``."""
        style = self.leagues
        if style is None:
            return name

        def draw(rule: str) -> float:
            return unit(seed, book.value, rule, tournament_key)

        spelled = name
        if name in style.markers:
            spelled = style.markers[name]
        elif name in SPONSORED and draw("sponsor") < 0.5:
            spelled = SPONSORED[name]
        elif name in style.abbreviated and draw("abbr") < 0.6:
            spelled = style.abbreviated[name]
        elif name in TRANSLITERATED and draw("translit") < 0.5:
            spelled = TRANSLITERATED[name]
        if any(name == cup or name.endswith(cup) for cup in _CUPS) and draw("year") < 0.5:
            spelled = f"{spelled} {style.cup_year}"
        local_country = self.country(country)
        if local_country not in spelled and draw("country") < style.country_share:
            spelled = f"{local_country} {spelled}"
        return fold_accents(spelled) if style.folds_accents else spelled
