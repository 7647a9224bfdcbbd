"""Corrections of the contribution ledger by the agency (after an objection or a check): a new version of a row
with the operator, the reason and the amounts re-assessed from the corrected wage. Nothing is updated in place.
Only paid months are corrected here (an unpaid month, assessed or in arrears, is corrected by the employer's
amended declaration); the correction posts the difference of the row's personal account credit as a
"correction" movement."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.audit.services import record_event
from sscard.domain.contributions import ContributionError, assess
from sscard.domain.masking import mask_id_number
from sscard.reference.selectors import NoRatesError, contribution_rates

from . import accounts, ledger, selectors
from .ledger_models import AccountMovement, LedgerEntry
from .roles import perm
from .services import MSG_AREA, MSG_PERMISSION, MSG_REASON, RecordsError

MSG_NOT_CURRENT = gettext_noop("This row is not the current version of the record: correct version %(version)s.")
MSG_VOID = gettext_noop("This row was withdrawn by an amendment: there is nothing to correct.")
MSG_NO_RATES = gettext_noop("No contribution rates are configured for %(year)s.")
MSG_NOT_PAID = gettext_noop("This month is not paid: the agency corrects paid months only. An unpaid month "
                            "(assessed or in arrears) is corrected by the employer's amended declaration.")


def correct_entry(*, staff, entry: LedgerEntry, wage_fen: int, reason: str, request=None) -> LedgerEntry:
    """Append the corrected version of a ledger row (the current one of its key), re-assessed from `wage_fen`;
    returns the new row."""
    if not (staff.is_authenticated and staff.is_staff and staff.has_perm(perm("correct_ledger"))):
        raise RecordsError("permission", MSG_PERMISSION)
    reason = (reason or "").strip()[:255]
    if not reason:
        raise RecordsError("reason", MSG_REASON, field="reason")
    employer = selectors.employers_visible_to(staff).filter(pk=entry.employer_id).first()
    if employer is None:
        raise RecordsError("area", MSG_AREA)
    try:
        rates = contribution_rates(entry.month.year, employer.district_code)
    except NoRatesError:
        raise RecordsError("no_rates", MSG_NO_RATES, {"year": entry.month.year}) from None
    try:
        assessment = assess(wage_fen, types=[entry.insurance_type], industry_class=employer.industry_class,
                            rates=rates)
    except ContributionError as error:
        raise RecordsError(error.code, error.message, error.params, field="wage_fen") from None
    amount = assessment.amount(entry.insurance_type)
    with transaction.atomic():
        # The employer's row serialises corrections (and payments' credits) of its records.
        type(employer).objects.select_for_update().get(pk=employer.pk)
        versions = (LedgerEntry.objects.filter(id_number=entry.id_number, month=entry.month,
                                               employer_id=entry.employer_id, insurance_type=entry.insurance_type)
                    .order_by("pk"))
        current = ledger.current(versions)[0]
        if current.pk != entry.pk:
            raise RecordsError("not_current", MSG_NOT_CURRENT, {"version": current.version})
        if current.status == LedgerEntry.Status.VOID:
            raise RecordsError("void", MSG_VOID)
        if current.status != LedgerEntry.Status.PAID:
            raise RecordsError("not_paid", MSG_NOT_PAID)
        now = timezone.now()
        ledger.append([ledger.Row(
            id_number=current.id_number, employer_id=current.employer_id, month=current.month,
            insurance_type=current.insurance_type, wage_fen=wage_fen, base_fen=assessment.base_fen,
            clamp=assessment.clamp, employer_fen=amount.employer_fen, employee_fen=amount.employee_fen,
            status=current.status, version=current.version + 1, created_at=now,
            declaration_id=current.declaration_id, voucher_id=current.voucher_id, line_no=current.line_no,
            operator_id=staff.pk, reason=reason)])
        corrected = versions.filter(version=current.version + 1).get()
        # The personal account moves by the difference of the row's credit (the row is paid).
        before = accounts.entry_credits(current, district_code=employer.district_code, rates=rates)
        after = accounts.entry_credits(corrected, district_code=employer.district_code, rates=rates)
        for account in sorted(set(before) | set(after)):
            difference = after.get(account, 0) - before.get(account, 0)
            if difference:
                accounts.credit(id_number=corrected.id_number, account=account,
                                kind=AccountMovement.Kind.CORRECTION, day=timezone.localdate(),
                                amount_fen=difference, month=corrected.month, ledger_entry_id=corrected.pk)
        record_event(event_type="records.ledger_corrected", actor=staff, request=request, subject_type="employer",
                     subject_id=employer.credit_code,
                     data={"person": mask_id_number(current.id_number), "month": f"{current.month:%Y-%m}",
                           "type": current.insurance_type, "version": corrected.version, "reason": reason,
                           "employer_fen": [current.employer_fen, corrected.employer_fen],
                           "employee_fen": [current.employee_fen, corrected.employee_fen]})
    return corrected
