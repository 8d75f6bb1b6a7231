"""The books the sandbox serves: one folder each, whose package exports the book's kit as ``BOOK`` (kit.py).

Adding a book is adding its folder; nothing else lists books.
"""

from __future__ import annotations

import importlib
import pkgutil

from palimpsest_pipeline.records import Book
from palimpsest_sandbox.kit import SandboxBook


def _discover() -> dict[Book, SandboxBook]:
    found: dict[Book, SandboxBook] = {}
    for module in pkgutil.iter_modules(__path__):
        kit = importlib.import_module(f"{__name__}.{module.name}").BOOK
        if not isinstance(kit, SandboxBook) or kit.book.value != module.name:
            raise ImportError(f"books/{module.name} must export its own SandboxBook as BOOK")
        found[kit.book] = kit
    return {book: found[book] for book in Book if book in found}


KITS: dict[Book, SandboxBook] = _discover()
#: The books the sandbox serves, in ``Book`` order (the pipeline's ``records.SCRAPED_BOOKS`` are its own).
SERVED_BOOKS: tuple[Book, ...] = tuple(KITS)
