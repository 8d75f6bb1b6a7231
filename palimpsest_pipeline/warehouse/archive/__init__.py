"""The raw-response archive: every body a book sent, compressed in Postgres for a few days, so a parser or
mapping fix can be replayed over past days without asking the books again (docs/archive.md).

Modules: ``records`` (records, settings, errors), ``codec`` (keyframes, deltas, chains), ``packs`` (the packed
layout of event details), ``bases`` (where a writer finds its deltas' bases), ``writer``, ``reader``,
``dictionaries`` (trained zstd dictionaries) and ``retention`` (whole days dropped).
"""
