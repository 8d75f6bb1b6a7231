"""books layer."""
