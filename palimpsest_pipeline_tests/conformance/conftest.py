"""Every conformance test taking ``book`` runs once per kit in ``books.kits.KITS`` (ids: the book's value),
so a new book's kit is picked up by each of them; ``kit`` is that book's entry in the test kit table.

A check some book does not meet yet is marked ``@pytest.mark.book_gaps({Book.X: "what it lacks"})``: that
book's case is a strict xfail naming the gap (it fails the run once the book meets the check).
"""

from __future__ import annotations

import pytest

from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.conformance.book_kits import TestKit, test_kit


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "book_gaps(gaps): {Book: reason} of books that fail the check, known")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "book" in metafunc.fixturenames:
        marker = metafunc.definition.get_closest_marker("book_gaps")
        gaps: dict[Book, str] = marker.args[0] if marker is not None else {}
        metafunc.parametrize(
            "book",
            [
                pytest.param(
                    book,
                    id=book.value,
                    marks=[pytest.mark.xfail(strict=True, reason=gaps[book])] if book in gaps else [],
                )
                for book in KITS
            ],
        )


@pytest.fixture
def kit(book: Book) -> TestKit:
    return test_kit(book)
