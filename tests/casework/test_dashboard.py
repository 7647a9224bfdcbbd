"""The supervisor dashboard: counts per stage, processing times in working days, overdue list, CSV export."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from sscard.applications.models import Application, StatusChange
from sscard.casework import selectors
from sscard.domain.casestates import State

from .conftest import new_application, staff_client

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def test_percentile_is_the_nearest_rank():
    assert selectors.percentile([], 90) is None
    assert selectors.percentile([5], 90) == 5
    assert selectors.percentile(list(range(1, 11)), 90) == 9
    assert selectors.percentile([1, 2, 3, 100], 90) == 100


def test_counts_times_and_overdue(supervisor):
    late = new_application(state=State.UNDER_REVIEW)
    Application.objects.filter(pk=late.pk).update(expected_completion=date(2020, 1, 1))
    done = new_application(state=State.READY_FOR_PICKUP)
    # Submitted Monday 2026-11-02, collected Friday 2026-11-13: 9 working days.
    Application.objects.filter(pk=done.pk).update(submitted_at=datetime(2026, 11, 2, 9, tzinfo=TZ))
    StatusChange.objects.filter(application=done).update(at=datetime(2026, 11, 2, 9, tzinfo=TZ))
    StatusChange.objects.create(application=done, from_state=State.READY_FOR_PICKUP, to_state=State.COLLECTED,
                                role="clerk", at=datetime(2026, 11, 13, 10, tzinfo=TZ))
    Application.objects.filter(pk=done.pk).update(state=State.COLLECTED)
    board = selectors.dashboard(supervisor)
    counts = {s.state: s.count for s in board.stages}
    assert counts[State.UNDER_REVIEW] == 1 and counts[State.COLLECTED] == 1
    assert [a.pk for a in board.overdue] == [late.pk]
    assert board.total_samples == 1 and board.total_average == 9 and board.total_p90 == 9
    review = next(s for s in board.stages if s.state == State.UNDER_REVIEW)
    assert review.overdue == 1


def test_dashboard_page_and_streamed_csv(supervisor, auditor, reviewer):
    late = new_application(state=State.UNDER_REVIEW)
    Application.objects.filter(pk=late.pk).update(expected_completion=date.today() - timedelta(days=3))
    c = staff_client(supervisor)
    assert "Supervisor dashboard" in c.get(reverse("casework:dashboard")).content.decode()
    response = c.get(reverse("casework:dashboard_csv", args=["overdue"]))
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    assert late.display_code in body and body.startswith("\ufeffoffice_code,stage")
    stages = b"".join(c.get(reverse("casework:dashboard_csv", args=["stages"])).streaming_content).decode()
    assert "under_review" in stages and "p90_working_days" in stages
    assert staff_client(auditor).get(reverse("casework:dashboard")).status_code == 200
    assert staff_client(reviewer).get(reverse("casework:dashboard")).status_code == 403
