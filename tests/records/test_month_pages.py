"""An employer's month, read in the database: its totals summed by SQL, its people paged 50 to a page in line
order, the current version of each (person, type) chosen in the query; the employer's month view and the staff
month page both paged.

Figures by hand (Wuhan 2026: floor 4,380.00; class 3: work injury 0.7 %), per person
(employer / employee, fen):
  wage 6,500.00:               pension 104,000 / 52,000; medical 52,000 / 13,000; unemployment 4,550 / 1,950;
                               work injury 4,550 / 0
  wage 3,000.00 -> 4,380.00:   pension 70,080 / 35,040; medical 35,040 / 8,760; unemployment 3,066 / 1,314;
                               work injury 3,066 / 0
Version 1 of March 2026: lines 1-50 at 6,500.00, line 51 at 3,000.00 (51 people: pages of 50 and 1):
  pension 50 x 104,000 + 70,080 = 5,270,080 / 50 x 52,000 + 35,040 = 2,635,040
  medical 50 x 52,000 + 35,040 = 2,635,040 / 50 x 13,000 + 8,760 = 658,760
  unemployment 50 x 4,550 + 3,066 = 230,566 / 50 x 1,950 + 1,314 = 98,814
  work injury 230,566 / 0
Version 2 leaves line 1's person out (void) and declares line 51's at 6,500.00: 50 people at 6,500.00, one page:
  pension 5,200,000 / 2,600,000; medical 2,600,000 / 650,000; unemployment 227,500 / 97,500; work injury 227,500 / 0
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from sscard.domain.idnumber import make_id_number
from sscard.domain.masking import mask_id_number
from sscard.records.declarations import selectors
from sscard.records.declarations import services as declarations
from sscard.records.selectors import employer_for_staff, employer_month_for_staff

from .conftest import approved_employer, new_officer, staff_client
from .conftest_ledger import _enrolled

pytestmark = pytest.mark.django_db
MARCH = date(2026, 3, 1)
TYPES = ["pension", "medical", "unemployment", "work_injury"]
V1_TOTALS = {"pension": (5_270_080, 2_635_040), "medical": (2_635_040, 658_760),
             "unemployment": (230_566, 98_814), "work_injury": (230_566, 0)}
V2_TOTALS = {"pension": (5_200_000, 2_600_000), "medical": (2_600_000, 650_000),
             "unemployment": (227_500, 97_500), "work_injury": (227_500, 0)}


@pytest.fixture
def month():
    """An employer with 51 people enrolled and version 1 of March 2026 declared (see the module's figures)."""
    employer = approved_employer()
    people = [(make_id_number("420106", date(1985, 5, 5), 200 + n), f"职工{n:02d}") for n in range(51)]
    for id_number, name in people:
        _enrolled(employer, employer.registered_by, id_number, name, TYPES, MARCH)
    lines = [(id_number, name, "6500.00") for id_number, name in people[:50]] + [(*people[50], "3000.00")]
    v1 = declarations.declare_lines(user=employer.registered_by, employer=employer, month=MARCH, lines=lines)
    return employer, people, v1


def test_the_month_is_summed_in_the_database_and_paged_fifty_people_to_a_page(month, django_assert_max_num_queries):
    employer, people, _v1 = month
    with django_assert_max_num_queries(3):  # totals, the page of people with their rows, their names
        first = selectors.lines(employer, MARCH, page=1)
        rows = list(first.page.object_list)
    assert first.person_count == 51 and first.totals == V1_TOTALS
    assert (first.employer_fen, first.employee_fen) == (8_366_252, 3_392_614)
    assert first.page.paginator.num_pages == 2 and len(rows) == 50
    assert [line.line_no for line in rows] == list(range(2, 52))  # in the file's line order (line 1: its header)
    assert rows[0].amounts == {"pension": (104_000, 52_000), "medical": (52_000, 13_000),
                               "unemployment": (4_550, 1_950), "work_injury": (4_550, 0)}
    assert rows[0].masked_id_number.startswith("420106") and rows[0].masked_id_number != people[0][0]
    second = selectors.lines(employer, MARCH, page="2").page.object_list
    assert len(second) == 1
    assert (second[0].line_no, second[0].wage_fen, second[0].base_fen, second[0].clamp) == (52, 300_000, 438_000,
                                                                                          "floor")
    assert second[0].amounts == {"pension": (70_080, 35_040), "medical": (35_040, 8_760),
                                 "unemployment": (3_066, 1_314), "work_injury": (3_066, 0)}
    assert second[0].masked_name == "职***"  # 职工50, masked
    assert len(selectors.lines(employer, MARCH, page="99").page.object_list) == 1  # past the end: the last page


def test_the_current_record_is_the_highest_version_and_a_version_keeps_its_own_lines(month):
    employer, people, v1 = month
    lines = [(id_number, name, "6500.00") for id_number, name in people[1:]]
    v2 = declarations.declare_lines(user=employer.registered_by, employer=employer, month=MARCH, lines=lines)
    current = selectors.lines(employer, MARCH)
    assert current.person_count == 50 and current.totals == V2_TOTALS
    assert current.page.paginator.num_pages == 1
    shown = [line.masked_id_number for line in current.page.object_list]
    assert mask_id_number(people[0][0]) not in shown and shown[0] == mask_id_number(people[1][0])
    by_version = selectors.lines(employer, MARCH, declaration=v1)
    assert by_version.person_count == 51 and by_version.totals == V1_TOTALS
    assert selectors.lines(employer, MARCH, declaration=v2).totals == V2_TOTALS


def test_the_staff_month_page_shows_fifty_people_a_page_with_their_four_rows(month):
    employer, _people, _v1 = month
    officer = new_officer()
    gated = employer_for_staff(officer, employer.pk)
    page = employer_month_for_staff(officer, gated, MARCH, page=1)
    assert page.paginator.count == 51 and page.paginator.num_pages == 2
    assert len(page.object_list) == 200
    assert [row.entry.insurance_type for row in page.object_list[:4]] == TYPES
    assert [row.entry.line_no for row in page.object_list[::4]] == list(range(2, 52))
    last = employer_month_for_staff(officer, gated, MARCH, page=2).object_list
    assert [(row.entry.line_no, row.entry.insurance_type, row.entry.employer_fen) for row in last] == [
        (52, "pension", 70_080), (52, "medical", 35_040), (52, "unemployment", 3_066), (52, "work_injury", 3_066)]
    client = staff_client(officer)
    url = reverse("casework:records_employer_month", kwargs={"pk": employer.pk, "month": "2026-03"})
    text = client.get(url).content.decode()
    assert "51 people" in text and 'href="?page=2"' in text and text.count('data-test="record-') == 200
    assert client.get(url + "?page=2").content.decode().count('data-test="record-') == 4
