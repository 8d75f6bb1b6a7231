"""ISO 3166 codes for SportRadar's country (category) names, so analysts can join coverage to other data:
pycountry's, else the exceptions and home nations listed here; a category that is no country gets none.
"""

from __future__ import annotations

import functools

import polars as pl
import pycountry

#: SportRadar names pycountry does not resolve, and their ISO codes.
_ALIASES = {
    "korea republic": "KR",
    "south korea": "KR",
    "turkey": "TR",
    "russia": "RU",
    "iran": "IR",
    "vietnam": "VN",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "kosovo": "XK",
    "ivory coast": "CI",
    "dr congo": "CD",
}
#: The home nations, ISO 3166-2 subdivisions of GB.
_HOME_NATIONS = {"england": "GB-ENG", "scotland": "GB-SCT", "wales": "GB-WLS", "northern ireland": "GB-NIR"}


@functools.cache
def country_iso(name: str | None) -> str | None:
    """The ISO 3166 code of a country name: alpha-2 ("ES"), a GB home nation ("GB-ENG"), else None."""
    if not name:
        return None
    key = name.strip().casefold()
    if key in _HOME_NATIONS:
        return _HOME_NATIONS[key]
    if key in _ALIASES:
        return _ALIASES[key]
    try:
        return str(pycountry.countries.lookup(name.strip()).alpha_2)
    except LookupError:
        return None


def iso_of(frame: pl.DataFrame, column: str = "canonical_country") -> pl.Expr:
    """ISO codes of the names in ``frame``'s ``column`` (looked up once per distinct name)."""
    names = frame.get_column(column).drop_nulls().unique().to_list()
    return pl.col(column).replace_strict(
        {name: country_iso(name) for name in names}, default=None, return_dtype=pl.String
    )
