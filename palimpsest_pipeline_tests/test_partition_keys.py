"""Partition keys are read in one place (palimpsest_pipeline/partition_keys.py): a kick-off date
(``2026-05-04``; the site country is in each asset's key, not its partition); a malformed key, a multi-part
one of old (``2026-05-04|ng``) among them, is refused with its text in the message."""

import re
from datetime import date

import dagster as dg
import pytest

from palimpsest_pipeline.defs.partitions import kickoff_dates
from palimpsest_pipeline.partition_keys import PartitionKeyError, key_date, key_dates, partition_key


def test_a_date_key_gives_its_kickoff_date() -> None:
    assert key_date("2026-05-04") == date(2026, 5, 4)
    assert key_date("2026-12-31") == date(2026, 12, 31)
    assert key_date("2028-02-29") == date(2028, 2, 29)  # a leap day


def test_the_dates_of_a_range_come_once_each_in_order() -> None:
    assert key_dates(["2026-05-04", "2026-05-05"]) == [date(2026, 5, 4), date(2026, 5, 5)]
    assert key_dates(["2026-05-05", "2026-05-04", "2026-05-05"]) == [date(2026, 5, 5), date(2026, 5, 4)]
    assert key_dates([]) == []


def test_the_key_of_a_date_is_what_the_daily_partitions_define() -> None:
    days = [date(2026, 1, 1), date(2026, 2, 28), date(2026, 3, 31)]
    keys = kickoff_dates.get_partition_keys(dynamic_partitions_store=None, current_time=None)
    assert [partition_key(day) for day in days] == ["2026-01-01", "2026-02-28", "2026-03-31"]
    assert {partition_key(day) for day in days} <= set(keys)
    assert key_dates(keys[:3]) == [date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3)]
    assert [key_date(partition_key(day)) for day in days] == days  # written and read back


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("20260504", "no kick-off date"),  # date.fromisoformat alone would read it as 4 May
        ("2026-W19-1", "no kick-off date"),  # ... and this ISO week date too
        ("2026-13-01", "month must be in 1..12"),
        ("2026-02-30", "day is out of range"),
        ("2026-05-04|2026-05-05", "no kick-off date"),
        ("", "no kick-off date"),
        ("ng", "no kick-off date"),
        (" 2026-05-04", "no kick-off date"),
        ("2026-05-04\n", "no kick-off date"),
    ],
)
def test_a_malformed_key_is_refused_naming_it(key: str, says: str) -> None:
    with pytest.raises(PartitionKeyError) as refused:
        key_date(key)
    assert repr(key) in str(refused.value)
    assert says in str(refused.value)


@pytest.mark.parametrize("key", ["2026-05-04|ng", "ng|2026-05-04", "2026-05-04|ng|gh", "2026-05-04|"])
def test_a_multi_part_key_of_the_country_dimension_of_old_is_refused_naming_it(key: str) -> None:
    """A key of the date-times-country partitions the assets had before (a run's tags, a stored record):
    read as a date, it would run the country's work on every country's assets."""
    with pytest.raises(PartitionKeyError) as refused:
        key_date(key)
    assert repr(key) in str(refused.value)
    with pytest.raises(PartitionKeyError, match=re.escape(repr(key))):
        key_dates(["2026-05-03", key])


def test_a_key_that_is_not_text_is_refused() -> None:
    with pytest.raises(PartitionKeyError, match=r"20260504.*not text"):
        key_date(20260504)  # type: ignore[arg-type]


def test_an_asset_reads_its_partition_range_through_the_module() -> None:
    seen: list[list[date]] = []

    @dg.asset(partitions_def=kickoff_dates, backfill_policy=dg.BackfillPolicy.single_run())
    def dated(context: dg.AssetExecutionContext) -> None:
        seen.append(key_dates(context.partition_keys))

    result = dg.materialize(
        [dated],
        tags={
            "dagster/asset_partition_range_start": "2026-05-30",
            "dagster/asset_partition_range_end": "2026-06-02",
        },
    )
    assert result.success
    assert seen == [[date(2026, 5, 30), date(2026, 5, 31), date(2026, 6, 1), date(2026, 6, 2)]]


def test_every_partitioned_asset_of_the_code_location_is_partitioned_by_kickoff_date_alone() -> None:
    """No asset keeps a country dimension: each asset's partition keys are the dates ``key_date`` reads."""
    from palimpsest_pipeline.definitions import ALL_ASSETS

    partitioned = {
        key.to_user_string(): asset.partitions_def
        for asset in ALL_ASSETS
        for key in asset.keys
        if asset.partitions_def is not None
    }
    assert "ng/odds_snapshots" in partitioned and "ng/betpawa/events" in partitioned
    assert {key: part for key, part in partitioned.items() if part != kickoff_dates} == {}
