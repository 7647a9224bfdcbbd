"""Everything that writes monthly declarations: declare a file (or the lines entered on the page) and confirm an
assessed declaration into a bill. Keyword arguments, one transaction, an audit event; a refusal is a
`RecordsError` (a file with errors: `DeclarationRejected`, every error with its line and column) and writes
nothing: no voucher, no declaration, no ledger row."""

from __future__ import annotations

import hashlib
import io

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.audit.services import record_event
from sscard.domain import declaration as rules
from sscard.domain.contributions import due_date
from sscard.domain.enrolment import format_month, month_of
from sscard.domain.spreadsheet import writer as csv_writer
from sscard.reference.selectors import NoRatesError, contribution_rates

from .. import ledger
from ..ledger_models import Bill, Declaration, LedgerEntry, Voucher
from ..models import Employer, Enrolment
from ..services import RecordsError, acting_membership
from .registry import format_for

MAX_BYTES = 32 * 1024 * 1024  # a 100,000-line CSV is about 4 MB

MSG_PAID = gettext_noop("The bill of %(month)s is paid: paid months are corrected by the agency through an "
                        "objection.")
MSG_NOT_LATEST = gettext_noop("Only the latest version of a month, assessed and not yet confirmed, can be "
                              "confirmed.")
MSG_NO_RATES = rules.MESSAGES["no_rates"]
MSG_BUSY = gettext_noop("Another declaration of this month was sent at the same moment: look at the month's "
                        "versions and try again if needed.")
MSG_ALREADY = gettext_noop("This file was already declared for %(month)s (version %(version)s): nothing new was "
                           "written.")
MSG_FILE_REJECTED = gettext_noop("The declaration was not accepted: correct the errors below and send it again. "
                                 "Nothing was recorded.")


class DeclarationRejected(RecordsError):
    """A declaration with errors: `errors` lists every one (`rules.LineError`), in line order."""

    def __init__(self, errors: list[rules.LineError]):
        super().__init__("declaration_rejected", MSG_FILE_REJECTED, field="file")
        self.errors = sorted(errors, key=lambda error: (error.line, error.column))


def _enrolments(employer: Employer, month) -> dict[str, rules.Enrolled]:
    """The employer's enrolments covering `month`, by ID number: one query."""
    rows = (Enrolment.objects.filter(employer=employer, start_month__lte=month)
            .filter(Q(end_month__isnull=True) | Q(end_month__gte=month))
            .values_list("id_number", "name", "pension", "medical", "unemployment", "work_injury"))
    return {id_number: rules.Enrolled(name, tuple(t for t, on in zip(
        ("pension", "medical", "unemployment", "work_injury"), flags, strict=True) if on))
        for id_number, name, *flags in rows}


def _rates(employer: Employer, month):
    try:
        return contribution_rates(month.year, employer.district_code)
    except NoRatesError:
        return None


def _parse(*, filename: str, content: bytes):
    """The file's format plugin and its raw lines; `DeclarationRejected` where the file cannot be read."""
    plugin = format_for(filename, content)
    if plugin is None:
        raise DeclarationRejected([rules.LineError.of(0, "", "format")])
    if len(content) > MAX_BYTES:
        raise DeclarationRejected([rules.LineError.of(0, "", "too_large", {"limit": MAX_BYTES // (1024 * 1024)})])
    try:
        return plugin, plugin.parse(content)
    except rules.FileRejected as rejected:
        raise DeclarationRejected(rejected.errors) from None


def check(*, employer: Employer, month, filename: str, content: bytes):
    """Parse and check a file for a month: (format id, `rules.Result`); `DeclarationRejected` with every error."""
    plugin, raw_lines = _parse(filename=filename, content=content)
    return plugin.identifier, _check_lines(employer=employer, month=month_of(month), raw_lines=raw_lines)


_READ_HERE = object()


def _check_lines(*, employer: Employer, month, raw_lines, sink=None, enrolments=_READ_HERE, rates=_READ_HERE):
    """Check parsed lines (`rules.Result`), handing each assessed line to `sink` where given (see
    `rules.check_declaration`); `DeclarationRejected` with every error. `enrolments` and `rates` are read here
    unless given (a caller streaming into a COPY reads them first: no query can run on a connection in COPY)."""
    result = rules.check_declaration(raw_lines, month=month, today=timezone.localdate(),
                                     enrolments=_enrolments(employer, month) if enrolments is _READ_HERE else enrolments,
                                     rates=_rates(employer, month) if rates is _READ_HERE else rates,
                                     industry_class=employer.industry_class, sink=sink)
    if result.errors:
        raise DeclarationRejected(result.errors)
    return result


def declare(*, user, employer: Employer, month, filename: str, content: bytes, request=None,
            source: str = "") -> Declaration:
    """Declare a month's wages from a file (CSV or XLSX): check every line, assess it, and write the voucher (the
    bytes unchanged), the declaration (the month's next version) and its ledger rows in one transaction. An
    amendment voids the rows of people the new version leaves out and supersedes the earlier version and its
    unpaid bill; a paid month is refused. The same bytes again while their version is the latest return that
    declaration (`already_declared` is set on it) and write nothing."""
    acting_membership(user=user, employer=employer)
    month = month_of(month)
    sha256 = hashlib.sha256(content).hexdigest()
    latest = _latest(employer, month)
    if latest is not None and latest.voucher.sha256 == sha256:
        latest.already_declared = True
        return latest
    plugin, raw_lines = _parse(filename=filename, content=content)  # unreadable: refused before any lock
    try:
        with transaction.atomic():
            Employer.objects.select_for_update().filter(pk=employer.pk).first()
            latest = _latest(employer, month)
            if latest is not None and latest.voucher.sha256 == sha256:
                latest.already_declared = True
                return latest
            if latest is not None:
                bill = Bill.objects.filter(declaration=latest).first()
                if bill is not None and bill.state == Bill.State.PAID:
                    raise RecordsError("paid_month", MSG_PAID, {"month": format_month(month)}, field="month")
            now = timezone.now()
            voucher = Voucher.objects.create(
                kind=Voucher.Kind.DECLARATION, employer=employer, sha256=sha256, filename=filename[:255],
                media_type=plugin.media_type, size=len(content), content=content, uploaded_by=user, created_at=now)
            declaration = Declaration.objects.create(
                employer=employer, month=month, version=(latest.version + 1) if latest else 1,
                state=Declaration.State.ASSESSED, source=source or plugin.identifier, voucher=voucher,
                created_by=user, created_at=now)
            # Checked, assessed and written in one pass: each line's rows go to the COPY as soon as the line is
            # assessed, so PostgreSQL stores them while the next lines are checked. An error anywhere raises
            # `DeclarationRejected` and the transaction rolls back: voucher, declaration and rows are gone.
            result = _write_rows(employer=employer, month=month, raw_lines=raw_lines, declaration=declaration,
                                 voucher=voucher, previous=latest, user=user, now=now)
            declaration.line_count = result.line_count
            declaration.employer_fen, declaration.employee_fen = result.employer_fen, result.employee_fen
            declaration.save(update_fields=["line_count", "employer_fen", "employee_fen"])
            if latest is not None:
                Declaration.objects.filter(pk=latest.pk).update(state=Declaration.State.SUPERSEDED)
                Bill.objects.filter(declaration=latest, state__in=[Bill.State.OPEN, Bill.State.ARREARS]).update(
                    state=Bill.State.SUPERSEDED)
            record_event(event_type="records.declared", actor=user, request=request, subject_type="employer",
                         subject_id=employer.credit_code,
                         data={"month": format_month(month), "version": declaration.version,
                               "line_count": declaration.line_count, "source": declaration.source,
                               "sha256": sha256})
    except IntegrityError:  # the same month declared at the same moment (the unique version): one is kept
        latest = _latest(employer, month)
        if latest is not None and latest.voucher.sha256 == sha256:
            latest.already_declared = True
            return latest
        raise RecordsError("busy", MSG_BUSY) from None
    declaration.already_declared = False
    return declaration


def _latest(employer: Employer, month) -> Declaration | None:
    return (Declaration.objects.filter(employer=employer, month=month).select_related("voucher")
            .defer("voucher__content").order_by("-version").first())


def _write_rows(*, employer, month, raw_lines, declaration, voucher, previous, user, now):
    """Check the file's lines and stream their ledger rows (status assessed, each key's next version); for an
    amendment, a `void` row for each key the earlier version had and this one leaves out. The check's result."""
    # Everything the check and the rows need is read first: no query can run on the connection during the COPY.
    versions = ledger.versions_of(employer_id=employer.pk, month=month)
    enrolments, rates = _enrolments(employer, month), _rates(employer, month)
    dropped = [] if previous is None else list(
        LedgerEntry.objects.filter(employer_id=employer.pk, month=month, declaration_id=previous.pk)
        .values_list("id_number", "insurance_type"))
    employer_id, covered = employer.pk, set()
    with ledger.stream(employer_id=employer_id, month=month, created_at=now, declaration_id=declaration.pk,
                       voucher_id=voucher.pk, operator_id=user.pk) as out:
        write = out.assessed

        def sink(line):
            assessment, id_number = line.assessment, line.id_number
            for amount in assessment.amounts:
                key = (id_number, employer_id, month, amount.insurance_type)
                covered.add(key)
                write(id_number, amount.insurance_type, assessment.wage_fen, assessment.base_fen, assessment.clamp,
                      amount.employer_fen, amount.employee_fen, versions.get(key, 0) + 1, line.line)

        result = _check_lines(employer=employer, month=month, raw_lines=raw_lines, sink=sink,
                              enrolments=enrolments, rates=rates)
        # Withdraw what the earlier version declared and this one does not (a person, or a type, left out).
        for id_number, insurance_type in dropped:
            key = (id_number, employer_id, month, insurance_type)
            if key in covered:
                continue
            covered.add(key)
            out.add(ledger.Row(
                id_number=id_number, employer_id=employer_id, month=month, insurance_type=insurance_type,
                wage_fen=0, base_fen=0, clamp="", employer_fen=0, employee_fen=0, status=LedgerEntry.Status.VOID,
                version=versions.get(key, 0) + 1, created_at=now, declaration_id=declaration.pk,
                voucher_id=voucher.pk, line_no=0, operator_id=user.pk,
                reason=f"amended by version {declaration.version}"))
    return result


def page_csv(lines: list[tuple[str, str, str]]) -> bytes:
    """The lines entered on the page as the UTF-8 CSV an upload would be (the voucher of a page entry)."""
    stream = io.StringIO(newline="")
    out = csv_writer(stream, lineterminator="\r\n")
    out.writerow(rules.CHINESE_HEADER)
    for id_number, name, wage in lines:
        out.writerow([(id_number or "").strip(), (name or "").strip(), (wage or "").strip()])
    return stream.getvalue().encode("utf-8")


def declare_lines(*, user, employer: Employer, month, lines: list[tuple[str, str, str]],
                  request=None) -> Declaration:
    """Declare the wages entered on the page: (ID number, name, wage) per employee, written as the CSV the upload
    would accept (that CSV is the voucher), then declared like a file."""
    month = month_of(month)
    filename = f"declaration-{employer.credit_code}-{month:%Y%m}.csv"
    return declare(user=user, employer=employer, month=month, filename=filename, content=page_csv(lines),
                   request=request, source="page")


def bill_number(declaration: Declaration) -> str:
    return f"B{declaration.employer.credit_code}{declaration.month:%Y%m}v{declaration.version}"


def confirm(*, user, declaration: Declaration, request=None) -> Bill:
    """Confirm the latest assessed version of a month: its bill (number, totals, due date). Confirming again
    returns the same bill."""
    employer = declaration.employer
    acting_membership(user=user, employer=employer)
    with transaction.atomic():
        Employer.objects.select_for_update().filter(pk=employer.pk).first()
        locked = Declaration.objects.select_related("employer").get(pk=declaration.pk)
        existing = Bill.objects.filter(declaration=locked).first()
        if existing is not None:
            return existing
        newer = Declaration.objects.filter(employer=employer, month=locked.month, version__gt=locked.version)
        if locked.state != Declaration.State.ASSESSED or newer.exists():
            raise RecordsError("not_latest", MSG_NOT_LATEST)
        rates = _rates(employer, locked.month)
        if rates is None:
            raise RecordsError("no_rates", MSG_NO_RATES, {"year": locked.month.year})
        now = timezone.now()
        bill = Bill.objects.create(
            employer=employer, declaration=locked, month=locked.month, number=bill_number(locked),
            employer_fen=locked.employer_fen, employee_fen=locked.employee_fen,
            due_date=due_date(locked.month, rates), state=Bill.State.OPEN, created_at=now)
        Declaration.objects.filter(pk=locked.pk).update(state=Declaration.State.CONFIRMED, confirmed_by=user,
                                                        confirmed_at=now)
        record_event(event_type="records.declaration_confirmed", actor=user, request=request,
                     subject_type="employer", subject_id=employer.credit_code,
                     data={"month": format_month(locked.month), "version": locked.version, "bill": bill.number,
                           "total_fen": bill.total_fen})
    return bill
