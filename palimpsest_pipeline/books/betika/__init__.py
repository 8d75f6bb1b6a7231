"""Betika: its catalogue and live lists and its odds parser (../shared/PLATFORMS.md, "Betika")."""
