"""Partition keys are read in one place (palimpsest_pipeline/partition_keys.py): a kick-off date and a site
country (``2026-05-04|ng``), the date alone still read as a date; a malformed key is refused with its text in
the message."""

from datetime import date

import dagster as dg
import pytest

from palimpsest_pipeline.defs.partitions import (
    date_country_partitions,
    kickoff_dates,
)
from palimpsest_pipeline.partition_keys import (
    PartitionKeyError,
    dates_by_country,
    key_country,
    key_date,
    key_dates,
    partition_key,
)


def test_a_date_key_and_a_multi_part_key_give_their_kickoff_date() -> None:
    assert key_date("2026-05-04") == date(2026, 5, 4)
    assert key_date("2026-05-04|gh") == date(2026, 5, 4)
    assert key_date("ke|2026-12-31") == date(2026, 12, 31)


def test_the_dates_of_a_multi_part_range_come_once_each_in_order() -> None:
    keys = ["2026-05-04|gh", "2026-05-04|ng", "2026-05-05|gh", "2026-05-05|ng"]
    assert key_dates(keys) == [date(2026, 5, 4), date(2026, 5, 5)]


def test_the_key_of_a_date_is_what_the_daily_partitions_define() -> None:
    days = [date(2026, 1, 1), date(2026, 2, 28), date(2026, 3, 31)]
    keys = kickoff_dates.get_partition_keys(dynamic_partitions_store=None, current_time=None)
    assert [partition_key(day, "ng") for day in days] == ["2026-01-01|ng", "2026-02-28|ng", "2026-03-31|ng"]
    assert {partition_key(day, "ng").split("|")[0] for day in days} <= set(keys)
    assert key_dates(keys[:3]) == [date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3)]


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("20260504", "no kick-off date"),  # date.fromisoformat alone would read it as 4 May
        ("2026-W19-1", "no kick-off date"),  # ... and this ISO week date too
        ("2026-13-01", "month must be in 1..12"),
        ("2026-02-30", "day is out of range"),
        ("2026-05-04|2026-05-05", "more than one kick-off date"),
        ("", "no kick-off date"),
        ("ng", "no kick-off date"),
    ],
)
def test_a_malformed_key_is_refused_naming_it(key: str, says: str) -> None:
    with pytest.raises(PartitionKeyError) as refused:
        key_date(key)
    assert repr(key) in str(refused.value)
    assert says in str(refused.value)


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


def test_a_date_and_country_make_the_key_dagster_writes_and_read_back() -> None:
    partitions = date_country_partitions(["ng", "gh"])
    keys = partitions.get_partition_keys_in_range(dg.PartitionKeyRange("2026-05-04|ng", "2026-05-05|gh"))
    # Dagster orders the dimensions by name: the date first, as partition_key writes it
    assert sorted(keys) == sorted(
        partition_key(day, cc) for day in (date(2026, 5, 4), date(2026, 5, 5)) for cc in ("ng", "gh")
    )
    assert partition_key(date(2026, 5, 4), "gh") == "2026-05-04|gh"
    assert key_country("2026-05-04|gh") == "gh"
    assert dates_by_country(["2026-05-05|ng", "2026-05-04|gh", "2026-05-04|ng", "2026-05-05|ng"]) == {
        "ng": [date(2026, 5, 5), date(2026, 5, 4)],
        "gh": [date(2026, 5, 4)],
    }


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("2026-05-04", "no site country"),
        ("2026-05-04|NG", "no site country"),
        ("2026-05-04|ng|gh", "more than one site country"),
    ],
)
def test_a_key_without_one_country_is_refused_naming_it(key: str, says: str) -> None:
    with pytest.raises(PartitionKeyError) as refused:
        key_country(key)
    assert repr(key) in str(refused.value) and says in str(refused.value)
    with pytest.raises(PartitionKeyError, match="'Nigeria' is not a lower-case ISO code"):
        partition_key(date(2026, 5, 4), "Nigeria")


def test_an_asset_reads_its_dates_per_country_through_the_module() -> None:
    seen: list[dict[str, list[date]]] = []

    @dg.asset(
        partitions_def=date_country_partitions(["ng", "gh"]), backfill_policy=dg.BackfillPolicy.single_run()
    )
    def dated(context: dg.AssetExecutionContext) -> None:
        seen.append(dates_by_country(context.partition_keys))

    result = dg.materialize(
        [dated],
        tags={
            "dagster/asset_partition_range_start": "2026-05-30|gh",
            "dagster/asset_partition_range_end": "2026-06-01|gh",
        },
    )
    assert result.success
    assert seen == [{"gh": [date(2026, 5, 30), date(2026, 5, 31), date(2026, 6, 1)]}]
