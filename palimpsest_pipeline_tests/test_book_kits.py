"""House rule: a book is one package exporting its kit, and every per-book table is derived from the kits.

The book packages are read from the disk here (each folder of ``palimpsest_pipeline/books`` with an
``__init__.py``), not by ``books/kits.py``'s own walk, so a package the walk missed would show.
"""

from __future__ import annotations

import dataclasses
import importlib
import sys
from pathlib import Path

import pytest

from palimpsest_pipeline.books.editions import countries_of
from palimpsest_pipeline.books.kit import BookKit
from palimpsest_pipeline.books.kits import (
    KITS,
    TOURNAMENT_KEYS_BOOK,
    KitError,
    checked_kits,
    checked_parts,
    exported_kit,
)
from palimpsest_pipeline.books.settings import default_settings
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.report.chart import BOOK_COLOURS

BOOKS_FOLDER = Path(__file__).resolve().parents[1] / "palimpsest_pipeline" / "books"
PACKAGES = sorted(path.parent.name for path in BOOKS_FOLDER.glob("*/__init__.py"))


def test_every_book_package_exports_its_kit_and_the_packages_are_records_book() -> None:
    assert sorted(book.value for book in Book) == PACKAGES
    for name in PACKAGES:
        kit = importlib.import_module(f"palimpsest_pipeline.books.{name}").KIT
        assert isinstance(kit, BookKit) and kit.book.value == name


def test_the_derived_tables_cover_records_book_exactly_in_its_order() -> None:
    assert list(KITS) == list(Book)
    for book, kit in KITS.items():
        country = countries_of(book)[0]
        settings = default_settings(book, country)
        assert (settings.max_in_flight, settings.pause_s) == (kit.limits.max_in_flight, kit.limits.pause_s)
    assert set(BOOK_COLOURS) == {book.value for book in Book}
    assert len(set(BOOK_COLOURS.values())) == len(Book)  # each book its own colour
    # SportyBet's tournament ids are SportRadar's; it and MSport share the facts-center platform
    assert TOURNAMENT_KEYS_BOOK is Book.SPORTYBET
    assert {book: kit.platform for book, kit in KITS.items() if kit.platform} == {
        Book.SPORTYBET: "facts_center",
        Book.MSPORT: "facts_center",
    }


def test_a_kit_that_lacks_a_part_does_not_load() -> None:
    parts = {field.name: getattr(KITS[Book.BETIKA], field.name) for field in dataclasses.fields(BookKit)}
    del parts["parse_odds"]
    with pytest.raises(TypeError, match="parse_odds"):
        BookKit(**parts)


def test_a_book_package_lacking_a_module_or_a_kit_field_does_not_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "made_up_books" / "betika"
    package.mkdir(parents=True)
    for module in ("__init__.py", "catalogue.py", "odds.py"):
        (package / module).write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(KitError, match=r"made_up_books\.betika is a book package without its live module"):
        checked_parts("made_up_books.betika")
    (package / "live.py").write_text("")
    checked_parts("made_up_books.betika")
    (package / "__init__.py").write_text(
        "from palimpsest_pipeline.books.kit import BookKit\n"
        "from palimpsest_pipeline.records import Book\n"
        "KIT = BookKit(book=Book.BETIKA, name='Betika', colour='#e8590c', recognises=bool)\n"
    )
    monkeypatch.delitem(sys.modules, "made_up_books.betika")  # imported by the search: load it anew
    with pytest.raises(KitError, match=r"made_up_books\.betika does not load: .*'parse_odds'"):
        exported_kit("made_up_books.betika")
    for name in PACKAGES:
        checked_parts(f"palimpsest_pipeline.books.{name}")


def _exported() -> dict[str, object]:
    return {book.value: kit for book, kit in KITS.items()}


def test_a_book_without_a_package_or_a_package_without_a_book_is_named() -> None:
    exported = _exported()
    del exported["betika"]
    with pytest.raises(KitError, match=r"no book package in palimpsest_pipeline.books for \['betika'\]"):
        checked_kits(exported)
    with pytest.raises(KitError, match=r"books\.unibet is a book package, but records\.Book has no 'unibet'"):
        checked_kits({**_exported(), "unibet": KITS[Book.BETIKA]})


def test_a_package_without_a_kit_or_with_another_books_kit_is_named() -> None:
    with pytest.raises(KitError, match=r"palimpsest_pipeline.books.betika exports no KIT .*got NoneType"):
        checked_kits({**_exported(), "betika": None})
    with pytest.raises(KitError, match=r"palimpsest_pipeline.books.betika exports the kit of 'betway'"):
        checked_kits({**_exported(), "betika": KITS[Book.BETWAY]})


def test_exactly_one_kit_keys_the_tournaments_and_a_platform_has_its_module() -> None:
    both = {**_exported(), "betika": dataclasses.replace(KITS[Book.BETIKA], keys_tournaments=True)}
    with pytest.raises(
        KitError, match=r"exactly one kit must set keys_tournaments, got \['sportybet', 'betika'\]"
    ):
        checked_kits(both)
    nowhere = {**_exported(), "betika": dataclasses.replace(KITS[Book.BETIKA], platform="nowhere")}
    with pytest.raises(
        KitError, match=r"betika's platform 'nowhere' has no module in palimpsest_pipeline\.books"
    ):
        checked_kits(nowhere)
