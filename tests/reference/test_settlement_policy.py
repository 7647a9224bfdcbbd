"""The yearly settlement policy rows: seeded from domain.md's defaults, read as the domain's policy (a city's row
before the province's), kept in the configuration cache and edited in the admin."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from sscard.accounts import services as account_services
from sscard.domain.settlement import Claim, Kind, SettlementPolicy, Status, Tier, YearState, settle
from sscard.reference import selectors
from sscard.reference.models import SettlementPolicy as PolicyRow

pytestmark = pytest.mark.django_db


def test_the_seeded_years_are_domain_mds_defaults():
    assert sorted(PolicyRow.objects.values_list("year", "city_code")) == [(2024, ""), (2025, ""), (2026, "")]
    for year in (2024, 2025, 2026):
        assert selectors.settlement_policy(year) == SettlementPolicy(year=year)
    policy = selectors.settlement_policy(2026, "420106")
    # the figures domain.md gives, read through the table
    assert policy.inpatient_deductible_fen == {Tier.TIER3: 80_000, Tier.TIER2: 60_000, Tier.TIER1: 40_000,
                                               Tier.COMMUNITY: 20_000}
    assert policy.inpatient_ratio_bp[Status.IN_WORK][Tier.TIER3] == 8600
    assert policy.inpatient_ratio_bp[Status.RETIRED][Tier.TIER3] == 9000
    assert policy.annual_fund_cap_fen == 24_000_000
    assert policy.outpatient_cap_fen == {Status.IN_WORK: 350_000, Status.RETIRED: 450_000}
    assert policy.deductible_fen(Tier.TIER2, 2) == 30_000


def test_a_city_row_comes_before_the_province_row():
    row = PolicyRow.objects.get(year=2026, city_code="")
    row.pk, row.city_code, row.annual_fund_cap_fen, row.inpatient_retired_tier1_bp = None, "4201", 30_000_000, 9500
    row.save()
    wuhan = selectors.settlement_policy(2026, "420106")
    assert wuhan.annual_fund_cap_fen == 30_000_000
    assert wuhan.inpatient_ratio_bp[Status.RETIRED][Tier.TIER1] == 9500
    assert selectors.settlement_policy(2026, "420501").annual_fund_cap_fen == 24_000_000  # Yichang: the province
    assert selectors.settlement_policy(2026).annual_fund_cap_fen == 24_000_000


def test_a_ratio_above_100_percent_or_a_repeat_deductible_above_the_first_is_refused():
    row = PolicyRow.objects.get(year=2026, city_code="")
    row.inpatient_tier3_bp = 10_001
    row.repeat_admission_pct = 101
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert set(caught.value.message_dict) == {"inpatient_tier3_bp", "repeat_admission_pct"}


def test_a_year_without_a_policy_is_an_error():
    with pytest.raises(selectors.NoSettlementPolicyError):
        selectors.settlement_policy(2031, "420106")


def test_the_policy_is_cached_and_an_edited_row_is_read_at_once(django_assert_num_queries):
    selectors.settlement_policy(2026)
    with django_assert_num_queries(0):
        assert selectors.settlement_policy(2026).outpatient_cap_fen[Status.IN_WORK] == 350_000
    row = PolicyRow.objects.get(year=2026, city_code="")
    row.outpatient_cap_fen = 400_000
    row.save()
    assert selectors.settlement_policy(2026).outpatient_cap_fen[Status.IN_WORK] == 400_000


def test_the_policy_read_from_the_table_settles_the_worked_example():
    # docs/settlement.md example 1: tier 3, in work, first admission, bill 10,000.00 of which 9,000.00 eligible
    policy = selectors.settlement_policy(2026)
    result, _after = settle(policy, YearState(2026, account_balance_fen=50_000),
                            Claim(Kind.INPATIENT, Tier.TIER3, Status.IN_WORK, 1_000_000, 900_000, True))
    assert (result.fund_pay_sumamt, result.acct_pay, result.psn_cash_pay) == (705_200, 50_000, 244_800)


def test_administrators_see_and_edit_the_policy_but_cannot_delete_it(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    root = account_services.create_staff(username="root", password="Root-pass-2026-x", real_name="管理员",
                                         is_superuser=True)
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    listing = browser.get("/django-admin/reference/settlementpolicy/")
    assert listing.status_code == 200
    assert "settlement policies" in listing.content.decode().lower()
    row = PolicyRow.objects.get(year=2026, city_code="")
    page = browser.get(f"/django-admin/reference/settlementpolicy/{row.pk}/change/")
    assert page.status_code == 200
    assert "annual pooled-fund cap (fen)" in page.content.decode().lower()
    assert browser.get(f"/django-admin/reference/settlementpolicy/{row.pk}/delete/").status_code == 403


@pytest.mark.parametrize("language", ["zh-hans", "es"])
def test_every_settlement_message_is_translated(language):
    from django.utils import translation

    from sscard.domain.institutions import MESSAGES
    from sscard.domain.settlement import INELIGIBLE_MESSAGES, TRACE_MESSAGES, SettlementError
    from sscard.reference import services

    messages = [*INELIGIBLE_MESSAGES.values(), *SettlementError.MESSAGES.values(), *MESSAGES.values(),
                *TRACE_MESSAGES.values(),
                services.MSG_NOT_ALLOWED, services.MSG_NOTE_REQUIRED]
    with translation.override(language):
        untranslated = [m for m in messages if translation.gettext(m) == m]
    assert untranslated == []


def test_the_trace_is_read_in_the_readers_language():
    from django.utils import translation

    from sscard.domain.settlement import describe, pre_settle

    result = pre_settle(SettlementPolicy(year=2026), YearState(2026),
                        Claim(Kind.OUTPATIENT, Tier.TIER3, Status.IN_WORK, 10_000, 10_000, False))
    message, params = describe(result.trace[0])
    with translation.override("zh-hans"):
        assert translation.gettext(message) % params == "统筹基金按 55.00% 支付 100.00 元：55.00 元（四舍五入到分）。"
    with translation.override("es"):
        assert translation.gettext(message) % params == (
            "El fondo común paga el 55.00% de 100.00 yuanes: 55.00 yuanes (redondeado al fen, la mitad hacia arriba).")
