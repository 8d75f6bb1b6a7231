"""Tests of the pure Polars transforms."""
