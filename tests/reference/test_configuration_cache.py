"""The reference app reads its configuration rows (service settings, stages, holiday calendar) through a
short-lived cache and drops it itself when one of those rows is saved or deleted: the next read, in any app,
sees the administrator's change."""

from datetime import date

import pytest

from sscard.reference import selectors
from sscard.reference.models import Holiday, ServiceSettings, Stage

pytestmark = pytest.mark.django_db


def test_a_second_read_asks_the_database_nothing(django_assert_num_queries):
    selectors.service_settings(), selectors.stage_map(), selectors.holiday_sets()
    with django_assert_num_queries(0):
        assert selectors.service_settings().processing_days == 30  # the seeded Wuhan default
        assert selectors.stage_map()["bank_preopening"] == "in_review"
        assert date(2026, 10, 1) in selectors.holiday_sets()[0]


def test_saving_a_settings_row_drops_the_cached_one():
    assert selectors.service_settings().processing_days == 30
    row = ServiceSettings.load()
    row.processing_days = 12
    row.save()
    assert selectors.service_settings().processing_days == 12


def test_saving_or_deleting_a_stage_drops_the_cached_stage_map():
    assert selectors.stage_map()["bank_preopening"] == "in_review"
    stage = Stage.objects.get(code="bank_preopening")
    stage.plain_stage = "in_production"
    stage.save()
    assert selectors.stage_map()["bank_preopening"] == "in_production"
    stage.delete()
    assert "bank_preopening" not in selectors.stage_map()
    assert selectors.plain_stage_of("bank_preopening") == "in_review"  # the domain default again


def test_adding_or_deleting_a_holiday_drops_the_cached_calendar():
    # 2026-10-08 is a Thursday after the National Day week: a working day until it is made a holiday.
    assert date(2026, 10, 8) not in selectors.holiday_sets()[0]
    assert selectors.expected_completion(date(2026, 9, 30), 1) == date(2026, 10, 8)
    extra = Holiday.objects.create(date=date(2026, 10, 8), name="extra")
    assert date(2026, 10, 8) in selectors.holiday_sets()[0]
    assert selectors.expected_completion(date(2026, 9, 30), 1) == date(2026, 10, 9)
    extra.delete()
    assert selectors.expected_completion(date(2026, 9, 30), 1) == date(2026, 10, 8)
