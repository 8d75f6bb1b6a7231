"""Every book's kit, found by walking the book packages: each sub-package of ``palimpsest_pipeline.books``
is a book, named as its ``records.Book`` value, exporting ``KIT`` beside its ``PARTS``; the kits must cover
``records.Book`` exactly, or the import fails naming the package and the book."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Mapping
from types import MappingProxyType

from palimpsest_pipeline.books.kit import BookKit
from palimpsest_pipeline.records import Book

PACKAGE = "palimpsest_pipeline.books"
#: The modules every book package holds beside its kit.
PARTS = ("catalogue", "live", "odds")


class KitError(ImportError):
    """The book packages and ``records.Book`` disagree; the message names the package and the book."""


def checked_kits(exported: Mapping[str, object]) -> dict[Book, BookKit]:
    """The kits ``exported`` (package name -> its ``KIT``), keyed and ordered by ``records.Book``;
    ``KitError`` when a package exports no kit or another book's, or the packages and ``Book`` disagree."""
    found: dict[Book, BookKit] = {}
    for name, kit in exported.items():
        where = f"{PACKAGE}.{name}"
        if name not in Book._value2member_map_:
            raise KitError(
                f"{where} is a book package, but records.Book has no {name!r} (docs/adding-a-book.md)"
            )
        if not isinstance(kit, BookKit):
            raise KitError(f"{where} exports no KIT (a books.kit.BookKit), got {type(kit).__name__}")
        if kit.book.value != name:
            raise KitError(f"{where} exports the kit of {kit.book.value!r}: a book's package is named as it")
        found[kit.book] = kit
    missing = [book.value for book in Book if book not in found]
    if missing:
        raise KitError(f"no book package in {PACKAGE} for {missing} of records.Book (docs/adding-a-book.md)")
    tournament_keys = [book.value for book, kit in found.items() if kit.keys_tournaments]
    if len(tournament_keys) != 1:
        raise KitError(f"exactly one kit must set keys_tournaments, got {tournament_keys or 'none'}")
    for book, kit in found.items():
        if kit.platform is not None and importlib.util.find_spec(f"{PACKAGE}.{kit.platform}") is None:
            raise KitError(f"{book.value}'s platform {kit.platform!r} has no module in {PACKAGE}")
    return {book: found[book] for book in Book}


def checked_parts(package: str) -> None:
    """``KitError`` naming ``package`` and what it lacks, unless it holds every one of ``PARTS`` (found, not
    imported: an adapter brings the HTTP client)."""
    missing = [part for part in PARTS if importlib.util.find_spec(f"{package}.{part}") is None]
    if missing:
        raise KitError(
            f"{package} is a book package without its {' and '.join(missing)} module (docs/adding-a-book.md)"
        )


def exported_kit(package: str) -> object:
    """The ``KIT`` a book package exports (None: none); ``KitError`` naming it when it lacks a part."""
    try:
        module = importlib.import_module(package)
    except TypeError as error:  # its BookKit lacks a field
        raise KitError(f"{package} does not load: {error}") from error
    checked_parts(package)
    return getattr(module, "KIT", None)


def _exported() -> dict[str, object]:
    package = importlib.import_module(PACKAGE)
    return {
        module.name: exported_kit(f"{PACKAGE}.{module.name}")
        for module in pkgutil.iter_modules(package.__path__)
        if module.ispkg
    }


#: Every book's kit, in ``records.Book`` order.
KITS: Mapping[Book, BookKit] = MappingProxyType(checked_kits(_exported()))
#: The book whose tournament ids are SportRadar's: the crosswalk's canonical tournaments.
TOURNAMENT_KEYS_BOOK: Book = next(book for book, kit in KITS.items() if kit.keys_tournaments)
