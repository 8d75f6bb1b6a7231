"""Every book's archived list answers are labelled by what they read: a request under one of its adapter's
``catalogue_paths`` is the tournament catalogue, any other a list."""

from __future__ import annotations

from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.archive.requests import catalogue_kind
from palimpsest_pipeline_tests.conformance.book_kits import TestKit

BASE = "http://127.0.0.1:8000/some/base/"


def test_each_request_is_labelled_by_what_it_reads(book: Book, kit: TestKit) -> None:
    assert any(kind == "list" for _, kind in kit.archive_labels), "a book's lists are archived as lists"
    assert {path: catalogue_kind(book, BASE + path, BASE) for path, _ in kit.archive_labels} == dict(
        kit.archive_labels
    )
    for path in KITS[book].adapter().catalogue_paths:
        assert catalogue_kind(book, f"{BASE}{path}?x=1", BASE) == "catalogue"
