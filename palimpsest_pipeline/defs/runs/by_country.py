"""One output per asset and check from an op that worked country by country: each country's figures are kept
under its own name (``rows [gh]``), and a check passes only where it passed in every country."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

import dagster as dg

from palimpsest_pipeline.partition_keys import dates_by_country

Result = dg.MaterializeResult | dg.AssetCheckResult


def merged_by_country(results: Mapping[str, Iterable[Result]]) -> list[Result]:
    """The results of each country, merged into one per asset and check (a single country's as they are)."""
    listed = {country: list(found) for country, found in results.items()}
    if len(listed) == 1:
        return next(iter(listed.values()))
    merged: dict[tuple[Any, ...], Result] = {}
    for country, found in listed.items():
        for result in found:
            identity = (type(result), result.asset_key, getattr(result, "check_name", None))
            earlier = merged.get(identity)
            metadata = {
                **((earlier.metadata or {}) if earlier else {}),
                **{f"{name} [{country}]": value for name, value in (result.metadata or {}).items()},
            }
            if isinstance(result, dg.AssetCheckResult):
                passed = result.passed and (earlier is None or bool(getattr(earlier, "passed", True)))
                merged[identity] = dg.AssetCheckResult(
                    asset_key=result.asset_key,
                    check_name=result.check_name,
                    passed=passed,
                    severity=result.severity,
                    metadata=metadata,
                )
            else:
                merged[identity] = dg.MaterializeResult(asset_key=result.asset_key, metadata=metadata)
    return list(merged.values())


def results_by_country(
    context: dg.AssetExecutionContext, results_of: Callable[[str, list[date]], Iterable[Result]]
) -> list[Result]:
    """``results_of(country, dates)`` for each site country of the run, merged (``merged_by_country``)."""
    by_country = dates_by_country(context.partition_keys).items()
    return merged_by_country({country: list(results_of(country, dates)) for country, dates in by_country})
