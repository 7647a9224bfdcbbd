"""Medical settlement at designated institutions (docs/settlement.md, "The settlement API").

- `InstitutionKey`: an institution's signing keys (key id + secret, the secret kept encrypted with the server's
  key: HMAC needs the secret itself). Two may be active at once while an institution rotates its key.
- `PersonYear`: what a person's live settlements of a year add up to (`domain.settlement.YearState` without the
  balance, which is the records' medical account). Its row is locked (SELECT ... FOR UPDATE) by every settlement
  and cancellation of the person's year: concurrent settlements never exceed the caps nor overdraw the account.
- `Visit`: a registration (2201), outpatient visit or inpatient admission.
- `Voucher`: one settlement or one cancellation. Append-only (database guard, migration 0001): a cancellation is
  a row of its own, naming the settlement it cancels, at most once (unique constraint).
- `Message`: the answer given to an institution's message id (`msgid`): the same msgid again gets it again.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sscard.domain.masking import mask_id_number


class InstitutionKey(models.Model):
    institution = models.ForeignKey("reference.DesignatedInstitution", on_delete=models.PROTECT,
                                    related_name="settlement_keys")
    key_id = models.CharField(_("key id"), max_length=32, unique=True)
    secret_encrypted = models.BinaryField()
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("institution key")
        verbose_name_plural = _("institution keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.key_id


class PersonYear(models.Model):
    id_number = models.CharField(max_length=18)
    year = models.PositiveSmallIntegerField()
    admissions = models.PositiveIntegerField(default=0)
    deductible_used_fen = models.BigIntegerField(default=0)
    fund_paid_fen = models.BigIntegerField(default=0)
    outpatient_fund_paid_fen = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("person's settlement year")
        verbose_name_plural = _("persons' settlement years")
        constraints = [
            models.UniqueConstraint(fields=["id_number", "year"], name="settlement_one_year_per_person"),
            models.CheckConstraint(condition=Q(admissions__gte=0) & Q(deductible_used_fen__gte=0)
                                   & Q(fund_paid_fen__gte=0) & Q(outpatient_fund_paid_fen__gte=0),
                                   name="settlement_year_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{mask_id_number(self.id_number)}:{self.year}"


class Visit(models.Model):
    class Kind(models.TextChoices):
        OUTPATIENT = "outpatient", _("Outpatient visit")
        INPATIENT = "inpatient", _("Inpatient admission")

    mdtrt_id = models.CharField(max_length=32, unique=True)
    institution = models.ForeignKey("reference.DesignatedInstitution", on_delete=models.PROTECT, related_name="+")
    id_number = models.CharField(max_length=18)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    begin_at = models.DateTimeField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [models.Index(fields=["id_number", "begin_at"], name="settlement_visit_person")]

    def __str__(self) -> str:
        return self.mdtrt_id


class Voucher(models.Model):
    """A settlement (`settle`) or the cancellation of one (`cancel`, amounts negated). Never updated."""

    class Kind(models.TextChoices):
        SETTLE = "settle", _("Settlement")
        CANCEL = "cancel", _("Cancellation")

    id = models.BigAutoField(primary_key=True)
    setl_id = models.CharField(max_length=32, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    cancels = models.CharField(max_length=32, blank=True, default="")  # the settlement's setl_id
    institution = models.ForeignKey("reference.DesignatedInstitution", on_delete=models.PROTECT, related_name="+",
                                    db_index=False)
    msgid = models.CharField(max_length=64)
    mdtrt_id = models.CharField(max_length=32, blank=True, default="")
    id_number = models.CharField(max_length=18)
    visit_kind = models.CharField(max_length=12)
    tier = models.CharField(max_length=12)
    status = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    day = models.DateField()  # the settlement day (reconciliation counts by it)
    medfee_sumamt = models.BigIntegerField()
    eligible_fen = models.BigIntegerField()
    fund_pay_sumamt = models.BigIntegerField()
    acct_pay = models.BigIntegerField()
    psn_cash_pay = models.BigIntegerField()
    deductible_fen = models.BigIntegerField()
    effect_admissions = models.SmallIntegerField(default=0)
    effect_outpatient_fund_fen = models.BigIntegerField(default=0)
    cap_left_fen = models.BigIntegerField(default=0)
    trace = models.JSONField(default=list)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("settlement voucher")
        verbose_name_plural = _("settlement vouchers")
        indexes = [models.Index(fields=["institution", "day"], name="settlement_voucher_inst_day"),
                   models.Index(fields=["id_number", "day"], name="settlement_voucher_person")]
        constraints = [models.UniqueConstraint(fields=["cancels"], condition=~Q(cancels=""),
                                               name="settlement_cancelled_once")]

    def __str__(self) -> str:
        return self.setl_id


class Message(models.Model):
    """The answer to an institution's message: status and body, given again to a repeated msgid."""

    institution = models.ForeignKey("reference.DesignatedInstitution", on_delete=models.PROTECT, related_name="+",
                                    db_index=False)
    msgid = models.CharField(max_length=64)
    operation = models.CharField(max_length=8)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["institution", "msgid"], name="settlement_msgid_once")]

    def __str__(self) -> str:
        return f"{self.msgid}:{self.operation}"


APPEND_ONLY_TABLES = ("settlement_voucher",)
