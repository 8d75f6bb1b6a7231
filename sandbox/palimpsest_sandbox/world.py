"""The synthetic world the sandbox serves: tournaments, matches, and which book lists what, when.

A pure function of (seed, size, days) and the instant asked about, so a moving clock sees one consistent
world; :meth:`World.listed` is the tests' ground truth, the same records the adapters should parse. Provider
ids (SportRadar, Genius) are shown as on the real books (docs/sandbox.md).
"""

from __future__ import annotations

import math
import random
import threading
from collections import OrderedDict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from palimpsest_pipeline.records import Book, Event, Tournament
from palimpsest_sandbox import names, start_cases
from palimpsest_sandbox.kit import SandboxBook, kits
from palimpsest_sandbox.markets.moves import unit
from palimpsest_sandbox.names import CountrySpec, stable_hash
from palimpsest_sandbox.prominence import match_prominence, tournament_weight
from palimpsest_sandbox.world_event import Listing, WorldEvent, WorldTournament

__all__ = ["Listing", "World", "WorldEvent", "WorldTournament"]

#: Relative number of matches per weekday (Mon..Sun): football crowds the weekend.
WEEKDAY_WEIGHTS = (0.75, 0.9, 1.0, 0.8, 0.85, 1.9, 1.8)
SPORT_WEIGHTS = (("football", 0.86), ("basketball", 0.08), ("tennis", 0.06))
#: Who of the day stream's books lists a match: all of them, else two, else one (``_listing_books``); shares
#: of the universe before lead times trim them. The pairs and singles are drawn by position (``day_order``).
ALL_BOOKS_SHARE = 0.86
_PAIRS = ((1, 2), (0, 1), (0, 2))
_SINGLES = (1, 2, 0)
WITHDRAWN_SHARE = 0.01
#: Share of matches with a Genius Sports id.
GENIUS_ID_SHARE = 0.7
#: Share of matches (among those with a Genius id) that a book's Genius feed sources.
GENIUS_SOURCED_SHARE = 0.08
#: The most matches the day stream makes; the indices above are the domestic leagues' (domestic.py).
MAX_EVENTS_PER_DAY = 9_800
_DAY_CACHE_SIZE = 64
_LISTING_CACHE_SIZE = 32


def _floor_minute(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(second=0, microsecond=0)


class World:
    """The deterministic synthetic world. Thread-safe: the server thread and tests read it together."""

    def __init__(self, *, seed: int, size: int, days: int) -> None:
        self.seed = seed
        self.size = size
        self.days = days
        self._first = _first_books()
        self.tournaments: tuple[WorldTournament, ...] = self._build_tournaments()
        self._by_sport = {
            sport: [t for t in self.tournaments if t.sport == sport] for sport, _ in SPORT_WEIGHTS
        }
        self._base_per_day = self._calibrate_daily_rate()
        self._lock = threading.Lock()
        self._days: OrderedDict[date, tuple[WorldEvent, ...]] = OrderedDict()
        self._ids: dict[date, dict[tuple[Book, str], WorldEvent]] = {}
        self._listings: OrderedDict[tuple[Book, datetime], tuple[WorldEvent, ...]] = OrderedDict()

    # --- ground truth -------------------------------------------------------------------------------

    def listed(self, book: Book, at: datetime, *, sport: str | None = None) -> list[Event]:
        """Every event ``book`` lists at ``at`` (kick-off still ahead), as the adapters should parse it."""
        return [event.record(book) for event in self.listed_events(book, at, sport=sport)]

    def listed_tournaments(self, book: Book, at: datetime, *, sport: str | None = None) -> list[Tournament]:
        """Tournaments with at least one listed event, with the book's event count."""
        counts: dict[WorldTournament, int] = {}
        for event in self.listed_events(book, at, sport=sport):
            counts[event.tournament] = counts.get(event.tournament, 0) + 1
        return [
            Tournament(
                book,
                t.tournament_id(book),
                t.spellings[book],
                t.country_spellings[book],
                t.sport,
                count,
                t.country_id(book),
            )
            for t, count in counts.items()
        ]

    # --- serving ------------------------------------------------------------------------------------

    def listed_events(self, book: Book, at: datetime, *, sport: str | None = None) -> tuple[WorldEvent, ...]:
        """Listed events by (kick-off, uid); cached per (book, minute) as all boundaries are whole minutes."""
        minute = _floor_minute(at)
        key = (book, minute)
        with self._lock:
            cached = self._listings.get(key)
        if cached is None:
            cached = tuple(
                event.as_listed(minute)
                for day in self._window(minute)
                for event in self._day(day)
                if book in event.listings and event.listings[book].shown_at(minute, event.kickoff)
            )
            with self._lock:
                self._listings[key] = cached
                while len(self._listings) > _LISTING_CACHE_SIZE:
                    self._listings.popitem(last=False)
        if sport is None:
            return cached
        return tuple(event for event in cached if event.sport == sport)

    def find(self, book: Book, event_id: str, at: datetime) -> WorldEvent | None:
        """The event ``book`` knows as ``event_id`` if it is listed at ``at`` (detail 404s otherwise)."""
        minute = _floor_minute(at)
        for day in self._window(minute):
            self._day(day)
            event = self._ids.get(day, {}).get((book, event_id))
            if event is not None:
                listing = event.listings.get(book)
                shown = listing is not None and listing.shown_at(minute, event.kickoff)
                return event.as_listed(minute) if shown else None
        return None

    def find_in_play(self, book: Book, event_id: str, at: datetime) -> WorldEvent | None:
        """The event ``book`` knows as ``event_id`` if it is in play at ``at`` (live endpoints)."""
        for day in self._live_window(at):
            self._day(day)
            event = self._ids.get(day, {}).get((book, event_id))
            if event is not None:
                return event if event.in_play(book, at) else None
        return None

    def in_play_events(self, book: Book, at: datetime, *, sport: str | None = None) -> list[WorldEvent]:
        """Every event ``book`` shows live at ``at``, by (kick-off, uid): ground truth for tests."""
        return [
            event
            for day in self._live_window(at)
            for event in self._day(day)
            if event.in_play(book, at) and sport in (None, event.sport)
        ]

    def live_events(self, book: Book, at: datetime) -> list[WorldEvent]:
        """Every event on ``book``'s live list at ``at``, by (kick-off, uid): ground truth for tests."""
        return [event for day in self._live_window(at) for event in self._day(day) if event.live_on(book, at)]

    def _live_window(self, at: datetime) -> tuple[date, date]:
        """Kick-off days that can hold a match in play at ``at``: matches last well under a day."""
        today = at.astimezone(UTC).date()
        return (today - timedelta(days=1), today)

    def _window(self, at: datetime) -> Iterable[date]:
        """Kick-off days that can hold a listed event at ``at``: leads never exceed ``days``."""
        first = at.date()
        last = (at + timedelta(days=self.days)).date()
        return (first + timedelta(days=offset) for offset in range((last - first).days + 1))

    # --- generation ---------------------------------------------------------------------------------

    def _day(self, day: date) -> tuple[WorldEvent, ...]:
        with self._lock:
            events = self._days.get(day)
            if events is not None:
                self._days.move_to_end(day)
                return events
        events = self._generate_day(day)
        index = {(book, event.event_id(book)): event for event in events for book in event.listings}
        with self._lock:
            self._days[day] = events
            self._ids[day] = index
            while len(self._days) > _DAY_CACHE_SIZE:
                old, _ = self._days.popitem(last=False)
                self._ids.pop(old, None)
        return events

    def _generate_day(self, day: date) -> tuple[WorldEvent, ...]:
        rng = random.Random(stable_hash(self.seed, "day", day.toordinal()))
        weight = WEEKDAY_WEIGHTS[day.weekday()] * 7 / sum(WEEKDAY_WEIGHTS)
        expected = self._base_per_day * weight * rng.lognormvariate(0.0, 0.08)
        count = min(MAX_EVENTS_PER_DAY, max(0, round(expected)))
        events = [self._generate_event(rng, day, index) for index in range(count)]
        # by first listed kick-off: a reschedule moves no other match's place in the lists
        events.sort(
            key=lambda e: (e.kickoff if e.rescheduled is None else e.rescheduled.listed_before, e.uid)
        )
        return tuple(events)

    def _generate_event(self, rng: random.Random, day: date, index: int) -> WorldEvent:
        uid = day.toordinal() * 10_000 + index
        sport = _weighted_choice(rng, SPORT_WEIGHTS)
        tournament = rng.choice(self._by_sport[sport])
        home_key, home_name = rng.choice(tournament.teams)
        away_key, away_name = rng.choice([team for team in tournament.teams if team[0] != home_key])
        kickoff = datetime.combine(day, time(0, 0), tzinfo=UTC) + _kickoff_offset(rng, sport, tournament, day)
        first = self._first
        hidden = {k.book for k in first if k.stream.no_sr_id_share and rng.random() < k.stream.no_sr_id_share}
        sr_id = 10_000_000 + (day.toordinal() % 9_000) * 10_000 + index
        genius_id, genius_sourced, widget_hidden = self._provider_ids(uid)
        announce_lead = _announce_lead_days(rng, self.days)
        listings = {k.book: self._listing(rng, kickoff, k, announce_lead) for k in _listing_books(rng, first)}
        listings.update(self._own_listings(uid, kickoff))  # streams of their own: the day's is untouched
        bare = frozenset(
            k.book for k in first if k.stream.bare_row_share and rng.random() < k.stream.bare_row_share
        )
        moved = start_cases.reschedule(self.seed, uid, kickoff)
        return WorldEvent(
            uid=uid,
            sr_id=sr_id,
            match_seed=stable_hash(self.seed, "match", uid) % 2**31,
            sport=sport,
            tournament=tournament,
            home_key=home_key,
            away_key=away_key,
            home=self.team_names(home_key, home_name, sport),
            away=self.team_names(away_key, away_name, sport),
            kickoff=kickoff if moved is None else moved[0],
            listings=listings,
            genius_id=genius_id,
            genius_sourced=genius_sourced,
            sr_id_hidden=frozenset(hidden) | widget_hidden,
            bare_rows=bare,
            prominence=match_prominence(self.seed, uid, tournament.weight),
            rescheduled=None if moved is None else moved[1],
            play_delay=start_cases.play_delay(self.seed, uid),
        )

    def _provider_ids(self, uid: int) -> tuple[int | None, bool, frozenset[Book]]:
        """Genius id, whether a book's Genius feed sources the match, and the books hiding its SportRadar
        widget, from hashes of the match (not from the day's random stream, so every other property of the
        world stays as it was before Genius ids were modelled)."""
        has_genius = names.unit(self.seed, "genius", uid) < GENIUS_ID_SHARE
        sourced = has_genius and names.unit(self.seed, "genius-sourced", uid) < GENIUS_SOURCED_SHARE
        genius_id = 13_000_000 + uid % 1_000_000 if has_genius else None
        hidden = frozenset(
            book
            for book, k in kits().items()
            if (shares := k.ids.sr_widget_hidden) is not None
            and names.unit(self.seed, f"{book.value}-sr-widget", uid) < shares[0 if sourced else 1]
        )
        return genius_id, sourced, hidden

    def team_names(self, key: int, canonical: str, sport: str) -> dict[Book, str]:
        """How each book spells the team."""
        return {book: k.spelling.team(canonical, self.seed, key, sport) for book, k in kits().items()}

    def _listing(
        self, rng: random.Random, kickoff: datetime, book: SandboxBook, announce_lead: float
    ) -> Listing:
        """Announced ``announce_lead`` days ahead, each book picks the match up a little earlier/later."""
        lead_days = announce_lead + book.stream.lead_offset_days + rng.uniform(-0.3, 0.3)
        lead = timedelta(minutes=round(min(self.days, max(0.05, lead_days)) * 1_440))
        appear_at = kickoff - lead
        withdrawn_at = None
        if rng.random() < WITHDRAWN_SHARE:
            withdrawn_at = appear_at + timedelta(minutes=round(rng.random() * lead.total_seconds() / 60))
        return Listing(appear_at, withdrawn_at)

    def _own_listings(self, uid: int, kickoff: datetime) -> dict[Book, Listing]:
        """The match on each book drawn from a stream of its own (cheap hashes of seed, match and the book's
        salt), so adding such a book changes nothing the others show."""
        found: dict[Book, Listing] = {}
        for book, k in kits().items():
            stream = k.stream
            if stream.day_order is not None or unit(self.seed, uid, stream.salt, 0) >= stream.listed_share:
                continue
            draws = [unit(self.seed, uid, stream.salt, n) for n in range(1, 6)]
            announce = self.days * (1.0 if draws[0] < 0.6 else 0.15 + 0.85 * draws[1])
            lead_days = announce + stream.lead_offset_days + 0.6 * draws[2] - 0.3
            lead = timedelta(minutes=round(min(self.days, max(0.05, lead_days)) * 1_440))
            withdrawn = draws[3] < WITHDRAWN_SHARE
            shift = timedelta(minutes=round(draws[4] * lead.total_seconds() / 60)) if withdrawn else None
            found[book] = Listing(kickoff - lead, None if shift is None else kickoff - lead + shift)
        return found

    def _calibrate_daily_rate(self) -> float:
        """Matches per average day such that each book lists about ``size`` at any instant.

        A book shows a match kicking off ``x`` days ahead only if it lists that match at all and has
        already announced it (lead >= x); a quick Monte Carlo over the same distributions gives the share.
        """
        rng = random.Random(stable_hash(self.seed, "calibration"))
        trials, shown, first = 4_000, 0, self._first
        for _ in range(trials):
            ahead = rng.uniform(0, self.days)
            books = _listing_books(rng, first)
            book = first[rng.randrange(len(first))]
            lead = _announce_lead_days(rng, self.days) + book.stream.lead_offset_days + rng.uniform(-0.3, 0.3)
            shown += book in books and min(self.days, lead) >= ahead
        share = max(shown / trials, 0.05)
        return self.size / (self.days * share)

    def _build_tournaments(self) -> tuple[WorldTournament, ...]:
        wanted = max(12, self.size // 6)
        specs: list[tuple[str, CountrySpec, str]] = []
        for country in names.FOOTBALL_COUNTRIES:
            specs.extend(("football", country, league) for league in country.leagues)
        tier = 0
        while len(specs) < round(wanted * 0.86) and tier < len(names.EXTRA_TIERS):
            specs.extend(("football", c, names.EXTRA_TIERS[tier]) for c in names.FOOTBALL_COUNTRIES[:20])
            tier += 1
        for country in names.BASKETBALL_COUNTRIES:
            specs.extend(("basketball", country, league) for league in country.leagues)
        for tour in names.TENNIS_TOURS:
            specs.extend(("tennis", tour, name) for name in tour.leagues)
        # Country ids are numbered in order of first appearance: hashing names into a small range collided
        # (two countries under one id put one country's leagues under the other's name).
        country_keys: dict[tuple[str, str], int] = {}
        for sport, country, _ in specs:
            country_keys.setdefault((sport, country.name), 10 + len(country_keys))
        return tuple(
            self._tournament(number, sport, country, name, country_keys[sport, country.name])
            for number, (sport, country, name) in enumerate(specs)
        )

    @staticmethod
    def _weight(sport: str, country: CountrySpec, name: str) -> float:
        countries = names.FOOTBALL_COUNTRIES if sport == "football" else ()
        country_index = countries.index(country) if country in countries else 0
        league_index = country.leagues.index(name) if name in country.leagues else len(country.leagues)
        return tournament_weight(sport, country_index, league_index, name)

    def _tournament(
        self, number: int, sport: str, country: CountrySpec, name: str, country_key: int
    ) -> WorldTournament:
        key = 100 + number * 7
        team_count = 24 if sport == "tennis" else 16 + stable_hash(self.seed, "teams", key) % 5
        teams = []
        for index in range(team_count):
            team_key = key * 100 + index
            if sport == "tennis":
                teams.append((team_key, names.player_name(self.seed, team_key)))
            else:
                teams.append((team_key, names.club_name(self.seed, team_key, country.accents)))
        spellings = {
            book: k.spelling.tournament(book, name, country.name, seed=self.seed, tournament_key=key)
            for book, k in kits().items()
        }
        country_spellings = {book: k.spelling.country(country.name) for book, k in kits().items()}
        return WorldTournament(
            key=key,
            sport=sport,
            country=country.name,
            country_key=country_key,
            name=name,
            utc_offset=country.utc_offset,
            teams=tuple(teams),
            number=number,
            spellings=spellings,
            country_spellings=country_spellings,
            weight=self._weight(sport, country, name),
        )


def _weighted_choice(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    draw = rng.random() * sum(weight for _, weight in weighted)
    for value, weight in weighted:
        draw -= weight
        if draw < 0:
            return value
    return weighted[-1][0]


def _first_books() -> tuple[SandboxBook, ...]:
    """The books listed from the day stream, in the order its draws take them."""
    first = [k for k in kits().values() if k.stream.day_order is not None]
    return tuple(sorted(first, key=lambda k: k.stream.day_order or 0))


def _listing_books(rng: random.Random, first: tuple[SandboxBook, ...]) -> tuple[SandboxBook, ...]:
    """Most matches are on all the day stream's books; the rest on two or on one."""
    draw = rng.random()
    if draw < ALL_BOOKS_SHARE:
        return first
    if draw < ALL_BOOKS_SHARE + 0.06:
        return tuple(first[n] for n in _PAIRS[rng.randrange(3)])
    return (first[_SINGLES[rng.randrange(3)]],)


def _announce_lead_days(rng: random.Random, days: int) -> float:
    """How many days before kick-off a match is announced: most as soon as fixtures exist."""
    return days * (1.0 if rng.random() < 0.6 else rng.uniform(0.15, 1.0))


def _kickoff_offset(rng: random.Random, sport: str, tournament: WorldTournament, day: date) -> timedelta:
    """Kick-off time of day in UTC: local afternoons/evenings (weekend afternoons for football)."""
    weekend = day.weekday() >= 5
    if sport == "tennis":
        local_hour = rng.uniform(10, 20)
    elif sport == "basketball":
        local_hour = rng.choice((17.0, 18.5, 19.0, 20.0, 20.5))
    elif weekend:
        local_hour = rng.choice((12.5, 13.0, 14.0, 15.0, 15.0, 16.0, 17.5, 18.0, 19.0, 20.0))
    else:
        local_hour = rng.choice((17.0, 18.0, 18.5, 19.0, 19.45, 20.0, 20.75))
    utc_hour = (local_hour - tournament.utc_offset) % 24
    minutes = math.floor(utc_hour * 4) * 15  # quarter hours, as fixtures are
    return timedelta(minutes=minutes)
