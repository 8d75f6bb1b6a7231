"""Each site country's own football: a few domestic leagues whose matches only that country's editions list.

Generated per (country, kick-off day) from streams of their own (a hash of the seed, the country and the
day), so the world Nigeria's editions serve is the same with or without them. Match numbers sit above every
index the day's stream uses (``world.MAX_EVENTS_PER_DAY``): SportRadar ids stay unique across the world.
"""

from __future__ import annotations

import dataclasses
import random
import threading
from datetime import UTC, date, datetime, time, timedelta

from palimpsest_pipeline.books.editions import EDITIONS
from palimpsest_pipeline.records import DEFAULT_SITE_COUNTRY, Book
from palimpsest_sandbox.kit import kits
from palimpsest_sandbox.names import CountrySpec, stable_hash, unit
from palimpsest_sandbox.prominence import match_prominence
from palimpsest_sandbox.world import MAX_EVENTS_PER_DAY, World
from palimpsest_sandbox.world_event import Listing, WorldEvent, WorldTournament

#: The leagues of each site country other than Nigeria (whose NPFL is already in the shared world).
LEAGUES: dict[str, CountrySpec] = {
    "gh": CountrySpec("Ghana", 0, ("Ghana Premier League", "Ghana Division One")),
    "ke": CountrySpec("Kenya", 3, ("Kenyan Premier League", "Kenya National Super League")),
    "ug": CountrySpec("Uganda", 3, ("Uganda Premier League",)),
    "tz": CountrySpec("Tanzania", 3, ("Ligi Kuu Bara", "Championship League")),
    "zm": CountrySpec("Zambia", 2, ("Zambia Super League",)),
    "cm": CountrySpec("Cameroon", 1, ("Elite One",)),
    "za": CountrySpec("South Africa", 2, ("Motsepe Foundation Championship",)),
    "bw": CountrySpec("Botswana", 2, ("Botswana Premier League",)),
    "mw": CountrySpec("Malawi", 2, ("Malawi Super League",)),
    "mz": CountrySpec("Mozambique", 2, ("Mocambola",)),
    "rw": CountrySpec("Rwanda", 2, ("Rwanda Premier League",)),
    "sl": CountrySpec("Sierra Leone", 0, ("Sierra Leone Premier League",)),
    "bj": CountrySpec("Benin", 1, ("Benin Premier League",)),
    "cg": CountrySpec("Congo", 1, ("Congo Ligue 1",)),
    "cd": CountrySpec("DR Congo", 1, ("Linafoot",)),
    "ls": CountrySpec("Lesotho", 2, ("Lesotho Premier League",)),
    "ao": CountrySpec("Angola", 1, ("Girabola",)),
    "lr": CountrySpec("Liberia", 0, ("Liberia First Division",)),
    "ml": CountrySpec("Mali", 0, ("Mali Premiere Division",)),
    "ss": CountrySpec("South Sudan", 2, ("South Sudan Premier League",)),
    "tg": CountrySpec("Togo", 0, ("Togo Championnat National",)),
    "zw": CountrySpec("Zimbabwe", 2, ("Zimbabwe Premier Soccer League",)),
}
_ORDER = tuple(sorted(LEAGUES))
#: Most domestic matches a country has on one day; their indices fill the top of a day's id range.
MAX_PER_COUNTRY_DAY = 8
FIRST_INDEX = MAX_EVENTS_PER_DAY
#: Tournament numbers (and so SportRadar's and the books' tournament ids) far above the shared world's.
_FIRST_NUMBER = 5_000
_FIRST_CATEGORY = 900
#: How much the books make of a domestic league: an African top flight, below Europe's second divisions.
WEIGHT = 0.45
_LEAD_DAYS = (2.0, 6.0)
_CACHE_DAYS = 256

assert FIRST_INDEX + len(_ORDER) * MAX_PER_COUNTRY_DAY <= 10_000, "domestic indices must fit a day's range"


class DomesticLeagues:
    """Every site country's domestic tournaments and matches over one world. Thread-safe, cached per day."""

    def __init__(self, world: World) -> None:
        self._world = world
        self._lock = threading.Lock()
        self._tournaments: dict[str, tuple[WorldTournament, ...]] = {}
        self._days: dict[tuple[str, date], tuple[WorldEvent, ...]] = {}

    def tournaments(self, country: str) -> tuple[WorldTournament, ...]:
        """The domestic tournaments of ``country`` (none for Nigeria or a country without leagues here)."""
        if country == DEFAULT_SITE_COUNTRY or country not in LEAGUES:
            return ()
        with self._lock:
            found = self._tournaments.get(country)
        if found is None:
            spec, slot = LEAGUES[country], _ORDER.index(country)
            found = tuple(
                dataclasses.replace(
                    self._world._tournament(
                        _FIRST_NUMBER + slot * 4 + league, "football", spec, name, _FIRST_CATEGORY + slot
                    ),
                    weight=WEIGHT if league == 0 else WEIGHT * 0.7,
                )
                for league, name in enumerate(spec.leagues)
            )
            with self._lock:
                self._tournaments[country] = found
        return found

    def day(self, country: str, day: date) -> tuple[WorldEvent, ...]:
        """The domestic matches of ``country`` kicking off on ``day`` (UTC), by (kick-off, uid)."""
        tournaments = self.tournaments(country)
        if not tournaments:
            return ()
        key = (country, day)
        with self._lock:
            found = self._days.get(key)
        if found is None:
            found = self._generate(country, day, tournaments)
            with self._lock:
                if len(self._days) >= _CACHE_DAYS:
                    self._days.clear()
                self._days[key] = found
        return found

    def _generate(
        self, country: str, day: date, tournaments: tuple[WorldTournament, ...]
    ) -> tuple[WorldEvent, ...]:
        world = self._world
        rng = random.Random(stable_hash(world.seed, "domestic", country, day.toordinal()))
        count = rng.randint(2, MAX_PER_COUNTRY_DAY) if day.weekday() >= 5 else rng.randint(0, 2)
        first = FIRST_INDEX + _ORDER.index(country) * MAX_PER_COUNTRY_DAY
        books = [book for book in kits() if (book, country) in EDITIONS]  # those with an edition there
        events = []
        for index in range(first, first + count):
            tournament = rng.choice(tournaments)
            (home_key, home), (away_key, away) = rng.sample(tournament.teams, 2)
            local_hour = rng.choice((13.0, 14.0, 15.0, 15.5, 16.0))
            kickoff = datetime.combine(day, time(0, 0), tzinfo=UTC) + timedelta(
                hours=(local_hour - tournament.utc_offset) % 24
            )
            uid = day.toordinal() * 10_000 + index
            genius_id, genius_sourced, widget_hidden = world._provider_ids(uid)
            events.append(
                WorldEvent(
                    uid=uid,
                    sr_id=10_000_000 + (day.toordinal() % 9_000) * 10_000 + index,
                    match_seed=stable_hash(world.seed, "match", uid) % 2**31,
                    sport="football",
                    tournament=tournament,
                    home_key=home_key,
                    away_key=away_key,
                    home=world.team_names(home_key, home, "football"),
                    away=world.team_names(away_key, away, "football"),
                    kickoff=kickoff,
                    listings={book: self._listing(uid, book, kickoff) for book in books},
                    genius_id=genius_id,
                    genius_sourced=genius_sourced,
                    sr_id_hidden=widget_hidden,
                    prominence=match_prominence(world.seed, uid, tournament.weight),
                )
            )
        events.sort(key=lambda event: (event.kickoff, event.uid))
        return tuple(events)

    def _listing(self, uid: int, book: Book, kickoff: datetime) -> Listing:
        """Announced a few days ahead (never beyond the world's horizon), each book on its own draw."""
        low, high = _LEAD_DAYS
        lead_days = min(
            self._world.days, low + (high - low) * unit(self._world.seed, "domestic-lead", uid, book)
        )
        return Listing(kickoff - timedelta(minutes=round(lead_days * 1_440)), None)
