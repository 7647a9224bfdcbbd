"""Reads of reference data that more than one feature app needs.

The service settings, the stage table and the holiday calendar are read on every look-up, form page or
deadline and change a few times a year: kept in a short-lived configuration cache (`sscard.core.configcache`),
dropped whenever one of their rows is saved or deleted (the receivers are connected in `apps.py`). Callers must
not modify what they get.
"""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from sscard.core.configcache import ConfigurationCache
from sscard.domain import casestates, workdays
from sscard.domain.casestates import Plain

from .models import Holiday, Outlet, PartnerBank, ServiceSettings, SettlementPolicy, Stage

# The keys keep the names they had when these readers lived in `applications`: during a rolling deploy the old
# and the new processes read and forget the same shared entries.
SETTINGS_CACHE_KEY = "applications:config:settings:v1"
STAGES_CACHE_KEY = "applications:config:stages:v1"
HOLIDAYS_CACHE_KEY = "applications:config:holidays:v1"
SETTLEMENT_POLICIES_CACHE_KEY = "reference:config:settlement-policies:v1"
_config_cache = ConfigurationCache([SETTINGS_CACHE_KEY, STAGES_CACHE_KEY, HOLIDAYS_CACHE_KEY,
                                    SETTLEMENT_POLICIES_CACHE_KEY])
_configuration = _config_cache.get
forget_configuration = _config_cache.forget  # the signal receiver (apps.py)
CACHED_MODELS = (ServiceSettings, Stage, Holiday, SettlementPolicy)  # whose rows, saved or deleted, call forget_configuration


def service_settings() -> ServiceSettings:
    return _configuration(SETTINGS_CACHE_KEY, ServiceSettings.load)


def active_banks() -> QuerySet[PartnerBank]:
    return PartnerBank.objects.filter(active=True)


def active_outlets() -> QuerySet[Outlet]:
    return Outlet.objects.filter(active=True)


def _load_holidays() -> tuple[frozenset[date], frozenset[date]]:
    holidays, makeup = set(), set()
    for day, is_workday in Holiday.objects.values_list("date", "is_workday"):
        (makeup if is_workday else holidays).add(day)
    return frozenset(holidays), frozenset(makeup)


def holiday_sets() -> tuple[frozenset[date], frozenset[date]]:
    """(public holidays, make-up working days) of the calendar. Cached like the settings (a few dozen rows a
    year, read by every deadline and expected date)."""
    return _configuration(HOLIDAYS_CACHE_KEY, _load_holidays)


def expected_completion(start: date, processing_days: int | None = None) -> date:
    """The day `processing_days` working days (default: the service settings') after `start`, on the holiday
    calendar."""
    if processing_days is None:
        processing_days = service_settings().processing_days
    holidays, makeup = holiday_sets()
    return workdays.add_working_days(start, processing_days, holidays, makeup)


def stage_map() -> dict[str, str]:
    """Each state's plain stage (what the citizen sees), as configured in the Stage table."""
    return _configuration(STAGES_CACHE_KEY, lambda: dict(Stage.objects.values_list("code", "plain_stage")))


def plain_stage_of(state: str, stages: dict[str, str] | None = None) -> str:
    """The plain stage of a case state: the Stage table's, else the domain default's."""
    stages = stage_map() if stages is None else stages
    plain = stages.get(state)
    if plain is not None:
        return plain
    for default in casestates.DEFAULT_STAGES:
        if default.state == state:
            return default.plain
    return Plain.SUBMITTED


def stage_order() -> list[str]:
    """Every case state in the order the stage table gives it (`Stage.order`, edited in the admin); a state
    without a row keeps its place from the domain defaults, after the configured ones."""
    configured = list(Stage.objects.order_by("order", "id").values_list("code", flat=True))
    known = set(configured)
    defaults = [s.state.value for s in sorted(casestates.DEFAULT_STAGES, key=lambda s: s.order)]
    return [code for code in configured if code in set(defaults)] + [s for s in defaults if s not in known]


class NoRatesError(LookupError):
    """No contribution rates are configured for the year (neither for the city nor the province)."""


def contribution_rates(year: int, district_code: str = ""):
    """The domain `Rates` of a year for a district: the city's row where there is one, else the province's."""
    from .models import ContributionRate

    rows = {row.city_code: row for row in ContributionRate.objects.filter(year=year,
                                                                         city_code__in=["", district_code[:4]])}
    row = rows.get(district_code[:4]) or rows.get("")
    if row is None:
        raise NoRatesError(year)
    return row.as_rates()


class NoSettlementPolicyError(LookupError):
    """No settlement policy is configured for the year (neither for the city nor the province)."""


def _load_settlement_policies() -> dict[tuple[int, str], dict]:
    return {(row.year, row.city_code): row.as_values() for row in SettlementPolicy.objects.all()}


def settlement_policy(year: int, district_code: str = ""):
    """The domain `SettlementPolicy` of a year for a district (6-digit code, or a 4-digit city): the city's row
    where there is one, else the province's. Read on every settlement: the rows (a few a year) are kept in the
    configuration cache as plain values, dropped when a row is saved or deleted."""
    from sscard.domain.settlement import policy_from_values

    policies = _configuration(SETTLEMENT_POLICIES_CACHE_KEY, _load_settlement_policies)
    values = policies.get((year, district_code[:4])) or policies.get((year, ""))
    if values is None:
        raise NoSettlementPolicyError(year)
    built = _built_policies.get(id(values))
    if built is None or built[0] is not values:  # the cache's copy changed: build the policy again
        built = (values, policy_from_values(values))
        if len(_built_policies) > 64:
            _built_policies.clear()
        _built_policies[id(values)] = built
    return built[1]


# The domain policies built from the cached values, by the values' identity: the configuration cache hands out the
# same values object while its local copy is fresh, so the (frozen) policy is built once per copy, not per call.
_built_policies: dict[int, tuple[dict, object]] = {}
