"""``field_paths``: a payload's fields as paths, list positions and data-keyed maps collapsed."""

from __future__ import annotations

from palimpsest_pipeline.books.payload_fields import field_paths


def test_paths_name_every_field_once_with_list_positions_collapsed() -> None:
    payload = {
        "id": 7,
        "markets": [
            {"row": [{"prices": [{"odds": "1.9", "name": "1"}, {"odds": "2.0", "name": "2"}]}]},
            {"row": [{"prices": [{"odds": "3.1", "name": "X", "handicap": "-0.5"}]}], "tags": ["a", "b"]},
        ],
        "empty": {},
        "none": [],
    }
    assert field_paths(payload) == {
        "id",
        "markets[].row[].prices[].odds",
        "markets[].row[].prices[].name",
        "markets[].row[].prices[].handicap",
        "markets[].tags[]",
        "empty",
        "none",
    }


def test_objects_keyed_by_data_are_maps() -> None:
    # Bet9ja-like: odds keyed by outcome key, auxiliary lines keyed by market then line.
    payload = {
        "D": {
            "ID": 1,
            "O": {"S_1X2_1": "2.4", "S_OU@2.5_O": "1.9", "S_OU@2.5_U": "1.9"},
            "AUX": {"S_OU": {"2.5": 1, "3.5": 2}, "S_AH": {"-0.5": 1}},
            "A": {"T1": 1, "NAME": "x", "SCORE": "0-0"},
        }
    }
    assert field_paths(payload) == {"D.ID", "D.O.{}", "D.AUX.{}.{}", "D.A.T1", "D.A.NAME", "D.A.SCORE"}
    many = {f"field_{chr(97 + i % 26)}{'x' * (i // 26)}": i for i in range(101)}
    assert field_paths({"big": many}) == {"big.{}"}


def test_a_scalar_payload_is_the_root_path() -> None:
    assert field_paths(3) == {""}
    assert field_paths([1, 2]) == {"[]"}
