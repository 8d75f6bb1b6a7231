"""The day sums' statement is written twice: by the closing prices step for the competitions a write touched
(``warehouse/closing_price_days.py``) and by migration 0055 over every stored row (a migration stands alone).
Past the ``scope`` of rows each reads, the two must be the same statement, so neither sums differently."""

from __future__ import annotations

import re

from palimpsest_pipeline.warehouse.closing_price_days import INSERT_DAY_SUMS
from palimpsest_pipeline.warehouse.schema_migrations import MIGRATIONS_DIR

MIGRATION = MIGRATIONS_DIR / "0055_closing_price_days.sql"
#: Where the common part starts: the first common table expression after ``scope``.
AFTER_SCOPE = "), books AS ("


def _normalised(sql: str) -> str:
    """``sql`` without its comments, each run of whitespace one space, spaces inside brackets dropped."""
    text = " ".join(re.sub(r"--[^\n]*", "", sql).split())
    return re.sub(r"\( | \)", lambda m: m.group(0).strip(), text)


def _after_scope(statement: str) -> str:
    """The part of ``statement`` (normalised, starting ``WITH scope AS``) from :data:`AFTER_SCOPE` on."""
    assert statement.startswith("WITH scope AS (SELECT ")
    return statement[statement.index(AFTER_SCOPE) :].removesuffix(";").strip()


def _migration_statement() -> str:
    """The migration's statement filling the table: from its ``WITH scope AS`` to the semicolon ending it."""
    text = _normalised(MIGRATION.read_text())
    start = text.index("WITH scope AS")
    return text[start : text.index(";", start) + 1]


def test_the_step_and_the_migration_sum_the_days_with_the_same_statement() -> None:
    step = _after_scope(_normalised(INSERT_DAY_SUMS))
    migration = _after_scope(_migration_statement())
    assert "INSERT INTO analytics.closing_price_days" in step  # the whole insert is compared, not a stub
    assert step.endswith("b.market_family, b.book")  # ... to its last clause
    assert migration == step


def test_the_migration_sums_every_stored_row_and_the_step_only_the_competitions_written() -> None:
    assert _migration_statement().startswith("WITH scope AS (SELECT * FROM analytics.closing_prices)")
    step = _normalised(INSERT_DAY_SUMS)
    scope = step[: step.index(AFTER_SCOPE)]
    assert "FROM analytics.closing_prices AS p" in scope and "WHERE p.site_country = %(cc)s" in scope
