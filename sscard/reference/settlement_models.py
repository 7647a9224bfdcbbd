"""Reference data of medical settlement: the yearly settlement policy (the figures `sscard.domain.settlement`
computes with) and the designated institutions (hospitals by tier and pharmacies, with their agreement), kept apart from models.py, which it would push past the size the house splits at. Imported by
models.py so Django sees it as the `reference` app's model."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext, gettext_lazy

from sscard.core.models import StatusHistoryRow
from sscard.domain import institutions as rules
from sscard.domain import regions
from sscard.domain.settlement import Tier

TIER_CHOICES = [
    (Tier.TIER3.value, gettext_lazy("Tier 3 hospital")),
    (Tier.TIER2.value, gettext_lazy("Tier 2 hospital")),
    (Tier.TIER1.value, gettext_lazy("Tier 1 hospital")),
    (Tier.COMMUNITY.value, gettext_lazy("Community health centre")),
    (Tier.PHARMACY.value, gettext_lazy("Retail pharmacy")),
]
AGREEMENT_STATE_CHOICES = [
    (rules.AgreementState.PENDING.value, gettext_lazy("Awaiting approval")),
    (rules.AgreementState.APPROVED.value, gettext_lazy("Approved")),
    (rules.AgreementState.SUSPENDED.value, gettext_lazy("Suspended")),
]


def _bp(label):
    return models.PositiveSmallIntegerField(label, validators=[MaxValueValidator(10_000)])


class SettlementPolicy(models.Model):
    """One year's settlement figures for a city (`city_code`, 4-digit GB/T 2260 prefix) or, with an empty city,
    the province's default. Money in fen, ratios in basis points (1 bp = 0.01 %). Seeded from domain.md's
    defaults (migration 0010); later years are added in the admin. The rules: `sscard.domain.settlement`."""

    year = models.PositiveSmallIntegerField(gettext_lazy("year"))
    city_code = models.CharField(gettext_lazy("city (GB/T 2260, 4 digits; empty: the province)"), max_length=4,
                                 blank=True, default="")
    deductible_tier3_fen = models.PositiveIntegerField(gettext_lazy("inpatient deductible, tier 3 hospital (fen)"))
    deductible_tier2_fen = models.PositiveIntegerField(gettext_lazy("inpatient deductible, tier 2 hospital (fen)"))
    deductible_tier1_fen = models.PositiveIntegerField(gettext_lazy("inpatient deductible, tier 1 hospital (fen)"))
    deductible_community_fen = models.PositiveIntegerField(
        gettext_lazy("inpatient deductible, community health centre (fen)"))
    repeat_admission_pct = models.PositiveSmallIntegerField(
        gettext_lazy("deductible from the second admission in a year (% of the first)"), default=50,
        validators=[MaxValueValidator(100)])
    inpatient_tier3_bp = _bp(gettext_lazy("inpatient ratio, tier 3, in work (bp)"))
    inpatient_tier2_bp = _bp(gettext_lazy("inpatient ratio, tier 2, in work (bp)"))
    inpatient_tier1_bp = _bp(gettext_lazy("inpatient ratio, tier 1, in work (bp)"))
    inpatient_community_bp = _bp(gettext_lazy("inpatient ratio, community, in work (bp)"))
    inpatient_retired_tier3_bp = _bp(gettext_lazy("inpatient ratio, tier 3, retired (bp)"))
    inpatient_retired_tier2_bp = _bp(gettext_lazy("inpatient ratio, tier 2, retired (bp)"))
    inpatient_retired_tier1_bp = _bp(gettext_lazy("inpatient ratio, tier 1, retired (bp)"))
    inpatient_retired_community_bp = _bp(gettext_lazy("inpatient ratio, community, retired (bp)"))
    annual_fund_cap_fen = models.PositiveIntegerField(gettext_lazy("annual pooled-fund cap (fen)"))
    outpatient_tier3_bp = _bp(gettext_lazy("general outpatient ratio, tier 3, in work (bp)"))
    outpatient_tier2_bp = _bp(gettext_lazy("general outpatient ratio, tier 2, in work (bp)"))
    outpatient_tier1_bp = _bp(gettext_lazy("general outpatient ratio, tier 1, in work (bp)"))
    outpatient_community_bp = _bp(gettext_lazy("general outpatient ratio, community, in work (bp)"))
    outpatient_pharmacy_bp = _bp(gettext_lazy("general outpatient ratio, pharmacy, in work (bp)"))
    outpatient_retired_tier3_bp = _bp(gettext_lazy("general outpatient ratio, tier 3, retired (bp)"))
    outpatient_retired_tier2_bp = _bp(gettext_lazy("general outpatient ratio, tier 2, retired (bp)"))
    outpatient_retired_tier1_bp = _bp(gettext_lazy("general outpatient ratio, tier 1, retired (bp)"))
    outpatient_retired_community_bp = _bp(gettext_lazy("general outpatient ratio, community, retired (bp)"))
    outpatient_retired_pharmacy_bp = _bp(gettext_lazy("general outpatient ratio, pharmacy, retired (bp)"))
    outpatient_cap_fen = models.PositiveIntegerField(gettext_lazy("general outpatient annual cap, in work (fen)"))
    outpatient_cap_retired_fen = models.PositiveIntegerField(
        gettext_lazy("general outpatient annual cap, retired (fen)"))

    class Meta:
        verbose_name = gettext_lazy("settlement policy")
        verbose_name_plural = gettext_lazy("settlement policies")
        ordering = ["-year", "city_code"]
        constraints = [models.UniqueConstraint(fields=["year", "city_code"],
                                               name="reference_one_settlement_policy_per_year_city")]

    def __str__(self) -> str:
        return f"{self.year} {self.city_code or '42'}"

    TIER_SUFFIXES = (("3", "tier3"), ("2", "tier2"), ("1", "tier1"), ("community", "community"))

    def as_values(self) -> dict:
        """The figures as plain data (what the configuration cache keeps): the domain policy's keyword
        arguments, mappings keyed by the tier and status codes."""
        hospitals = self.TIER_SUFFIXES
        outpatient = (*hospitals, ("pharmacy", "pharmacy"))
        return {
            "year": self.year,
            "inpatient_deductible_fen": {code: getattr(self, f"deductible_{s}_fen") for code, s in hospitals},
            "repeat_admission_pct": self.repeat_admission_pct,
            "inpatient_ratio_bp": {
                "in_work": {code: getattr(self, f"inpatient_{s}_bp") for code, s in hospitals},
                "retired": {code: getattr(self, f"inpatient_retired_{s}_bp") for code, s in hospitals}},
            "annual_fund_cap_fen": self.annual_fund_cap_fen,
            "outpatient_ratio_bp": {
                "in_work": {code: getattr(self, f"outpatient_{s}_bp") for code, s in outpatient},
                "retired": {code: getattr(self, f"outpatient_retired_{s}_bp") for code, s in outpatient}},
            "outpatient_cap_fen": {"in_work": self.outpatient_cap_fen, "retired": self.outpatient_cap_retired_fen},
        }

    def as_policy(self):
        """The domain's `SettlementPolicy` of this row."""
        from sscard.domain.settlement import policy_from_values

        return policy_from_values(self.as_values())


class DesignatedInstitution(models.Model):
    """A hospital, health centre or pharmacy with a medical insurance agreement (定点医药机构). Entered in the
    admin (awaiting approval); approved and suspended only through `reference.services` (audited, with a history
    row). Whether it may settle on a day: `sscard.domain.institutions.may_settle`."""

    code = models.CharField(gettext_lazy("institution code"), max_length=12, unique=True)
    name = models.CharField(gettext_lazy("name"), max_length=128)  # and name_zh_hans, name_es, name_en
    tier = models.CharField(gettext_lazy("tier"), max_length=12, choices=TIER_CHOICES)
    district_code = models.CharField(gettext_lazy("district code"), max_length=6)
    agreement_from = models.DateField(gettext_lazy("agreement valid from"))
    agreement_to = models.DateField(gettext_lazy("agreement valid to"))
    state = models.CharField(gettext_lazy("agreement state"), max_length=12, choices=AGREEMENT_STATE_CHOICES,
                             default=rules.AgreementState.PENDING.value, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = gettext_lazy("designated institution")
        verbose_name_plural = gettext_lazy("designated institutions")
        permissions = [("manage_institution_agreement", "Can approve and suspend designated institutions")]
        constraints = [models.CheckConstraint(condition=models.Q(agreement_to__gte=models.F("agreement_from")),
                                              name="reference_institution_agreement_dates")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self):
        errors = {}
        region = regions.get_region(self.district_code or "")
        if region is None or region.level != "county" or region.historical:
            errors["district_code"] = gettext("Choose a district (6-digit area code in use).")
        elif self.tier:
            problems = rules.code_problems(self.code, tier=self.tier, district_code=self.district_code)
            if problems:
                errors["code"] = [gettext(rules.MESSAGES[p]) for p in problems]
        if self.agreement_from and self.agreement_to and self.agreement_to < self.agreement_from:
            errors["agreement_to"] = gettext(rules.MESSAGES["dates"])
        if errors:
            raise ValidationError(errors)

    def may_settle(self, today):
        return rules.may_settle(self.state, self.agreement_from, self.agreement_to, today)


class InstitutionStateChange(StatusHistoryRow):
    """One approval or suspension of an institution's agreement: when, by whom, with the staff's note."""

    institution = models.ForeignKey(DesignatedInstitution, on_delete=models.PROTECT, related_name="state_changes")

    class Meta(StatusHistoryRow.Meta):
        verbose_name = gettext_lazy("institution agreement change")
        verbose_name_plural = gettext_lazy("institution agreement changes")
