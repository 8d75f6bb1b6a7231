"""Bookmaker sandbox fixtures (owned by the sandbox layer)."""
