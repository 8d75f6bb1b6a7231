"""The raw-response archive: every body a book sent, compressed in Postgres for a few days, so a parser or
mapping fix can be replayed over past days without asking the books again (docs/archive.md).
"""
