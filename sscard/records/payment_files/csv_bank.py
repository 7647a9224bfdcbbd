"""The bank payment file as UTF-8 CSV (docs/formats.md, "Bank payment file (contributions)"):
header `bill_number,amount,reference,paid_on`, the amount in yuan with two decimals, the day as YYYY-MM-DD."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.utils.translation import gettext_noop

from sscard.domain import payment_lines as rules

from .base import FileError, PaymentFileFormat, PaymentFileRejected, PaymentLine
from .registry import register

MSG_ENCODING = gettext_noop("The file is not UTF-8 text.")
MSG_EMPTY = gettext_noop("The file has no payment line.")
MSG_HEADER = gettext_noop("The first line must be the header: %(header)s")
MSG_COLUMNS = gettext_noop("Expected %(expected)s columns, found %(found)s.")
MSG_TOO_LARGE = gettext_noop("The file is too large.")
MAX_BYTES = 20 * 1024 * 1024


def _error(line: int, column: str, error: rules.LineRuleError) -> FileError:
    return FileError(line, column, error.code, error.message, error.params)


@register("csv")
class CsvBankFile(PaymentFileFormat):
    media_type = "text/csv"

    def parse(self, content: bytes, *, today: date) -> list[PaymentLine]:
        if len(content) > MAX_BYTES:
            raise PaymentFileRejected([FileError(0, "", "too_large", MSG_TOO_LARGE)])
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise PaymentFileRejected([FileError(0, "", "encoding", MSG_ENCODING)]) from None
        rows = list(csv.reader(io.StringIO(text)))
        if not rows:
            raise PaymentFileRejected([FileError(0, "", "empty", MSG_EMPTY)])
        if [cell.strip().lower() for cell in rows[0]] != rules.HEADER:
            raise PaymentFileRejected([FileError(1, "", "header", MSG_HEADER, {"header": ",".join(rules.HEADER)})])
        lines, errors = [], []
        for number, cells in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in cells):
                continue  # blank lines are ignored
            if len(cells) != len(rules.HEADER):
                errors.append(FileError(number, "", "columns", MSG_COLUMNS,
                                        {"expected": len(rules.HEADER), "found": len(cells)}))
                continue
            values = dict(zip(rules.HEADER, (cell.strip() for cell in cells), strict=True))
            line_errors = []
            if not values["bill_number"]:
                line_errors.append(_error(number, "bill_number", rules.LineRuleError("required")))
            parsed = {}
            for column, parse in (("amount", rules.parse_amount), ("reference", rules.parse_reference),
                                  ("paid_on", lambda text: rules.parse_day(text, today=today))):
                try:
                    parsed[column] = parse(values[column])
                except rules.LineRuleError as error:
                    line_errors.append(_error(number, column, error))
            if line_errors:
                errors.extend(line_errors)
                continue
            lines.append(PaymentLine(number, values["bill_number"], parsed["amount"], parsed["reference"],
                                     parsed["paid_on"]))
        if errors:
            raise PaymentFileRejected(errors)
        if not lines:
            raise PaymentFileRejected([FileError(0, "", "empty", MSG_EMPTY)])
        return lines
