"""BetPawa -> canonical, as data: one row per BetPawa market type, with its price type ids, per sport. The
rows are reviewed in :mod:`palimpsest_pipeline.markets.betpawa`; this is the one table the parser and sandbox
read."""

from __future__ import annotations

from palimpsest_pipeline.markets.betpawa.assisted import ASSISTED
from palimpsest_pipeline.markets.betpawa.football import FOOTBALL as FOOTBALL_MAIN
from palimpsest_pipeline.markets.betpawa.other_sports import BASKETBALL, TENNIS
from palimpsest_pipeline.markets.betpawa.rows import BetPawaMarket

#: Football rows, with those accepted through the mapping assistant (markets/betpawa/assisted.py) last.
FOOTBALL: tuple[BetPawaMarket, ...] = (*FOOTBALL_MAIN, *ASSISTED)

#: BetPawa category id -> (canonical sport, table).
BY_CATEGORY: dict[str, tuple[str, tuple[BetPawaMarket, ...]]] = {
    "2": ("football", FOOTBALL),
    "3": ("basketball", BASKETBALL),
    "452": ("tennis", TENNIS),
}

#: Player markets: marketType id -> (canonical market, specifier). Each price is one player, named in
#: ``price.name`` only, so its outcome is the player's name key (markets/players.py), resolved to the
#: SportRadar id against another book's list of the same match when comparing.
PLAYER_MARKETS: dict[str, tuple[int, str]] = {
    "129108": (40, "type=prematch"),  # Anytime Goalscorer (UOF 40)
}
