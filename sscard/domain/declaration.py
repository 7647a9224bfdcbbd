"""Monthly declarations (月度申报), in pure Python: the file's columns, the rules of each line, and the
assessment of a whole file. No Django: the records app loads the employer's enrolments and the year's rates
once and hands them in, so a file of 100,000 lines is checked without a query per line.

A file is taken whole or not at all: `check_declaration` returns every error it finds (each with its line and
column: the header name for CSV, the cell reference for XLSX), and the assessed lines only when there is none.
Errors about the whole page (the month, the rates) have line 0.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from sscard.domain.contributions import Assessment, ContributionError, Rates, assess
from sscard.domain.enrolment import format_month
from sscard.domain.idnumber import IdNumberError, gettext_noop, parse_id_number

# The three columns of the file: Chinese headers as employers' spreadsheets have them, English ones accepted too.
FIELDS = ("id_number", "name", "wage")
HEADERS = {
    "证件号码": "id_number", "姓名": "name", "缴费工资": "wage",
    "id_number": "id_number", "name": "name", "wage": "wage",
}
CHINESE_HEADER = ("证件号码", "姓名", "缴费工资")

# At most this many errors are shown; the rest are counted ("and N more").
MAX_ERRORS_SHOWN = 200

MESSAGES = {
    "not_text": gettext_noop("The file is not UTF-8 or GBK text."),
    "not_xlsx": gettext_noop("The file is not a readable XLSX workbook."),
    "format": gettext_noop("Upload a declaration file ending in .csv or .xlsx."),
    "too_large": gettext_noop("The file is larger than %(limit)s MB."),
    "empty_file": gettext_noop("The file is empty: it needs a header row (证件号码, 姓名, 缴费工资) and one line per "
                               "employee."),
    "no_lines": gettext_noop("The file has no line after its header row."),
    "missing_column": gettext_noop("The header row has no column %(column)s."),
    "extra_column": gettext_noop("The column %(column)s is not part of a declaration: only 证件号码, 姓名 and "
                                 "缴费工资 (or id_number, name, wage) are accepted."),
    "duplicate_column": gettext_noop("The column %(column)s appears twice in the header row."),
    "cell_without_header": gettext_noop("This cell is in a column without a header."),
    "formula": gettext_noop("The cell %(cell)s holds a formula: enter the value itself."),
    "merged": gettext_noop("The cells %(cells)s are merged: unmerge them and give each line its own values."),
    "name_empty": gettext_noop("The name is empty."),
    "name_mismatch": gettext_noop("The name does not match the name enrolled for this ID number."),
    "wage_format": gettext_noop("The wage must be a positive amount in yuan with at most 2 decimals, for example "
                                "6500.00."),
    "not_enrolled": gettext_noop("This person is not enrolled with your employer in %(month)s."),
    "duplicate_line": gettext_noop("This ID number is also on line %(first)s: each person is declared once a "
                                   "month (lines %(first)s and %(line)s)."),
    "future_month": gettext_noop("The month %(month)s has not begun yet: a month is declared once it has begun."),
    "no_rates": gettext_noop("No contribution rates are set for %(year)s yet: the agency must set them before "
                             "this month can be declared."),
}

_WAGE_RE = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?")


@dataclass(frozen=True)
class LineError:
    """One error of a declaration: `line` (0: the whole page), `column` (header name or cell reference, "" for
    none), a stable `code`, the English `message` (a msgid) and its `params`."""

    line: int
    column: str
    code: str
    message: str
    params: dict = field(default_factory=dict)

    @classmethod
    def of(cls, line: int, column: str, code: str, params: dict | None = None) -> LineError:
        return cls(line, column, code, MESSAGES[code], params or {})


@dataclass(frozen=True)
class RawLine:
    """A line of a file as text: its line (row) number, the text of each field (`id_number`, `name`, `wage`)
    and where each field is (the column's header for CSV, the cell reference for XLSX)."""

    line: int
    values: dict
    columns: dict


@dataclass(frozen=True)
class Enrolled:
    """What a line is checked against: the person's enrolment with the employer in the month."""

    name: str
    types: tuple


@dataclass(frozen=True)
class AssessedLine:
    line: int
    id_number: str
    name: str
    assessment: Assessment


@dataclass
class Result:
    """The checked lines (those kept: none where a `sink` took them), every error, and the totals of the lines
    assessed (counted whether kept or sunk)."""

    lines: list[AssessedLine]
    errors: list[LineError]
    line_count: int = 0
    employer_fen: int = 0
    employee_fen: int = 0


class FileRejected(ValueError):
    """A file that cannot be read as declaration lines; `errors` says where and why."""

    def __init__(self, errors: list[LineError]):
        self.errors = errors
        super().__init__(f"{len(errors)} error(s)")


def read_header(cells: list[str], columns: list[str], *, line: int = 1) -> tuple[dict[int, str], list[LineError]]:
    """The header row: {cell index: field} and the errors (unknown, repeated or missing columns). `columns`
    names each cell in errors (the header text for CSV, the cell reference for XLSX)."""
    mapping: dict[int, str] = {}
    errors: list[LineError] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(cells):
        text = unicodedata.normalize("NFKC", cell or "").strip().lstrip("\ufeff")
        if not text:
            continue
        name = HEADERS.get(text) or HEADERS.get(text.lower())
        if name is None:
            errors.append(LineError.of(line, columns[index], "extra_column", {"column": text}))
        elif name in seen:
            errors.append(LineError.of(line, columns[index], "duplicate_column", {"column": text}))
        else:
            seen[name] = index
            mapping[index] = name
    if not errors:
        for name, header in zip(FIELDS, CHINESE_HEADER, strict=True):
            if name not in seen:
                errors.append(LineError.of(line, "", "missing_column", {"column": header}))
    return mapping, errors


def parse_wage(text: str) -> int:
    """"6500", "6,500.5", "6500.00" -> fen; raises ContributionError("not_positive") otherwise. Full-width digits
    are folded (NFKC)."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    match = _WAGE_RE.fullmatch(text)
    if not match:
        raise ContributionError("not_positive")
    whole, _, decimals = text.replace(",", "").partition(".")
    fen = int(whole) * 100 + int((decimals + "00")[:2])
    if fen <= 0:
        raise ContributionError("not_positive")
    return fen


def check_declaration(raw_lines: Iterable[RawLine], *, month: date, today: date, enrolments: Mapping[str, Enrolled],
                      rates: Rates | None, industry_class: int, sink=None) -> Result:
    """Check every line and assess it; `enrolments` holds the employer's enrolments covering `month` by ID
    number, `rates` the year's figures (None where none are set). Every error is listed; the assessed lines are
    returned only when there is no error.

    With `sink`, each line is handed to `sink(line)` as soon as it is assessed while no error has been seen (and
    not kept): the caller streams them into its storage and, should an error come later, throws away what it
    wrote (a transaction rolled back). Lines after the first error are still checked, for the list of errors."""
    employer_total = employee_total = assessed = 0
    errors: list[LineError] = []
    if (month.year, month.month) > (today.year, today.month):
        errors.append(LineError.of(0, "", "future_month", {"month": format_month(month)}))
    if rates is None:
        errors.append(LineError.of(0, "", "no_rates", {"year": month.year}))
    lines: list[AssessedLine] = []
    first_line: dict[str, int] = {}
    count = 0
    assessments: dict[tuple, Assessment] = {}  # assess is pure: one wage and set of types, one assessment
    for raw in raw_lines:
        count += 1
        values, where = raw.values, raw.columns
        id_number = values.get("id_number", "")
        if id_number not in enrolments:
            # Not an enrolled person's number as it stands (an enrolled number was fully checked when the person
            # was enrolled, so it needs no second check): normalise and check it, for the precise error.
            try:
                id_number = parse_id_number(id_number, today=today).number
            except IdNumberError as error:
                id_number = None
                errors.append(LineError(raw.line, where.get("id_number", ""), f"id_number_{error.code}",
                                        error.message))
        name = unicodedata.normalize("NFKC", values.get("name", "") or "").strip()
        if not name:
            errors.append(LineError.of(raw.line, where.get("name", ""), "name_empty"))
        enrolled = None
        if id_number is not None:
            if id_number in first_line:
                errors.append(LineError.of(raw.line, where.get("id_number", ""), "duplicate_line",
                                           {"first": first_line[id_number], "line": raw.line}))
            else:
                first_line[id_number] = raw.line
            enrolled = enrolments.get(id_number)
            if enrolled is None:
                errors.append(LineError.of(raw.line, where.get("id_number", ""), "not_enrolled",
                                           {"month": format_month(month)}))
            elif name and name != unicodedata.normalize("NFKC", enrolled.name).strip():
                errors.append(LineError.of(raw.line, where.get("name", ""), "name_mismatch"))
        wage_column = where.get("wage", "")
        try:
            wage = parse_wage(values.get("wage", ""))
        except ContributionError:
            errors.append(LineError.of(raw.line, wage_column, "wage_format"))
            continue
        if rates is None:
            continue
        types = enrolled.types if enrolled else ("pension",)
        try:
            assessment = assessments.get((wage, types))
            if assessment is None:
                assessment = assessments[wage, types] = assess(wage, types=types, industry_class=industry_class,
                                                               rates=rates)
        except ContributionError as error:
            errors.append(LineError(raw.line, wage_column, error.code, error.message, error.params))
            continue
        if not errors and enrolled is not None and id_number is not None:
            line = AssessedLine(raw.line, id_number, name, assessment)
            assessed += 1
            employer_total += assessment.employer_fen
            employee_total += assessment.employee_fen
            if sink is None:
                lines.append(line)
            else:
                sink(line)
    if count == 0:
        errors.append(LineError.of(2, "", "no_lines"))
    if errors:
        return Result(lines=[], errors=errors)
    return Result(lines=lines, errors=errors, line_count=assessed, employer_fen=employer_total,
                  employee_fen=employee_total)
