"""Shared pieces of the file imports: line-level errors and CSV reading."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sscard.domain import spreadsheet

MSG_ENCODING = gettext_noop("The file is not UTF-8 text.")
MSG_EMPTY = gettext_noop("The file is empty.")
MSG_HEADER = gettext_noop("The first line must be the header: %(header)s")
MSG_COLUMNS = gettext_noop("Expected %(expected)s columns, found %(found)s.")
MAX_BYTES = 20 * 1024 * 1024


@dataclass
class LineError:
    line: int  # 1-based line of the file (the header is line 1)
    message: str  # English source text
    params: dict = field(default_factory=dict)

    def translated(self) -> str:
        return _(self.message) % {k: str(v) for k, v in self.params.items()} if self.params else _(self.message)


class ImportRejected(Exception):
    """The file has errors: nothing of it was applied."""

    def __init__(self, errors: list[LineError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


def read_csv(data: bytes, header: list[str]) -> list[tuple[int, list[str]]]:
    """The rows of a CSV file with the given header, as (line number, cells); raises ImportRejected."""
    if len(data) > MAX_BYTES:
        raise ImportRejected([LineError(0, gettext_noop("The file is too large."))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRejected([LineError(0, MSG_ENCODING)]) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise ImportRejected([LineError(0, MSG_EMPTY)])
    if [cell.strip().lower() for cell in rows[0]] != header:
        raise ImportRejected([LineError(1, MSG_HEADER, {"header": ",".join(header)})])
    result, errors = [], []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # blank lines are ignored
        if len(cells) != len(header):
            errors.append(LineError(number, MSG_COLUMNS, {"expected": len(header), "found": len(cells)}))
            continue
        result.append((number, [cell.strip() for cell in cells]))
    if errors:
        raise ImportRejected(errors)
    if not result:
        raise ImportRejected([LineError(0, MSG_EMPTY)])
    return result


def write_csv(header: list[str], rows) -> bytes:
    """A CSV file for a bank or a manufacturer; cells that a spreadsheet would run as formulas are escaped
    (`sscard.domain.spreadsheet`)."""
    buffer = io.StringIO()
    writer = spreadsheet.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
