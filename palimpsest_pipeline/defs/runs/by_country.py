"""One output per asset and check from an op that worked country by country.

A run may cover several site countries (a backfill of ``2026-05-04|ng`` .. ``2026-05-05|gh``), but Dagster
takes one result per asset and check from a step: each country's figures are kept under its own name
(``rows [gh]``), and a check passes only where it passed in every country.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

import dagster as dg

from palimpsest_pipeline.defs.partitions import partition_countries

Result = dg.MaterializeResult | dg.AssetCheckResult


def _identity(result: Result) -> tuple[Any, ...]:
    if isinstance(result, dg.AssetCheckResult):
        return ("check", result.asset_key, result.check_name)
    return ("asset", result.asset_key)


def _by_country(metadata: Mapping[str, Any] | None, country: str) -> dict[str, Any]:
    return {f"{name} [{country}]": value for name, value in (metadata or {}).items()}


def merged_by_country(results: Mapping[str, Iterable[Result]]) -> list[Result]:
    """The results of each country, merged into one per asset and check (a single country's as they are)."""
    listed = {country: list(found) for country, found in results.items()}
    if len(listed) == 1:
        return next(iter(listed.values()))
    merged: dict[tuple[Any, ...], Result] = {}
    for country, found in listed.items():
        for result in found:
            identity = _identity(result)
            earlier = merged.get(identity)
            metadata = _by_country(result.metadata, country)
            if isinstance(result, dg.AssetCheckResult):
                passed = result.passed and (earlier is None or bool(getattr(earlier, "passed", True)))
                merged[identity] = dg.AssetCheckResult(
                    asset_key=result.asset_key,
                    check_name=result.check_name,
                    passed=passed,
                    severity=result.severity,
                    metadata={**((earlier.metadata or {}) if earlier else {}), **metadata},
                )
            else:
                merged[identity] = dg.MaterializeResult(
                    asset_key=result.asset_key,
                    metadata={**(earlier.metadata if earlier and earlier.metadata else {}), **metadata},
                )
    return list(merged.values())


def results_by_country(
    context: dg.AssetExecutionContext, results_of: Callable[[str, list[date]], Iterable[Result]]
) -> list[Result]:
    """``results_of(country, dates)`` for each site country of the run, merged (``merged_by_country``)."""
    by_country = partition_countries(context).items()
    return merged_by_country({country: list(results_of(country, dates)) for country, dates in by_country})
