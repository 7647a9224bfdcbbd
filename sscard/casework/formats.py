"""Card manufacturer file formats (documented in docs/formats.md).

Export: one ZIP per production batch holding `cards.csv` (the data file), `photos/<office code>.jpg` and
`manifest.sha256` (`sha256sum -c` format: the SHA-256 of every other file in the archive).
Import: the manufacturer's `result.csv`, one line per card made.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_noop

from sscard.domain import officecode

from .lines import ImportRejected, LineError, read_csv, write_csv

DATA_FILE = "cards.csv"
MANIFEST = "manifest.sha256"
PHOTO_DIR = "photos"
DATA_HEADER = ["line", "office_code", "name", "id_number", "sex", "birth_date", "nationality", "bank_code",
               "bank_account", "delivery", "outlet_code", "photo"]
RESULT_HEADER = ["office_code", "card_number", "card_id", "issue_date", "expiry_date", "bank_account"]
TRACKING_HEADER = ["office_code", "tracking_number"]

CARD_NUMBER_RE = re.compile(r"^[A-Z0-9]{9}$")
CARD_ID_RE = re.compile(r"^[0-9A-F]{32}$")
ACCOUNT_RE = re.compile(r"^\d{8,32}$")
TRACKING_RE = re.compile(r"^[A-Za-z0-9-]{6,40}$")
FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)

MSG_CODE = gettext_noop("\"%(value)s\" is not a valid office code.")
MSG_CARD_NUMBER = gettext_noop("The card number must be 9 letters or digits, not \"%(value)s\".")
MSG_CARD_ID = gettext_noop("The card identifier must be 32 hexadecimal characters.")
MSG_DATE = gettext_noop("\"%(value)s\" is not a date in the form YYYY-MM-DD.")
MSG_EXPIRY = gettext_noop("The expiry date must be after the issue date.")
MSG_ACCOUNT = gettext_noop("The bank account must be 8 to 32 digits.")
MSG_DUPLICATE = gettext_noop("%(what)s %(value)s appears more than once in the file.")
MSG_TRACKING = gettext_noop("The tracking number must be 6 to 40 letters, digits or hyphens.")


@dataclass(frozen=True)
class ResultLine:
    line: int
    office_code: str
    card_number: str
    card_id: str
    issue_date: date
    expiry_date: date
    bank_account: str


@dataclass(frozen=True)
class TrackingLine:
    line: int
    office_code: str
    tracking_number: str


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_batch_archive(*, batch, items, read_photo) -> bytes:
    """The ZIP of a batch. `items`: (line, application, bank account); `read_photo(name) -> bytes`."""
    files: list[tuple[str, bytes]] = []
    rows = []
    for line, application, account in items:
        photo_name = ""
        if application.photo:
            photo_name = f"{PHOTO_DIR}/{application.office_code}.jpg"
            files.append((photo_name, read_photo(application.photo)))
        rows.append([line, application.office_code, application.subject_name, application.subject_id_number,
                     application.subject_sex, application.subject_birth_date.isoformat(),
                     application.nationality, application.bank.code, account, application.delivery,
                     str(application.outlet_id or ""), photo_name])
    files.insert(0, (DATA_FILE, write_csv(DATA_HEADER, rows)))
    manifest = "".join(f"{sha256(content)}  {name}\n" for name, content in files).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in [*files, (MANIFEST, manifest)]:
            info = zipfile.ZipInfo(f"{batch.number}/{name}", date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def verify_archive(data: bytes) -> dict[str, bytes]:
    """Read a batch archive back and check its manifest; returns {name: content}. Raises ValueError."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        contents = {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}
    manifest = contents.pop(MANIFEST).decode()
    listed = {}
    for row in manifest.splitlines():
        digest, name = row.split("  ", 1)
        listed[name] = digest
    if set(listed) != set(contents):
        raise ValueError("manifest does not list exactly the archive's files")
    for name, content in contents.items():
        if sha256(content) != listed[name]:
            raise ValueError(f"checksum mismatch for {name}")
    return contents


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None
    except ValueError:
        return None


def parse_result(data: bytes) -> list[ResultLine]:
    """Read and check a manufacturer's result file line by line (format only: the service checks each
    line against the batch). Raises ImportRejected listing every bad line."""
    lines, errors = [], []
    seen = {"code": set(), "number": set(), "id": set()}
    for number, (code, card_number, card_id, issue, expiry, account) in read_csv(data, RESULT_HEADER):
        before = len(errors)
        try:
            compact = officecode.parse(code).compact
        except officecode.OfficeCodeError:
            errors.append(LineError(number, MSG_CODE, {"value": code[:20]}))
            compact = ""
        card_number, card_id = card_number.upper(), card_id.upper()
        if not CARD_NUMBER_RE.match(card_number):
            errors.append(LineError(number, MSG_CARD_NUMBER, {"value": card_number[:20]}))
        if not CARD_ID_RE.match(card_id):
            errors.append(LineError(number, MSG_CARD_ID))
        issue_date, expiry_date = _date(issue), _date(expiry)
        if issue_date is None:
            errors.append(LineError(number, MSG_DATE, {"value": issue[:20]}))
        if expiry_date is None:
            errors.append(LineError(number, MSG_DATE, {"value": expiry[:20]}))
        if issue_date and expiry_date and expiry_date <= issue_date:
            errors.append(LineError(number, MSG_EXPIRY))
        if not ACCOUNT_RE.match(account):
            errors.append(LineError(number, MSG_ACCOUNT))
        for key, value, what in (("code", compact, gettext_noop("Office code")), ("number", card_number, gettext_noop("Card number")),
                                 ("id", card_id, gettext_noop("Card identifier"))):
            if value and value in seen[key]:
                errors.append(LineError(number, MSG_DUPLICATE, {"what": _Lazy(what), "value": value}))
            seen[key].add(value)
        if len(errors) == before:
            lines.append(ResultLine(number, compact, card_number, card_id, issue_date, expiry_date, account))
    if errors:
        raise ImportRejected(errors)
    return lines


def parse_tracking(data: bytes) -> list[TrackingLine]:
    lines, errors, seen = [], [], set()
    for number, (code, tracking) in read_csv(data, TRACKING_HEADER):
        try:
            compact = officecode.parse(code).compact
        except officecode.OfficeCodeError:
            errors.append(LineError(number, MSG_CODE, {"value": code[:20]}))
            continue
        if not TRACKING_RE.match(tracking):
            errors.append(LineError(number, MSG_TRACKING))
            continue
        if compact in seen:
            errors.append(LineError(number, MSG_DUPLICATE, {"what": _Lazy(gettext_noop("Office code")), "value": code}))
            continue
        seen.add(compact)
        lines.append(TrackingLine(number, compact, tracking))
    if errors:
        raise ImportRejected(errors)
    return lines


class _Lazy:
    """A message parameter translated when the message is shown."""

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        from django.utils.translation import gettext

        return gettext(self.text)
