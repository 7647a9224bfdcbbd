"""The yearly statement of a person's rights record (个人权益记录单), pure Python (no Django): its contents from
the person's ledger rows, account movements and benefits; the contents' canonical bytes; the signed summary
carried by the verification code and the QR; signing and verifying that code.

Contents are JSON types only (ints in fen, ISO dates, strings) so that their canonical bytes (JSON, keys sorted,
no spaces, UTF-8) are the same wherever they are computed. The **verification code** (docs/formats.md, "Yearly
statement verification code") is ``SSS1`` + RFC 4648 Base32 without padding (A-Z, 2-7: QR's alphanumeric mode,
safe in a URL) of the CBOR array ``[kid, summary, signature]``; ``summary`` is the CBOR array of the totals
printed on the statement and the SHA-256 of the whole contents, ``signature`` Ed25519 over
``b"sscard-statement-v1\\0" + summary``. A verifier shows the signed totals: whoever compares them with the paper
sees an altered figure, and a changed byte of the code breaks the signature.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .contribution_months import month_index
from .enrolment import INSURANCE_TYPES
from .masking import mask_name

FORMAT_VERSION = 1
PREFIX = "SSS1"
SIGNING_CONTEXT = b"sscard-statement-v1\x00"
MAX_CODE_CHARS = 1024  # a real code is ~300 characters
ACCOUNTS = ("pension", "medical")
PAID, ARREARS = "paid", "arrears"


class Reason(enum.StrEnum):
    """Why a code was refused: stable codes (the page words them)."""

    UNREADABLE = "unreadable"
    UNKNOWN_KEY = "unknown_key"
    BAD_SIGNATURE = "bad_signature"


@dataclass(frozen=True)
class Entry:
    """A current ledger record (the highest version of its key)."""

    month: date
    insurance_type: str
    status: str
    employer_fen: int
    employee_fen: int


@dataclass(frozen=True)
class Movement:
    account: str
    kind: str  # contribution, interest, correction, settlement
    day: date
    amount_fen: int


@dataclass(frozen=True)
class Benefit:
    benefit_type: str
    period_start: date
    amount_fen: int


def build_contents(*, serial: str, kind: str, year: int, issued_on: date, id_number: str, name: str,
                   entries: Iterable[Entry], movements: Iterable[Movement], benefits: Iterable[Benefit]) -> dict:
    """The statement of `year`: the year's contributions per insurance type (paid and in arrears), the months
    paid in all years up to the end of `year` per type, each personal account's opening balance, credits,
    interest, other movements and closing balance, the benefits of the year, and the totals."""
    contributions: dict[str, dict] = {}
    paid_months: dict[str, set[int]] = defaultdict(set)
    last = month_index(date(year, 12, 1))
    for entry in entries:
        index = month_index(entry.month)
        if entry.status == PAID and index <= last:
            paid_months[entry.insurance_type].add(index)
        if entry.month.year != year or entry.status not in (PAID, ARREARS):
            continue
        row = contributions.setdefault(entry.insurance_type, {
            "type": entry.insurance_type, "paid_months": 0, "employee_fen": 0, "employer_fen": 0,
            "arrears_months": 0, "arrears_fen": 0})
        if entry.status == PAID:
            row["paid_months"] += 1
            row["employee_fen"] += entry.employee_fen
            row["employer_fen"] += entry.employer_fen
        else:
            row["arrears_months"] += 1
            row["arrears_fen"] += entry.employee_fen + entry.employer_fen
    start, end = date(year, 1, 1), date(year, 12, 31)
    accounts = {account: {"account": account, "opening_fen": 0, "credits_fen": 0, "interest_fen": 0,
                          "other_fen": 0, "closing_fen": 0} for account in ACCOUNTS}
    for movement in movements:
        account = accounts.get(movement.account)
        if account is None or movement.day > end:
            continue
        if movement.day < start:
            account["opening_fen"] += movement.amount_fen
        elif movement.kind in ("contribution", "correction"):
            account["credits_fen"] += movement.amount_fen
        elif movement.kind == "interest":
            account["interest_fen"] += movement.amount_fen
        else:
            account["other_fen"] += movement.amount_fen
        account["closing_fen"] += movement.amount_fen
    benefit_rows: dict[str, dict] = {}
    for benefit in benefits:
        if benefit.period_start.year != year:
            continue
        row = benefit_rows.setdefault(benefit.benefit_type, {"type": benefit.benefit_type, "count": 0,
                                                             "amount_fen": 0})
        row["count"] += 1
        row["amount_fen"] += benefit.amount_fen
    order = {t: n for n, t in enumerate(INSURANCE_TYPES)}
    rows = sorted(contributions.values(), key=lambda r: (order.get(r["type"], 99), r["type"]))
    months = {t: len(paid_months[t]) for t in sorted(paid_months, key=lambda t: (order.get(t, 99), t))}
    return {
        "v": FORMAT_VERSION,
        "serial": serial,
        "kind": kind,
        "year": year,
        "issued_on": issued_on.isoformat(),
        "person": {"id_number": id_number, "name": name},
        "contributions": rows,
        "months_total": months,
        "accounts": [accounts[a] for a in ACCOUNTS],
        "benefits": sorted(benefit_rows.values(), key=lambda r: r["type"]),
        "totals": {
            "employee_fen": sum(r["employee_fen"] for r in rows),
            "employer_fen": sum(r["employer_fen"] for r in rows),
            "arrears_fen": sum(r["arrears_fen"] for r in rows),
            "pension_months": months.get("pension", 0),
            "pension_balance_fen": accounts["pension"]["closing_fen"],
            "medical_balance_fen": accounts["medical"]["closing_fen"],
            "benefits_fen": sum(r["amount_fen"] for r in benefit_rows.values()),
        },
    }


def canonical_bytes(contents: Mapping) -> bytes:
    """JSON with sorted keys, no spaces, UTF-8 (not ASCII-escaped): the same bytes for the same contents."""
    return json.dumps(contents, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


TOTAL_FIELDS = ("employee_fen", "employer_fen", "arrears_fen", "pension_months", "pension_balance_fen",
                "medical_balance_fen", "benefits_fen")


@dataclass(frozen=True)
class Summary:
    """What the code carries and the verification page shows: nothing but the masked name in personal data."""

    serial: str
    year: int
    issued_on: str
    masked_name: str
    totals: dict
    contents_sha256: bytes

    def to_cbor(self) -> bytes:
        return cbor2.dumps([FORMAT_VERSION, self.serial, self.year, self.issued_on, self.masked_name,
                            [self.totals[f] for f in TOTAL_FIELDS], self.contents_sha256], canonical=True)

    @classmethod
    def from_cbor(cls, data: bytes) -> Summary | None:
        try:
            value = cbor2.loads(data)
        except Exception:  # noqa: BLE001 - cbor2 raises several kinds on garbage
            return None
        if (not isinstance(value, list) or len(value) != 7 or value[0] != FORMAT_VERSION
                or not isinstance(value[5], list) or len(value[5]) != len(TOTAL_FIELDS)
                or not all(isinstance(v, int) for v in value[5]) or not isinstance(value[6], bytes)
                or not isinstance(value[1], str) or not isinstance(value[2], int)
                or not isinstance(value[3], str) or not isinstance(value[4], str)):
            return None
        return cls(serial=value[1], year=value[2], issued_on=value[3], masked_name=value[4],
                   totals=dict(zip(TOTAL_FIELDS, value[5], strict=True)), contents_sha256=value[6])


def summary_of(contents: Mapping) -> Summary:
    return Summary(serial=contents["serial"], year=contents["year"], issued_on=contents["issued_on"],
                   masked_name=mask_name(contents["person"]["name"]), totals=dict(contents["totals"]),
                   contents_sha256=hashlib.sha256(canonical_bytes(contents)).digest())


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode().rstrip("=")


def _unb32(text: str) -> bytes:
    return base64.b32decode(text + "=" * (-len(text) % 8))


def sign(contents: Mapping, private_key: Ed25519PrivateKey, kid: str) -> tuple[str, bytes]:
    """(verification code, signature) of `contents`."""
    summary = summary_of(contents).to_cbor()
    signature = private_key.sign(SIGNING_CONTEXT + summary)
    return PREFIX + _b32(cbor2.dumps([kid, summary, signature])), signature


def normalise_code(text: str) -> str:
    """A code as typed or scanned: spaces, hyphens and line breaks dropped, upper case."""
    return "".join(ch for ch in (text or "") if ch not in " -\r\n\t").upper()


def verify(code: str, public_keys: Mapping[str, Ed25519PublicKey]) -> Summary | Reason:
    """The signed summary of a code, or why it is refused."""
    code = normalise_code(code)
    if not code.startswith(PREFIX) or len(code) > MAX_CODE_CHARS:
        return Reason.UNREADABLE
    try:
        value = cbor2.loads(_unb32(code[len(PREFIX):]))
    except Exception:  # noqa: BLE001 - binascii / cbor2 errors on garbage
        return Reason.UNREADABLE
    if (not isinstance(value, list) or len(value) != 3 or not isinstance(value[0], str)
            or not isinstance(value[1], bytes) or not isinstance(value[2], bytes)):
        return Reason.UNREADABLE
    kid, summary, signature = value
    key = public_keys.get(kid)
    if key is None:
        return Reason.UNKNOWN_KEY
    try:
        key.verify(signature, SIGNING_CONTEXT + summary)
    except InvalidSignature:
        return Reason.BAD_SIGNATURE
    parsed = Summary.from_cbor(summary)
    return parsed if parsed is not None else Reason.UNREADABLE


def matches(contents: Mapping, summary: Summary) -> bool:
    """Whether stored contents are the ones a verified summary was signed over."""
    return hashlib.sha256(canonical_bytes(contents)).digest() == summary.contents_sha256


def group_code(code: str, size: int = 8) -> str:
    """The code in groups of `size` characters, for printing (the page ignores the spaces)."""
    return " ".join(code[i:i + size] for i in range(0, len(code), size))
