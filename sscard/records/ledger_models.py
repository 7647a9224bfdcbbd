"""Art. 74 records, second part: vouchers, monthly declarations, bills and payments, the contribution ledger,
personal accounts and benefit records. Money in integer fen.

Append-only, enforced by the database (the audit log's guard, `sscard.audit.guard`): vouchers, ledger rows,
account movements and benefit records refuse UPDATE and DELETE. A correction is a new row (a new version).
Declarations and bills carry a state that their services move forward; their lines live in the ledger.

On PostgreSQL the ledger table is partitioned by year of the contribution month (migration 0003): a person's
page reads every year, so a few dozen yearly partitions keep the plan small where monthly ones would be
hundreds; a year is also the unit of the yearly statement and of retention. See docs/records.md.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sscard.domain.contributions import yuan
from sscard.domain.enrolment import INSURANCE_TYPES, format_month
from sscard.domain.masking import mask_id_number

TYPE_CHOICES = [(t, t) for t in INSURANCE_TYPES]


class Voucher(models.Model):
    """An original file, kept unchanged with its SHA-256: a declaration file (or the lines entered on the page,
    written as the CSV the page would have accepted) or a bank payment file."""

    class Kind(models.TextChoices):
        DECLARATION = "declaration", _("Declaration")
        PAYMENT = "payment", _("Payment file")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    employer = models.ForeignKey("records.Employer", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="vouchers")
    sha256 = models.CharField(max_length=64)
    filename = models.CharField(max_length=255)
    media_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        indexes = [models.Index(fields=["employer", "sha256"], name="records_voucher_sha")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.sha256[:12]}"


class Declaration(models.Model):
    """An employer's monthly declaration (one version of one month). An amendment is a new version; the earlier
    one becomes `superseded`. `assessed` -> `confirmed` (a bill) or `superseded`."""

    class State(models.TextChoices):
        ASSESSED = "assessed", _("Assessed, waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed: billed")
        SUPERSEDED = "superseded", _("Replaced by a later version")

    employer = models.ForeignKey("records.Employer", on_delete=models.PROTECT, related_name="declarations")
    month = models.DateField(_("month"))
    version = models.PositiveSmallIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.ASSESSED)
    source = models.CharField(_("source"), max_length=16)  # "page" or a declaration format plugin id
    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="declarations")
    line_count = models.PositiveIntegerField(default=0)
    employer_fen = models.BigIntegerField(default=0)
    employee_fen = models.BigIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        ordering = ["-month", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["employer", "month", "version"], name="records_one_declaration_version"),
        ]

    def __str__(self) -> str:
        return f"{self.employer_id}:{format_month(self.month)}:v{self.version}"

    @property
    def month_label(self) -> str:
        return format_month(self.month)

    @property
    def total_fen(self) -> int:
        return self.employer_fen + self.employee_fen


class Bill(models.Model):
    """What a confirmed declaration asks the employer to pay. `open` -> `paid`; an open bill past its due date is
    `arrears` (late fees accrue until paid); an amendment supersedes an unpaid bill."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        PAID = "paid", _("Paid")
        ARREARS = "arrears", _("In arrears")
        SUPERSEDED = "superseded", _("Replaced by a later version")

    employer = models.ForeignKey("records.Employer", on_delete=models.PROTECT, related_name="bills")
    declaration = models.OneToOneField(Declaration, on_delete=models.PROTECT, related_name="bill")
    month = models.DateField(_("month"))
    number = models.CharField(_("bill number"), max_length=32, unique=True)
    employer_fen = models.BigIntegerField()
    employee_fen = models.BigIntegerField()
    due_date = models.DateField(_("due date"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        ordering = ["-month", "-pk"]
        indexes = [models.Index(fields=["state", "due_date"], name="records_bill_state_due")]

    def __str__(self) -> str:
        return self.number

    @property
    def total_fen(self) -> int:
        return self.employer_fen + self.employee_fen

    @property
    def total_yuan(self) -> str:
        return yuan(self.total_fen)


class Payment(models.Model):
    """A payment of a bill: a line of a bank payment file (its voucher) or a staff entry. Append-only."""

    class Source(models.TextChoices):
        BANK_FILE = "bank_file", _("Bank payment file")
        STAFF = "staff", _("Staff entry")

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="payments")
    source = models.CharField(max_length=16, choices=Source.choices)
    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, null=True, blank=True, related_name="payments")
    reference = models.CharField(_("bank reference"), max_length=64, unique=True)
    amount_fen = models.BigIntegerField()
    late_fee_fen = models.BigIntegerField(default=0)
    paid_on = models.DateField(_("paid on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        permissions = [
            ("record_payment", "Can import bank payment files and enter payments of bills of their areas"),
            ("correct_ledger", "Can correct a contribution ledger row (a new version with a reason)"),
        ]

    def __str__(self) -> str:
        return self.reference


class LedgerEntry(models.Model):
    """One row of the contribution ledger: a person's contribution to one insurance type for one month with one
    employer, in one version. Never updated: paying, falling into arrears and correcting append a row with the
    next version; the row with the highest version is the record (`selectors.current_ledger`)."""

    class Status(models.TextChoices):
        ASSESSED = "assessed", _("Assessed")
        PAID = "paid", _("Paid")
        ARREARS = "arrears", _("In arrears")
        VOID = "void", _("Withdrawn by an amendment")

    id = models.BigAutoField(primary_key=True)
    id_number = models.CharField(max_length=18)
    employer = models.ForeignKey("records.Employer", on_delete=models.PROTECT, related_name="+", db_index=False)
    month = models.DateField()
    insurance_type = models.CharField(max_length=12, choices=TYPE_CHOICES)
    wage_fen = models.BigIntegerField()
    base_fen = models.BigIntegerField()
    clamp = models.CharField(max_length=8, blank=True, default="")
    employer_fen = models.BigIntegerField()
    employee_fen = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices)
    version = models.PositiveSmallIntegerField()
    declaration = models.ForeignKey(Declaration, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    db_index=False)
    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                db_index=False)
    line_no = models.PositiveIntegerField(default=0)
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", db_index=False)
    reason = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [
            models.Index(fields=["id_number", "month"], name="records_ledger_person_month"),
            models.Index(fields=["employer", "month"], name="records_ledger_employer_month"),
        ]

    def __str__(self) -> str:
        return f"{mask_id_number(self.id_number)}:{format_month(self.month)}:{self.insurance_type}:v{self.version}"


class AccountMovement(models.Model):
    """A credit or debit of a personal account (pension or medical). Append-only; the balance at any date is
    the sum of the movements up to that day, kept as a running balance in `AccountBalance`."""

    class Account(models.TextChoices):
        PENSION = "pension", _("Pension account")
        MEDICAL = "medical", _("Medical account")

    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("Contribution")
        INTEREST = "interest", _("Interest")
        CORRECTION = "correction", _("Correction")
        SETTLEMENT = "settlement", _("Medical settlement")

    id = models.BigAutoField(primary_key=True)
    id_number = models.CharField(max_length=18)
    account = models.CharField(max_length=8, choices=Account.choices)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    day = models.DateField()
    month = models.DateField(null=True, blank=True)  # the contribution month a contribution credits
    amount_fen = models.BigIntegerField()
    ledger_entry_id = models.BigIntegerField(null=True, blank=True)
    source_ref = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("account movement")
        verbose_name_plural = _("account movements")
        indexes = [models.Index(fields=["id_number", "account", "day"], name="records_movement_person_day")]
        constraints = [
            # A ledger row credits an account once; an interest or settlement reference moves it once.
            models.UniqueConstraint(fields=["account", "ledger_entry_id"], condition=Q(ledger_entry_id__isnull=False),
                                    name="records_movement_once_per_ledger_row"),
            models.UniqueConstraint(fields=["account", "id_number", "source_ref"], condition=~Q(source_ref=""),
                                    name="records_movement_once_per_source"),
        ]

    def __str__(self) -> str:
        return f"{mask_id_number(self.id_number)}:{self.account}:{self.kind}:{yuan(self.amount_fen)}"


class AccountBalance(models.Model):
    """The running balance of a personal account, kept with each movement; `manage.py reconcile_accounts` checks
    it against the ledger and the movements."""

    id_number = models.CharField(max_length=18)
    account = models.CharField(max_length=8, choices=AccountMovement.Account.choices)
    balance_fen = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("account balance")
        verbose_name_plural = _("account balances")
        constraints = [models.UniqueConstraint(fields=["id_number", "account"], name="records_one_balance")]

    def __str__(self) -> str:
        return f"{mask_id_number(self.id_number)}:{self.account}:{yuan(self.balance_fen)}"


class BenefitRecord(models.Model):
    """A benefit enjoyed (a medical settlement, later pensions and unemployment benefits). Append-only; a
    reversal (a cancelled settlement) is a row with a negative amount and its own reference."""

    id = models.BigAutoField(primary_key=True)
    id_number = models.CharField(max_length=18)
    benefit_type = models.CharField(max_length=32)
    period_start = models.DateField()
    period_end = models.DateField()
    amount_fen = models.BigIntegerField()
    source_type = models.CharField(max_length=32)
    source_ref = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("benefit record")
        verbose_name_plural = _("benefit records")
        indexes = [models.Index(fields=["id_number", "period_start"], name="records_benefit_person")]
        constraints = [models.UniqueConstraint(fields=["source_type", "source_ref"], name="records_benefit_once")]

    def __str__(self) -> str:
        return f"{mask_id_number(self.id_number)}:{self.benefit_type}:{self.source_ref}"


# Tables whose rows are never updated nor deleted (database-enforced, migration 0003).
APPEND_ONLY_TABLES = ("records_voucher", "records_payment", "records_ledgerentry", "records_accountmovement",
                      "records_benefitrecord")
