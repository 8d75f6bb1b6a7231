"""What happens on the pitch after kick-off: phases, game clock and score at any instant of a match.

Every match has a *plan* drawn once from its ``match_seed`` (stoppage times, set count, which minute each goal
falls in...) and the teams' strengths (from the price model, see ``live_prices.strengths``). The state at an
instant is then read off the plan, so it is a pure function of (seed, match, elapsed time): the score never
goes down as the clock runs, and two sandboxes with the same seed show the same minute identically.

Durations (wall time from kick-off until the event leaves the books' live pages):
football 45' + 1-3' stoppage, 15' half time, 45' + 3-7' stoppage = 109-115 minutes; basketball four
22-minute quarters with 2/15/2-minute breaks = 107 minutes; tennis best of three, 4.5 minutes a game.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from palimpsest_sandbox.names import stable_hash

HALF_S = 45 * 60
FOOTBALL_BREAK_S = 15 * 60
FIRST_HALF_GOAL_SHARE = 0.44  # the price model's share of goals scored before half time
BASKETBALL_QUARTER_WALL_S = 22 * 60
BASKETBALL_QUARTER_GAME_S = 10 * 60
BASKETBALL_BREAKS_S = (2 * 60, 15 * 60, 2 * 60)
BASKETBALL_QUARTER_POINTS_SD = 5.0
TENNIS_GAME_WALL_S = 270
TENNIS_THIRD_SET_SHARE = 0.35


@dataclass(frozen=True, slots=True)
class Strengths:
    """What the plan needs from the price model, per sport.

    football: expected goals (home, away); basketball: expected points (home, away);
    tennis: (probability the home player wins the match, unused 0.0).
    """

    home: float
    away: float


@dataclass(frozen=True, slots=True)
class Phase:
    """One stretch of a match: a period being played (``period`` >= 1) or a break (``period`` = 0)."""

    code: str  # "H1", "HT", "H2"; "Q1".."Q4", "B1".."B3"; "S1".."S3"
    period: int  # the period in play; for a break, the one just finished, negated (-1 after H1...)
    start_s: int  # wall seconds after kick-off
    end_s: int
    game_start_s: int  # game clock at the phase's start (football, basketball); set start (tennis)
    game_end_s: int


@dataclass(frozen=True, slots=True)
class MatchState:
    """The match at one instant, in the terms both books' live payloads need."""

    sport: str
    phase: Phase
    elapsed_s: int  # wall seconds since kick-off
    game_s: int  # game clock: played seconds (football, basketball), wall seconds (tennis)
    period_scores: tuple[tuple[int, int], ...]  # one per period started, the current one so far
    remaining_share: float  # share of the match's scoring still to come, for the live prices

    @property
    def score(self) -> tuple[int, int]:
        """Football/basketball: goals/points; tennis: sets won (a set counts once it is finished)."""
        if self.sport != "tennis":
            return (sum(h for h, _ in self.period_scores), sum(a for _, a in self.period_scores))
        finished = self.period_scores[:-1]  # tennis has no breaks: the last set is the one in play
        return (sum(h > a for h, a in finished), sum(a > h for h, a in finished))

    @property
    def is_break(self) -> bool:
        return self.phase.period < 0

    @property
    def minute(self) -> int:
        """The minute being played as the books print it ("91'"); in a break, the minutes played (45)."""
        return self.game_s // 60 + (0 if self.is_break else 1)


@dataclass(frozen=True, slots=True)
class _Plan:
    phases: tuple[Phase, ...]
    #: (period, game second it happens at, 0 home / 1 away, points) in time order
    scoring: tuple[tuple[int, int, int, int], ...]

    @property
    def duration_s(self) -> int:
        return self.phases[-1].end_s


# --- durations (no strengths needed: the world asks them for every match) --------------------------------


def _football_phases(match_seed: int) -> tuple[Phase, ...]:
    first_stoppage = 60 * (1 + stable_hash(match_seed, "stoppage", 1) % 3)
    second_stoppage = 60 * (3 + stable_hash(match_seed, "stoppage", 2) % 5)
    h1_end = HALF_S + first_stoppage
    h2_start = h1_end + FOOTBALL_BREAK_S
    return (
        Phase("H1", 1, 0, h1_end, 0, h1_end),
        Phase("HT", -1, h1_end, h2_start, HALF_S, HALF_S),  # the clock shows 45' through the break
        Phase("H2", 2, h2_start, h2_start + HALF_S + second_stoppage, HALF_S, 2 * HALF_S + second_stoppage),
    )


def _basketball_phases() -> tuple[Phase, ...]:
    phases: list[Phase] = []
    wall = game = 0
    for quarter in range(1, 5):
        end = wall + BASKETBALL_QUARTER_WALL_S
        phases.append(Phase(f"Q{quarter}", quarter, wall, end, game, game + BASKETBALL_QUARTER_GAME_S))
        wall, game = end, game + BASKETBALL_QUARTER_GAME_S
        if quarter < 4:
            pause = BASKETBALL_BREAKS_S[quarter - 1]
            phases.append(Phase(f"B{quarter}", -quarter, wall, wall + pause, game, game))
            wall += pause
    return tuple(phases)


def _tennis_sets(match_seed: int) -> list[tuple[int, int]]:
    """(winner's games, loser's games) per set: the set count and scores hang on the seed only."""
    rng = random.Random(stable_hash(match_seed, "tennis-sets"))
    count = 3 if rng.random() < TENNIS_THIRD_SET_SHARE else 2
    sets = []
    for _ in range(count):
        loser = rng.choice((0, 1, 2, 2, 3, 3, 4, 4, 4, 5, 6))
        sets.append((7, loser) if loser >= 5 else (6, loser))
    return sets


def _tennis_phases(match_seed: int) -> tuple[Phase, ...]:
    phases, wall = [], 0
    for number, games in enumerate(_tennis_sets(match_seed), start=1):
        end = wall + sum(games) * TENNIS_GAME_WALL_S
        phases.append(Phase(f"S{number}", number, wall, end, wall, end))
        wall = end
    return tuple(phases)


@lru_cache(maxsize=16_384)
def phases_of(sport: str, match_seed: int) -> tuple[Phase, ...]:
    if sport == "football":
        return _football_phases(match_seed)
    if sport == "basketball":
        return _basketball_phases()
    if sport == "tennis":
        return _tennis_phases(match_seed)
    raise ValueError(f"no live timeline for sport {sport!r}; known: basketball, football, tennis")


def in_play_duration(sport: str, match_seed: int) -> timedelta:
    """How long after kick-off the match stays in play (and on the books' live pages)."""
    return timedelta(seconds=phases_of(sport, match_seed)[-1].end_s)


# --- the plan: who scores when ------------------------------------------------------------------------


def _poisson_draw(rng: random.Random, lam: float) -> int:
    """Knuth's method: fine for the small means of football goals."""
    limit, count, product = math.exp(-max(0.0, lam)), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _football_scoring(
    rng: random.Random, phases: tuple[Phase, ...], strengths: Strengths
) -> list[tuple[int, int, int, int]]:
    h1, _, h2 = phases
    goals = []
    for team, lam in ((0, strengths.home), (1, strengths.away)):
        for _ in range(_poisson_draw(rng, lam)):
            half = h1 if rng.random() < FIRST_HALF_GOAL_SHARE else h2
            goals.append((half.period, rng.randrange(half.game_start_s, half.game_end_s), team, 1))
    return goals


def _basketball_scoring(
    rng: random.Random, phases: tuple[Phase, ...], strengths: Strengths
) -> list[tuple[int, int, int, int]]:
    """Each team's points per quarter, spread over the quarter in 2-point baskets (the last may be 1 or 3)."""
    baskets = []
    for phase in phases:
        if phase.period < 1:
            continue
        for team, mean in ((0, strengths.home), (1, strengths.away)):
            points = max(4, round(rng.gauss(mean / 4, BASKETBALL_QUARTER_POINTS_SD)))
            span = phase.game_end_s - phase.game_start_s
            count = math.ceil(points / 2)
            for index in range(count):
                value = 2 if index < count - 1 or points % 2 == 0 else 1
                at = phase.game_start_s + (index * span + rng.randrange(span)) // count
                baskets.append((phase.period, min(at, phase.game_end_s - 1), team, value))
    return baskets


def _tennis_scoring(
    rng: random.Random, phases: tuple[Phase, ...], strengths: Strengths, match_seed: int
) -> list[tuple[int, int, int, int]]:
    """Games, one point each; the match winner (drawn with the model's odds) takes the last set."""
    sets = _tennis_sets(match_seed)
    winner = 0 if rng.random() < strengths.home else 1
    set_winners = [winner] * len(sets)
    if len(sets) == 3:
        set_winners[rng.randrange(2)] = 1 - winner
    games = []
    for phase, (won, lost), set_winner in zip(phases, sets, set_winners, strict=True):
        order = [set_winner] * (won - 1) + [1 - set_winner] * lost
        rng.shuffle(order)
        order.append(set_winner)  # the set ends on the winner's game
        for index, team in enumerate(order):
            games.append((phase.period, phase.start_s + (index + 1) * TENNIS_GAME_WALL_S - 1, team, 1))
    return games


@lru_cache(maxsize=4_096)
def _plan(sport: str, match_seed: int, strengths: Strengths) -> _Plan:
    phases = phases_of(sport, match_seed)
    rng = random.Random(stable_hash(match_seed, "live-plan", sport))
    if sport == "football":
        scoring = _football_scoring(rng, phases, strengths)
    elif sport == "basketball":
        scoring = _basketball_scoring(rng, phases, strengths)
    else:
        scoring = _tennis_scoring(rng, phases, strengths, match_seed)
    return _Plan(phases, tuple(sorted(scoring, key=lambda item: (item[1], item[0], item[2]))))


# --- reading the state --------------------------------------------------------------------------------


def _game_clock(phase: Phase, elapsed_s: int) -> int:
    if phase.period < 0:
        return phase.game_start_s
    wall_span = phase.end_s - phase.start_s
    game_span = phase.game_end_s - phase.game_start_s
    return phase.game_start_s + (elapsed_s - phase.start_s) * game_span // max(1, wall_span)


def _remaining_share(sport: str, phases: tuple[Phase, ...], phase: Phase, game_s: int) -> float:
    """Share of the match's scoring still to come (football halves weigh 44/56, as the model's goals)."""
    if sport == "football":
        h1_end = phases[0].game_end_s
        if phase.code == "H1":
            return 1 - FIRST_HALF_GOAL_SHARE * min(1.0, game_s / HALF_S)
        if phase.code == "HT":
            return 1 - FIRST_HALF_GOAL_SHARE
        return (1 - FIRST_HALF_GOAL_SHARE) * max(0.0, 1 - (game_s - h1_end) / HALF_S)
    total = phases[-1].game_end_s
    return max(0.0, 1 - game_s / max(1, total))


def match_state(sport: str, match_seed: int, elapsed_s: float, strengths: Strengths) -> MatchState | None:
    """The match ``elapsed_s`` seconds after kick-off; None before kick-off or once it is over."""
    plan = _plan(sport, match_seed, strengths)
    elapsed = int(elapsed_s)
    if elapsed < 0 or elapsed >= plan.duration_s:
        return None
    phase = next(p for p in plan.phases if p.start_s <= elapsed < p.end_s)
    game_s = _game_clock(phase, elapsed) if sport != "tennis" else elapsed
    periods = abs(phase.period)
    finished = periods if phase.period < 0 else periods - 1
    clock = elapsed if sport == "tennis" else game_s  # tennis games are timed on the wall clock
    scores = [[0, 0] for _ in range(periods)]
    for period, at, team, points in plan.scoring:
        # a finished period counts whole (a first-half stoppage goal at game second 2,760 still counts
        # when the second half's clock restarts at 2,700)
        if period <= finished or (period == periods and at < clock):
            scores[period - 1][team] += points
    return MatchState(
        sport=sport,
        phase=phase,
        elapsed_s=elapsed,
        game_s=game_s,
        period_scores=tuple((h, a) for h, a in scores),
        remaining_share=_remaining_share(sport, plan.phases, phase, game_s),
    )


def goal_instants(sport: str, match_seed: int, strengths: Strengths) -> tuple[int, ...]:
    """Football: the wall seconds after kick-off at which each goal first shows in the score
    (:func:`match_state`'s score counts a goal once the game clock has passed its second); other sports none
    (their points are not goals)."""
    if sport != "football":
        return ()
    plan = _plan(sport, match_seed, strengths)
    by_period = {phase.period: phase for phase in plan.phases if phase.period > 0}
    instants = []
    for period, at, _team, _points in plan.scoring:
        phase = by_period[period]
        # the football clock runs at the wall's pace within a half: the first second whose clock passes it
        instants.append(phase.start_s + (at - phase.game_start_s) + 1)
    return tuple(sorted(instant for instant in instants if instant < plan.duration_s))
