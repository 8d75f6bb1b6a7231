"""defs layer."""
