"""Listing lead time per tournament and book, and the matches BetPawa lacks now."""
