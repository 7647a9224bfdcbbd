"""Bills paid and bills in arrears: the bank payment file import, the staff entry of a payment, and the daily
move of unpaid bills into arrears. One transaction each, audited; a refusal changes nothing.

Paying a bill (`_pay`): a `Payment` row, the bill `paid`, the current ledger rows of its declaration appended
again with status "paid" (version + 1, `ledger.append_status`: one statement that reads and writes the rows in the
database and returns the rows written), and the personal accounts credited with those rows in bulk
(`accounts.credit_paid_rows`). The amount must be exactly the bill's total plus the late fee due on the day of
payment (`domain.payment_lines.check_amount`); a bank reference is used once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.audit.services import record_event
from sscard.domain import payment_lines as rules
from sscard.reference.selectors import NoRatesError, contribution_rates

from . import accounts, ledger, selectors
from .ledger_models import Bill, LedgerEntry, Payment, Voucher
from .payment_files.base import FileError, PaymentFileRejected, PaymentLine
from .payment_files.registry import register as payment_formats
from .roles import perm
from .services import MSG_PERMISSION, RecordsError

MSG_NO_BILL = gettext_noop("No bill with this number in your areas.")
MSG_BILL_STATE = gettext_noop("This bill cannot be paid (state: %(state)s): only an open bill or a bill in "
                              "arrears can be paid.")
MSG_BILL_TWICE = gettext_noop("This bill is paid on line %(line)s of the file too.")
MSG_REFERENCE_USED = gettext_noop("This bank reference was already recorded.")
MSG_REFERENCE_TWICE = gettext_noop("This bank reference is on line %(line)s of the file too.")
MSG_NO_RATES = gettext_noop("No contribution rates are configured for %(year)s.")

PAYABLE = (Bill.State.OPEN, Bill.State.ARREARS)


@dataclass
class ImportResult:
    voucher: Voucher
    paid: list[Bill] = field(default_factory=list)
    already_imported: bool = False


def _require(staff) -> None:
    if not (staff.is_authenticated and staff.is_staff and staff.has_perm(perm("record_payment"))):
        raise RecordsError("permission", MSG_PERMISSION)


def _rates(bill: Bill):
    return contribution_rates(bill.month.year, bill.employer.district_code)


def _line_errors(line: PaymentLine, bill: Bill | None, *, visible: set[int], used: set[str],
                 bill_lines: dict[str, int], reference_lines: dict[str, int]) -> list[FileError]:
    """The business checks of one payment (a file line or the staff entry); `line` 0 for the staff entry."""
    errors: list[FileError] = []
    if bill is None or bill.employer_id not in visible:
        errors.append(FileError(line.line, "bill_number", "no_bill", MSG_NO_BILL))
    elif bill.state not in PAYABLE:
        errors.append(FileError(line.line, "bill_number", "bill_state", MSG_BILL_STATE,
                                {"state": bill.get_state_display()}))
    elif line.bill_number in bill_lines:
        errors.append(FileError(line.line, "bill_number", "bill_twice", MSG_BILL_TWICE,
                                {"line": bill_lines[line.bill_number]}))
    else:
        try:
            rates = _rates(bill)
        except NoRatesError:
            errors.append(FileError(line.line, "bill_number", "no_rates", MSG_NO_RATES, {"year": bill.month.year}))
        else:
            try:
                rules.check_amount(line.amount_fen, total_fen=bill.total_fen, due=bill.due_date,
                                   paid_on=line.paid_on, bp_per_day=rates.late_fee_bp_per_day)
            except rules.LineRuleError as error:
                errors.append(FileError(line.line, "amount", error.code, error.message, error.params))
    if line.reference in used:
        errors.append(FileError(line.line, "reference", "reference_used", MSG_REFERENCE_USED))
    elif line.reference in reference_lines:
        errors.append(FileError(line.line, "reference", "reference_twice", MSG_REFERENCE_TWICE,
                                {"line": reference_lines[line.reference]}))
    return errors


def _lock_bills(numbers) -> dict[str, Bill]:
    return {bill.number: bill for bill in
            Bill.objects.select_for_update(of=("self",)).select_related("employer").filter(number__in=list(numbers))
            .order_by("pk")}


def _visible(staff, bills) -> set[int]:
    ids = {bill.employer_id for bill in bills}
    return set(selectors.employers_visible_to(staff).filter(pk__in=ids).values_list("pk", flat=True))


def _pay(*, staff, bill: Bill, line: PaymentLine, source: str, voucher: Voucher | None) -> Payment:
    """Pay a checked bill (in the caller's transaction)."""
    rates = _rates(bill)
    fee = rules.check_amount(line.amount_fen, total_fen=bill.total_fen, due=bill.due_date, paid_on=line.paid_on,
                             bp_per_day=rates.late_fee_bp_per_day)
    now = timezone.now()
    payment = Payment.objects.create(bill=bill, source=source, voucher=voucher, reference=line.reference,
                                     amount_fen=line.amount_fen, late_fee_fen=fee, paid_on=line.paid_on,
                                     recorded_by=staff, created_at=now)
    bill.state, bill.paid_at = Bill.State.PAID, now
    bill.save(update_fields=["state", "paid_at"])
    paid = _append_status(bill, LedgerEntry.Status.PAID, operator=staff, now=now,
                          voucher_id=voucher.pk if voucher else None)
    accounts.credit_paid_rows(paid, day=line.paid_on, district_code=bill.employer.district_code)
    return payment


def _append_status(bill: Bill, status: str, *, operator=None, now, voucher_id=None) -> list[ledger.Appended]:
    """Append the next version of each current row of the bill's declaration with `status` (void rows stay void);
    returns the rows written. A bill is paid or falls into arrears from open, so none of its current rows is
    already of `status` (a correction only changes paid rows)."""
    return ledger.append_status(employer_id=bill.employer_id, month=bill.month, declaration_id=bill.declaration_id,
                                status=status, created_at=now, voucher_id=voucher_id,
                                operator_id=getattr(operator, "pk", None))


def import_payment_file(*, staff, filename: str, content: bytes, request=None, file_format: str = "csv",
                        today: date | None = None) -> ImportResult:
    """Import a bank payment file: every line checked (the bill exists in the staff's areas, is open or in
    arrears, the amount is its total plus the late fee due on the day paid, the reference is new, the day not in
    the future); any error refuses the whole file (`PaymentFileRejected`, each error with line and column).
    The file is kept as a voucher (its bytes unchanged, SHA-256); the same file again changes nothing."""
    _require(staff)
    today = today or timezone.localdate()
    digest = hashlib.sha256(content).hexdigest()
    plugin = payment_formats.get(file_format)
    earlier = Voucher.objects.filter(kind=Voucher.Kind.PAYMENT, sha256=digest).first()
    if earlier is not None:
        return ImportResult(voucher=earlier, already_imported=True)
    lines = plugin.parse(content, today=today)
    with transaction.atomic():
        bills = _lock_bills({line.bill_number for line in lines})
        earlier = Voucher.objects.filter(kind=Voucher.Kind.PAYMENT, sha256=digest).first()
        if earlier is not None:  # imported while we waited for the bills' locks
            return ImportResult(voucher=earlier, already_imported=True)
        visible = _visible(staff, bills.values())
        used = set(Payment.objects.filter(reference__in=[line.reference for line in lines])
                   .values_list("reference", flat=True))
        errors: list[FileError] = []
        bill_lines: dict[str, int] = {}
        reference_lines: dict[str, int] = {}
        for line in lines:
            errors.extend(_line_errors(line, bills.get(line.bill_number), visible=visible, used=used,
                                       bill_lines=bill_lines, reference_lines=reference_lines))
            bill_lines.setdefault(line.bill_number, line.line)
            reference_lines.setdefault(line.reference, line.line)
        if errors:
            raise PaymentFileRejected(errors)
        voucher = Voucher.objects.create(
            kind=Voucher.Kind.PAYMENT, employer=None, sha256=digest, filename=(filename or "payments.csv")[:255],
            media_type=plugin.media_type, size=len(content), content=content, uploaded_by=staff,
            created_at=timezone.now())
        result = ImportResult(voucher=voucher)
        for line in lines:
            bill = bills[line.bill_number]
            _pay(staff=staff, bill=bill, line=line, source=Payment.Source.BANK_FILE, voucher=voucher)
            result.paid.append(bill)
        record_event(event_type="records.payment_file_imported", actor=staff, request=request,
                     subject_type="voucher", subject_id=digest,
                     data={"lines": len(lines), "bills": [bill.number for bill in result.paid],
                           "total_fen": sum(line.amount_fen for line in lines)})
    return result


def record_payment(*, staff, bill: Bill, amount_fen: int, reference: str, paid_on: date, request=None,
                   today: date | None = None) -> Payment:
    """A member of staff enters a payment of a bill (a bank transfer seen on the account statement): the same
    checks as a file line; a refusal is a `RecordsError` about the field concerned."""
    _require(staff)
    today = today or timezone.localdate()
    try:
        reference = rules.parse_reference(reference)
        if paid_on > today:
            raise rules.LineRuleError("future", {"day": paid_on.isoformat()})
    except rules.LineRuleError as error:
        raise RecordsError(error.code, error.message, error.params,
                           field="paid_on" if error.code == "future" else "reference") from None
    with transaction.atomic():
        locked = _lock_bills([bill.number]).get(bill.number)
        line = PaymentLine(0, bill.number, amount_fen, reference, paid_on)
        used = set(Payment.objects.filter(reference=reference).values_list("reference", flat=True))
        errors = _line_errors(line, locked, visible=_visible(staff, [locked] if locked else []), used=used,
                              bill_lines={}, reference_lines={})
        if errors:
            first = errors[0]
            raise RecordsError(first.code, first.message, first.params,
                               field={"bill_number": "", "amount": "amount_fen"}.get(first.column, first.column))
        payment = _pay(staff=staff, bill=locked, line=line, source=Payment.Source.STAFF, voucher=None)
        record_event(event_type="records.payment_recorded", actor=staff, request=request, subject_type="bill",
                     subject_id=locked.number, data={"amount_fen": amount_fen, "late_fee_fen": payment.late_fee_fen,
                                                     "paid_on": paid_on.isoformat()})
    return payment


def mark_arrears(*, today: date | None = None) -> int:
    """Open bills past their due date fall into arrears: state `arrears`, their ledger rows appended with status
    "arrears" (version + 1). Idempotent (a bill already in arrears is left alone). Returns the bills moved."""
    today = today or timezone.localdate()
    moved = 0
    for pk in Bill.objects.filter(state=Bill.State.OPEN, due_date__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            bill = Bill.objects.select_for_update().filter(pk=pk, state=Bill.State.OPEN).first()
            if bill is None:  # paid or moved a moment ago
                continue
            bill.state = Bill.State.ARREARS
            bill.save(update_fields=["state"])
            _append_status(bill, LedgerEntry.Status.ARREARS, now=timezone.now())
            record_event(event_type="records.bill_in_arrears", subject_type="bill", subject_id=bill.number,
                         data={"due_date": bill.due_date.isoformat()})
            moved += 1
    return moved
