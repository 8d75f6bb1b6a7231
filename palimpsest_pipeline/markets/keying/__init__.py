"""One keying engine for every book: market records -> canonical rows (docs/keying.md)."""
