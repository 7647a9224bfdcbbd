"""Service settings, banks, outlets, holidays and stages are data administrators edit, seeded with the
Wuhan defaults."""

from datetime import date

import pytest
from django.urls import reverse

from sscard.domain import casestates
from sscard.reference import selectors
from sscard.reference.models import Holiday, Outlet, PartnerBank, ServiceSettings, Stage
from tests.applications.helpers import edit

pytestmark = pytest.mark.django_db


def test_wuhan_defaults_are_seeded():
    settings_row = ServiceSettings.load()
    assert (settings_row.processing_days, settings_row.guardian_age, settings_row.photo_required_age,
            settings_row.photo_min_kb, settings_row.photo_max_kb, settings_row.replacement_fee_fen) == (
        30, 16, 7, 14, 40, 2000)
    assert PartnerBank.objects.count() == 10
    assert set(PartnerBank.objects.values_list("name", flat=True)) >= {"中国银行", "汉口银行", "湖北银行"}
    assert Outlet.objects.filter(city="武汉市").count() >= 3
    assert Holiday.objects.filter(date=date(2026, 10, 1), is_workday=False).exists()
    assert Holiday.objects.filter(date=date(2026, 2, 14), is_workday=True).exists()
    assert Holiday.objects.filter(date__year=2027).exists()


def test_stages_are_seeded_for_every_state_as_in_the_domain_defaults():
    seeded = {s.code: (s.order, s.plain_stage, s.lead_days, s.notify_citizen) for s in Stage.objects.all()}
    expected = {d.state.value: (d.order, d.plain.value, d.lead_days, d.notify_citizen)
                for d in casestates.DEFAULT_STAGES}
    assert seeded == expected


def test_the_plain_stage_is_data(db):
    assert selectors.plain_stage_of("bank_preopening") == "in_review"
    edit(Stage.objects.get(code="bank_preopening"), plain_stage="in_production")
    assert selectors.plain_stage_of("bank_preopening") == "in_production"


def test_expected_completion_counts_working_days_on_the_holiday_calendar():
    # From Wednesday 30 September 2026: the National Day week and the Saturday make-up day.
    assert selectors.expected_completion(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert selectors.expected_completion(date(2026, 9, 30), 3) == date(2026, 10, 10)
    Holiday.objects.create(date=date(2026, 10, 8), name="extra")
    assert selectors.expected_completion(date(2026, 9, 30), 1) == date(2026, 10, 9)


def test_the_service_page_shows_the_configured_values(client):
    edit(ServiceSettings.load(), processing_days=25, replacement_fee_fen=1550, transit_cities="武汉市\n宜昌市")
    Outlet.objects.create(name="测试网点", city="宜昌市", address="宜昌市某路 1 号", hours="9–17")
    PartnerBank.objects.filter(code="cmb").update(active=False)
    page = client.get(reverse("applications:service")).content.decode()
    assert "25 working days" in page and "15.50 yuan" in page and "宜昌市" in page and "测试网点" in page
    assert "China Merchants Bank" not in page
    assert "Online application" in page and reverse("applications:apply") in page


def test_the_settings_row_is_a_singleton():
    row = ServiceSettings(processing_days=10)
    row.save()
    assert ServiceSettings.objects.count() == 1 and ServiceSettings.load().processing_days == 10


def test_admin_pages_for_the_configuration_load(client, db):
    from sscard.accounts.models import User

    admin = User.objects.create_superuser(username="root", password="x-Strong-pass-1", email="")
    client.force_login(admin)
    for name in ("reference/servicesettings", "reference/partnerbank", "reference/outlet", "reference/holiday",
                 "reference/stage", "reference/manufacturer", "applications/application"):
        assert client.get(f"/django-admin/{name}/").status_code == 200, name
