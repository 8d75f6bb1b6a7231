"""Pure Polars transforms: DataFrames in, DataFrames out (no network, database or Dagster here)."""
