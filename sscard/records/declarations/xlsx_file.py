"""XLSX declaration files (the first worksheet), read with openpyxl in read-only mode. A cell holding a
formula is refused (the value the employer saw is not what the file stores), and so are merged cells (which
line would the value belong to?); each error names the cell ("C5"). Numbers are read as the text Excel shows
for them ("6500.5"); an ID number must be a text cell (18 digits do not fit in a spreadsheet number)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .base import DeclarationFormat, FileRejected, LineError, RawLine, lines_of
from .registry import register

_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f") if value == value else ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def merged_ranges(content: bytes, worksheet_path: str) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read(worksheet_path.lstrip("/"))
    return [match.decode() for match in _MERGE_RE.findall(xml)]


@register("xlsx")
class XlsxFormat(DeclarationFormat):
    extensions = (".xlsx",)
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def sniff(self, content: bytes) -> bool:
        return content[:4] == b"PK\x03\x04"  # a ZIP archive: never a CSV text

    def parse(self, content: bytes) -> list[RawLine]:
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
            sheet = workbook.worksheets[0]
            merged = merged_ranges(content, sheet._worksheet_path)
        except Exception:  # noqa: BLE001 - any failure to open the archive is the same answer to the user
            raise FileRejected([LineError.of(0, "", "not_xlsx")]) from None
        errors = []
        for cells in merged:
            first = cells.split(":")[0]
            row = int(re.sub(r"[A-Z]+", "", first))
            errors.append(LineError.of(row, first, "merged", {"cells": cells}))
        rows = []
        try:
            for row in sheet.iter_rows():
                texts, line = [], None
                for cell in row:
                    if getattr(cell, "row", None) is None:
                        texts.append("")
                        continue
                    line = cell.row
                    if cell.data_type == "f":
                        coordinate = f"{get_column_letter(cell.column)}{cell.row}"
                        errors.append(LineError.of(cell.row, coordinate, "formula", {"cell": coordinate}))
                        texts.append("")
                        continue
                    texts.append(cell_text(cell.value))
                if line is not None:
                    rows.append((line, texts))
        except Exception:  # noqa: BLE001
            raise FileRejected([LineError.of(0, "", "not_xlsx")]) from None
        finally:
            workbook.close()
        if errors:
            raise FileRejected(sorted(errors, key=lambda e: (e.line, e.column)))
        return lines_of(rows, column_name=lambda line, index, header: f"{get_column_letter(index + 1)}{line}")
