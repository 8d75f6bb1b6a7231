"""Player keys: names normalised, keyed by name when the book gives no SportRadar id."""

from __future__ import annotations

import pytest

from palimpsest_pipeline.markets.players import name_key, normalise_name


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("Hailong, Li (Qingdao Hainiu FC)", "li hailong"),
        ("Ñíguez, José-Luis", "jose luis niguez"),
        ("  Jhonder   CADIZ ", "jhonder cadiz"),
        ("El Messaoudi, Ahmed", "ahmed el messaoudi"),
    ],
)
def test_names_are_normalised(written: str, normalised: str) -> None:
    assert normalise_name(written) == normalised


def test_name_keys_are_negative_and_equal_for_equal_names() -> None:
    assert name_key("Cadiz, Jhonder") == name_key("Jhonder Cádiz") < 0
    with pytest.raises(ValueError, match="no letters"):
        name_key(" (Wuhan) ")
