"""Pure Polars transforms: DataFrames in, DataFrames out (no network, database or Dagster here).

- ``matching``: one row per real-world match across the books, by SportRadar id.
- ``coverage``: coverage counts per day and grouping level.
- ``invariants``: the predicates behind the Dagster asset checks.
- ``odds_compare``: margins, price comparison with consensus fair odds, market availability.
"""
