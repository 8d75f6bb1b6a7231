"""The match minute a live row's clock shows, from the clock strings the books write ("35:51", MSport's
``90'00"``): the minute being played, as the feeds print it ("36'"). An unreadable clock is None, never the
row's failure: the row's other facts stand.
"""

from __future__ import annotations

import re
from typing import Any

#: A clock of minutes and seconds: "35:51" (SportyBet, Betika).
_COLON_CLOCK = re.compile(r"([0-9]{1,3}):([0-5][0-9])")
#: MSport's clock: 90'00" (minutes, an apostrophe, seconds, a double quote).
_QUOTED_CLOCK = re.compile(r"([0-9]{1,3})'([0-5][0-9])\"")
#: No match minute runs this high: higher is a bad value, set aside.
MAX_MINUTE = 1_000


def clock_seconds(value: Any) -> int | None:
    """Seconds played of a "35:51" or ``35'51"`` clock (None: not such a clock)."""
    if not isinstance(value, str):
        return None
    found = _COLON_CLOCK.fullmatch(value) or _QUOTED_CLOCK.fullmatch(value)
    return None if found is None else int(found[1]) * 60 + int(found[2])


def minute_played(seconds: int | None) -> int | None:
    """The minute being played after ``seconds`` of play: 0:00 to 0:59 is the first."""
    if seconds is None or not 0 <= seconds < MAX_MINUTE * 60:
        return None
    return seconds // 60 + 1


def whole_minute(value: Any) -> int | None:
    """A minute sent as a whole number (None: not one, or out of range)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < MAX_MINUTE:
        return value
    return None
