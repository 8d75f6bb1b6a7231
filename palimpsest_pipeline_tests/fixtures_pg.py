"""Postgres fixtures (owned by the warehouse layer)."""
