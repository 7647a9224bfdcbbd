"""Reference data: rows administrators edit in the admin and every feature app reads.

The service settings, partner banks, service outlets, the holiday calendar, the stage table and card
manufacturers. They were first written in `applications` (and `casework` for manufacturers) and moved here
in issue 10 with their tables unchanged (`db_table` keeps the old names; see migrations/0001_initial.py).
This app sits below the feature apps: it imports none of them.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from sscard.domain import casestates, regions
from sscard.domain.casestates import Plain, State

STATE_LABELS = {
    State.SUBMITTED: gettext_lazy("Submitted"),
    State.UNDER_REVIEW: gettext_lazy("Under review"),
    State.RETURNED: gettext_lazy("Returned for correction"),
    State.RESUBMITTED: gettext_lazy("Resubmitted"),
    State.BANK_PREOPENING: gettext_lazy("Bank account pre-opening"),
    State.BANK_FAILED: gettext_lazy("Bank check failed"),
    State.IN_PRODUCTION: gettext_lazy("In production"),
    State.READY_FOR_PICKUP: gettext_lazy("Ready for pick-up"),
    State.POSTED: gettext_lazy("Posted"),
    State.COLLECTED: gettext_lazy("Collected"),
    State.REJECTED: gettext_lazy("Rejected"),
    State.WITHDRAWN: gettext_lazy("Withdrawn"),
}
STATE_CHOICES = [(s.value, STATE_LABELS[s]) for s in State]

PLAIN_LABELS = {
    Plain.SUBMITTED: gettext_lazy("Submitted"),
    Plain.IN_REVIEW: gettext_lazy("Being reviewed"),
    Plain.ACTION_NEEDED: gettext_lazy("Your action is needed"),
    Plain.IN_PRODUCTION: gettext_lazy("Card being made"),
    Plain.READY: gettext_lazy("Card on its way / ready"),
    Plain.COMPLETED: gettext_lazy("Completed"),
    Plain.CLOSED: gettext_lazy("Closed"),
}
PLAIN_CHOICES = [(p.value, PLAIN_LABELS[p]) for p in Plain]

ROLE_CHOICES = [(r.value, r.value) for r in casestates.Role]


class ServiceSettings(models.Model):
    """The service's configurable values: one row, edited by administrators in the admin."""

    processing_days = models.PositiveSmallIntegerField(
        gettext_lazy("processing limit (working days)"), default=30)
    first_card_fee_fen = models.PositiveIntegerField(gettext_lazy("first card fee (fen)"), default=0)
    replacement_fee_fen = models.PositiveIntegerField(gettext_lazy("replacement fee (fen)"), default=2000)
    guardian_age = models.PositiveSmallIntegerField(
        gettext_lazy("a guardian applies below this age"), default=16)
    photo_required_age = models.PositiveSmallIntegerField(
        gettext_lazy("photo required from this age"), default=7)
    photo_min_kb = models.PositiveSmallIntegerField(gettext_lazy("photo file size minimum (KB)"), default=14)
    photo_max_kb = models.PositiveSmallIntegerField(gettext_lazy("photo file size maximum (KB)"), default=40)
    upload_max_mb = models.PositiveSmallIntegerField(gettext_lazy("largest photo upload (MB)"), default=10)
    transit_cities = models.TextField(
        gettext_lazy("cities where the card works as a bus card (one per line)"), blank=True, default="")
    progress_lookups_per_minute = models.PositiveSmallIntegerField(
        gettext_lazy("progress look-ups per client per minute"), default=30)
    temporary_loss_days = models.PositiveSmallIntegerField(
        gettext_lazy("a temporary loss report lapses after (days)"), default=7,
        validators=[MinValueValidator(1)])
    renewal_window_days = models.PositiveSmallIntegerField(
        gettext_lazy("a card can be renewed from this many days before its expiry"), default=60)
    renewal_fee_fen = models.PositiveIntegerField(gettext_lazy("renewal fee (fen)"), default=0)
    ecard_token_seconds = models.PositiveSmallIntegerField(
        gettext_lazy("an e-card QR code is valid for (seconds)"), default=60,
        validators=[MinValueValidator(15), MaxValueValidator(600)])
    objection_days = models.PositiveSmallIntegerField(
        gettext_lazy("an objection to a record is decided within (working days)"), default=15,
        validators=[MinValueValidator(1), MaxValueValidator(90)])
    consultation_days = models.PositiveSmallIntegerField(
        gettext_lazy("a consultation question is answered within (working days)"), default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "applications_servicesettings"  # the table it had in `applications`: moved without copying a row
        verbose_name = gettext_lazy("service settings")
        verbose_name_plural = gettext_lazy("service settings")

    def __str__(self) -> str:
        return str(_("Social security card service settings"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "ServiceSettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    def photo_required_for(self, age: int) -> bool:
        """Whether a person of `age` (in whole years) must have a photo on the card."""
        return age >= self.photo_required_age

    @property
    def transit_city_list(self) -> list[str]:
        return [line.strip() for line in self.transit_cities.splitlines() if line.strip()]

    @property
    def transit_city_names(self) -> list[str]:
        """The bus-card cities in the reader's language ("武汉市", "Wuhan"). A line names a city in Chinese or by
        its GB/T 2260 code; text after the Chinese name (the seed's "武汉市 Wuhan") is left out. A line that
        names no known city is shown as written."""
        language = get_language() or settings.LANGUAGE_CODE
        names = []
        for line in self.transit_city_list:
            first = line.split()[0]
            code = first if regions.get_region(first) else regions.city_code(first)
            names.append((regions.localized_name(code, language) or regions.localized_name(code, "zh"))
                         if code else line)
        return names

    @property
    def replacement_fee_yuan(self) -> str:
        return f"{self.replacement_fee_fen // 100}.{self.replacement_fee_fen % 100:02d}"

    @property
    def renewal_fee_yuan(self) -> str:
        return f"{self.renewal_fee_fen // 100}.{self.renewal_fee_fen % 100:02d}"

    @property
    def first_card_fee_yuan(self) -> str:
        return f"{self.first_card_fee_fen // 100}.{self.first_card_fee_fen % 100:02d}"


class LocalizedNameMixin:
    """`name` is translated (django-modeltranslation, see translation.py): it reads the reader's language,
    falling back to English, then Chinese. `label` adds the Chinese name, which is on the signs and
    the card, for a reader of another language."""

    @property
    def label(self) -> str:
        name, chinese = self.name, self.name_zh_hans or ""
        if (get_language() or "").startswith("zh") or not chinese or name == chinese:
            return name or chinese
        return f"{name} ({chinese})"


class PartnerBank(LocalizedNameMixin, models.Model):
    code = models.SlugField(unique=True)
    name = models.CharField(gettext_lazy("name"), max_length=96)  # and name_zh_hans, name_es, name_en
    order = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(default=True)

    class Meta:
        db_table = "applications_partnerbank"  # the table it had in `applications`: moved without copying a row
        ordering = ["order", "id"]
        verbose_name = gettext_lazy("partner bank")
        verbose_name_plural = gettext_lazy("partner banks")

    def __str__(self) -> str:
        return self.label


class Outlet(LocalizedNameMixin, models.Model):
    name = models.CharField(gettext_lazy("name"), max_length=128)  # and name_zh_hans, name_es, name_en
    city = models.CharField(gettext_lazy("city"), max_length=32)
    district_code = models.CharField(gettext_lazy("district code"), max_length=6, blank=True)
    address = models.CharField(gettext_lazy("address"), max_length=200)
    hours = models.CharField(gettext_lazy("opening hours"), max_length=120)
    phone = models.CharField(gettext_lazy("phone"), max_length=32, blank=True)
    order = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(default=True)

    class Meta:
        db_table = "applications_outlet"  # the table it had in `applications`: moved without copying a row
        ordering = ["order", "id"]
        verbose_name = gettext_lazy("service outlet")
        verbose_name_plural = gettext_lazy("service outlets")

    def __str__(self) -> str:
        return self.label


class Holiday(models.Model):
    """A public holiday, or (is_workday) a make-up working day on a weekend."""

    date = models.DateField(gettext_lazy("date"), unique=True)
    is_workday = models.BooleanField(gettext_lazy("make-up working day"), default=False)
    name = models.CharField(gettext_lazy("name"), max_length=64, blank=True)

    class Meta:
        db_table = "applications_holiday"  # the table it had in `applications`: moved without copying a row
        ordering = ["date"]
        verbose_name = gettext_lazy("holiday or make-up working day")
        verbose_name_plural = gettext_lazy("holiday calendar")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Stage(models.Model):
    """Configuration of one case state: its place in the workbench's stage lists (`order`), the plain stage
    the citizen sees, how many working days it usually takes (`lead_days`: the date the citizen is shown
    for the next step) and whether the citizen is notified. Its name is the translated label of the state
    (STATE_LABELS): a free-text label column could not follow the reader's language, so it was removed."""

    code = models.CharField(max_length=24, unique=True, choices=STATE_CHOICES)
    order = models.PositiveSmallIntegerField()
    plain_stage = models.CharField(gettext_lazy("stage the citizen sees"), max_length=24, choices=PLAIN_CHOICES)
    lead_days = models.PositiveSmallIntegerField(gettext_lazy("usual duration (working days)"), default=0)
    notify_citizen = models.BooleanField(gettext_lazy("notify the citizen"), default=False)

    class Meta:
        db_table = "applications_stage"  # the table it had in `applications`: moved without copying a row
        ordering = ["order"]
        verbose_name = gettext_lazy("stage")
        verbose_name_plural = gettext_lazy("stages")

    def __str__(self) -> str:
        return str(STATE_LABELS.get(self.code, self.code))


class Manufacturer(models.Model):
    """A card manufacturer, and the partner banks whose cards it makes (configuration as data)."""

    code = models.SlugField(unique=True)
    name = models.CharField(gettext_lazy("name"), max_length=96)
    banks = models.ManyToManyField(PartnerBank, blank=True, related_name="+")
    is_default = models.BooleanField(gettext_lazy("makes the cards of banks no other manufacturer takes"),
                                     default=False)
    active = models.BooleanField(default=True)

    class Meta:
        db_table = "casework_manufacturer"  # the table it had in `casework` (and casework_manufacturer_banks)
        ordering = ["code"]
        verbose_name = gettext_lazy("card manufacturer")
        verbose_name_plural = gettext_lazy("card manufacturers")

    def __str__(self) -> str:
        return self.name


class ContributionRate(models.Model):
    """One year's contribution figures for a city (`city_code`, the 4-digit GB/T 2260 prefix, e.g. "4201" Wuhan)
    or, with an empty city, the province's default. Money in fen, rates in basis points (1 bp = 0.01 %); the
    arithmetic is `sscard.domain.contributions`."""

    year = models.PositiveSmallIntegerField(gettext_lazy("year"))
    city_code = models.CharField(gettext_lazy("city (GB/T 2260, 4 digits; empty: the province)"), max_length=4,
                                 blank=True, default="")
    average_wage_fen = models.PositiveIntegerField(gettext_lazy("reference average monthly wage (fen)"))
    minimum_wage_fen = models.PositiveIntegerField(gettext_lazy("minimum monthly wage (fen)"))
    floor_pct = models.PositiveSmallIntegerField(gettext_lazy("base floor (% of the average)"), default=60)
    ceiling_pct = models.PositiveSmallIntegerField(gettext_lazy("base ceiling (% of the average)"), default=300)
    pension_employer_bp = models.PositiveSmallIntegerField(gettext_lazy("pension, employer (bp)"), default=1600)
    pension_employee_bp = models.PositiveSmallIntegerField(gettext_lazy("pension, employee (bp)"), default=800)
    medical_employer_bp = models.PositiveSmallIntegerField(gettext_lazy("medical, employer (bp)"), default=800)
    medical_employee_bp = models.PositiveSmallIntegerField(gettext_lazy("medical, employee (bp)"), default=200)
    unemployment_employer_bp = models.PositiveSmallIntegerField(gettext_lazy("unemployment, employer (bp)"),
                                                                default=70)
    unemployment_employee_bp = models.PositiveSmallIntegerField(gettext_lazy("unemployment, employee (bp)"),
                                                                default=30)
    medical_transfer_bp = models.PositiveSmallIntegerField(
        gettext_lazy("employer's medical share transferred to the personal account (bp of the base)"), default=0)
    late_fee_bp_per_day = models.PositiveSmallIntegerField(gettext_lazy("late fee per day (bp)"), default=5)
    pension_interest_bp = models.PositiveSmallIntegerField(gettext_lazy("pension account interest (bp a year)"),
                                                           default=0)
    medical_interest_bp = models.PositiveSmallIntegerField(gettext_lazy("medical account interest (bp a year)"),
                                                           default=0)
    due_day = models.PositiveSmallIntegerField(gettext_lazy("due day of the following month"), default=25,
                                               validators=[MinValueValidator(1), MaxValueValidator(28)])

    class Meta:
        verbose_name = gettext_lazy("contribution rates")
        verbose_name_plural = gettext_lazy("contribution rates")
        ordering = ["-year", "city_code"]
        constraints = [models.UniqueConstraint(fields=["year", "city_code"], name="reference_one_rate_per_year_city")]

    def __str__(self) -> str:
        return f"{self.year} {self.city_code or '42'}"

    def as_rates(self):
        """The domain's `Rates` of this row."""
        from sscard.domain.contributions import Rates

        return Rates(
            year=self.year, average_wage_fen=self.average_wage_fen, minimum_wage_fen=self.minimum_wage_fen,
            floor_pct=self.floor_pct, ceiling_pct=self.ceiling_pct,
            shares_bp={"pension": (self.pension_employer_bp, self.pension_employee_bp),
                       "medical": (self.medical_employer_bp, self.medical_employee_bp),
                       "unemployment": (self.unemployment_employer_bp, self.unemployment_employee_bp)},
            medical_transfer_bp=self.medical_transfer_bp, late_fee_bp_per_day=self.late_fee_bp_per_day,
            pension_interest_bp=self.pension_interest_bp, medical_interest_bp=self.medical_interest_bp,
            due_day=self.due_day)


class ConsultationCategory(LocalizedNameMixin, models.Model):
    """A category of the records' consultation (questions and FAQ entries). Translated (translation.py)."""

    code = models.SlugField(gettext_lazy("code"), max_length=32, unique=True)
    name = models.CharField(gettext_lazy("name"), max_length=64)
    order = models.PositiveSmallIntegerField(gettext_lazy("order"), default=0)
    active = models.BooleanField(gettext_lazy("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = gettext_lazy("consultation category")
        verbose_name_plural = gettext_lazy("consultation categories")

    def __str__(self) -> str:
        return self.code


class FaqEntry(models.Model):
    """A frequently asked question of the records' consultation, with its answer. Translated (translation.py)."""

    category = models.ForeignKey(ConsultationCategory, on_delete=models.PROTECT, related_name="faq")
    question = models.CharField(gettext_lazy("question"), max_length=255)
    answer = models.TextField(gettext_lazy("answer"))
    order = models.PositiveSmallIntegerField(gettext_lazy("order"), default=0)
    active = models.BooleanField(gettext_lazy("active"), default=True)

    class Meta:
        ordering = ["category__order", "order", "pk"]
        verbose_name = gettext_lazy("FAQ entry")
        verbose_name_plural = gettext_lazy("FAQ entries")

    def __str__(self) -> str:
        return self.question_zh_hans or self.question


# Medical settlement's reference data lives in its own module (this one is long enough); imported here so Django
# registers it with the app.
from .settlement_models import DesignatedInstitution, InstitutionStateChange, SettlementPolicy  # noqa: E402,F401
