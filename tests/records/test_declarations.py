"""Monthly declarations: files in CSV (UTF-8, UTF-8 with BOM, GBK) and XLSX are checked line by line, assessed,
and written whole or not at all; amendments, idempotent uploads and confirmation into a bill.

Figures by hand (rates 2026 as seeded, Wuhan 4201: average wage 7,300.00, minimum 2,340.00, so the base floor is
4,380.00 and the ceiling 21,900.00; employer of industry class 3, work injury 0.7 %; enrolled in all four types):

| person | wage      | base      | pension 16/8      | medical 8/2     | unemployment .7/.3 | work injury .7 | employer | employee |
| 张三   |  6,500.00 |  6,500.00 | 1,040.00 / 520.00 | 520.00 / 130.00 |  45.50 / 19.50     |  45.50         | 1,651.00 |   669.50 |
| 李四   |  3,000.00 |  4,380.00 |   700.80 / 350.40 | 350.40 /  87.60 |  30.66 / 13.14     |  30.66         | 1,112.52 |   451.14 |
| 王五   | 25,000.50 | 21,900.00 | 3,504.00 / 1,752.00 | 1,752.00 / 438.00 | 153.30 / 65.70 | 153.30         | 5,562.60 | 2,255.70 |
| total  |           |           |                   |                 |                    |                | 8,326.12 | 3,376.34 |
"""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from django.utils import timezone

from sscard.audit.models import AuditEvent
from sscard.records import services
from sscard.records.declarations import services as declarations
from sscard.records.models import Bill, Declaration, LedgerEntry, Voucher

from .conftest import MARCH_2026, approved_employer, new_citizen

pytestmark = pytest.mark.django_db

ALL_TYPES = ["pension", "medical", "unemployment", "work_injury"]
# (employer fen, employee fen) per type, by hand (the table above).
EXPECTED = {
    "张三": {"pension": (104_000, 52_000), "medical": (52_000, 13_000), "unemployment": (4_550, 1_950),
             "work_injury": (4_550, 0)},
    "李四": {"pension": (70_080, 35_040), "medical": (35_040, 8_760), "unemployment": (3_066, 1_314),
             "work_injury": (3_066, 0)},
    "王五": {"pension": (350_400, 175_200), "medical": (175_200, 43_800), "unemployment": (15_330, 6_570),
             "work_injury": (15_330, 0)},
}
BASES = {"张三": (650_000, 650_000, ""), "李四": (300_000, 438_000, "floor"), "王五": (2_500_050, 2_190_000, "ceiling")}


@pytest.fixture
def shop():
    """An approved employer (Wuchang, class 3), its representative, and three employees enrolled from January."""
    representative = new_citizen("赵六")
    employer = approved_employer(representative)
    people = {}
    for name in ("张三", "李四", "王五"):
        person = new_citizen(name)
        services.enrol(user=representative, employer=employer, id_number=person.id_number, name=name,
                       start_month=date(2026, 1, 1), types=ALL_TYPES)
        people[name] = person.id_number
    return employer, representative, people


def csv_bytes(rows, *, encoding="utf-8", header=("证件号码", "姓名", "缴费工资")) -> bytes:
    text = "\r\n".join(",".join(row) for row in [header, *rows]) + "\r\n"
    return text.encode(encoding)


def three_lines(people):
    return [(people["张三"], "张三", "6500.00"), (people["李四"], "李四", "3000"), (people["王五"], "王五", "25000.50")]


def counts():
    return Voucher.objects.count(), Declaration.objects.count(), LedgerEntry.objects.count()


def rejected(employer, user, *, filename="march.csv", content=b"", month=MARCH_2026):
    before = counts()
    with pytest.raises(declarations.DeclarationRejected) as caught:
        declarations.declare(user=user, employer=employer, month=month, filename=filename, content=content)
    assert counts() == before, "a refused declaration writes nothing"
    return [(e.line, e.column, e.code) for e in caught.value.errors], caught.value.errors


def assert_assessed(declaration, people):
    assert declaration.version == 1 and declaration.state == "assessed" and declaration.line_count == 3
    assert (declaration.employer_fen, declaration.employee_fen) == (832_612, 337_634)
    rows = LedgerEntry.objects.filter(declaration_id=declaration.pk)
    by_person = {name: {r.insurance_type: (r.employer_fen, r.employee_fen) for r in rows
                        if r.id_number == people[name]} for name in people}
    assert by_person == EXPECTED
    for name, (wage, base, clamp) in BASES.items():
        assert {(r.wage_fen, r.base_fen, r.clamp, r.status, r.version) for r in rows if r.id_number == people[name]} \
            == {(wage, base, clamp, "assessed", 1)}
    assert {r.voucher_id for r in rows} == {declaration.voucher_id}


# --- Accepted files -----------------------------------------------------------------------------------------

def test_a_gbk_csv_with_chinese_names_is_read_as_gbk_and_assessed(shop):
    employer, user, people = shop
    content = csv_bytes(three_lines(people), encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")  # the bytes are not UTF-8: read as UTF-8 they would be garbage
    declaration = declarations.declare(user=user, employer=employer, month=MARCH_2026, filename="三月.CSV",
                                       content=content)
    assert_assessed(declaration, people)
    voucher = declaration.voucher
    assert bytes(voucher.content) == content and voucher.kind == "declaration" and declaration.source == "csv"
    import hashlib
    assert voucher.sha256 == hashlib.sha256(content).hexdigest()
    event = AuditEvent.objects.filter(event_type="records.declared").get()
    assert event.data["month"] == "2026-03" and event.data["version"] == 1 and event.data["line_count"] == 3
    assert "张三" not in str(event.data) and people["张三"] not in str(event.data)


def test_a_utf8_csv_with_bom_and_english_headers_in_another_order_is_accepted(shop):
    employer, user, people = shop
    rows = [(wage, id_number, name) for id_number, name, wage in three_lines(people)]
    content = csv_bytes(rows, encoding="utf-8-sig", header=("wage", "id_number", "name"))
    declaration = declarations.declare(user=user, employer=employer, month=MARCH_2026, filename="m.csv",
                                       content=content)
    assert_assessed(declaration, people)


def test_a_utf8_file_is_not_misread_as_gbk(shop):
    employer, user, people = shop
    declaration = declarations.declare(user=user, employer=employer, month=MARCH_2026, filename="m.csv",
                                       content=csv_bytes(three_lines(people)))
    assert_assessed(declaration, people)  # the names matched the enrolments: decoded as UTF-8


def xlsx_bytes(rows, *, header=("证件号码", "姓名", "缴费工资"), formula_at=None, merge=None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    if formula_at:
        sheet[formula_at] = "=3000*2"
    if merge:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_xlsx_file_with_numbers_and_text_is_accepted(shop):
    employer, user, people = shop
    rows = [(people["张三"], "张三", 6500), (people["李四"], "李四", "3000.00"), (people["王五"], "王五", 25000.5)]
    declaration = declarations.declare(user=user, employer=employer, month=MARCH_2026, filename="march.xlsx",
                                       content=xlsx_bytes(rows))
    assert_assessed(declaration, people)
    assert declaration.source == "xlsx"


def test_an_xlsx_cell_holding_a_formula_is_refused_with_its_cell(shop):
    employer, user, people = shop
    rows = [(people["张三"], "张三", 6500), (people["李四"], "李四", 3000)]
    found, errors = rejected(employer, user, filename="m.xlsx", content=xlsx_bytes(rows, formula_at="C3"))
    assert found == [(3, "C3", "formula")]
    assert errors[0].params == {"cell": "C3"}


def test_merged_xlsx_cells_are_refused(shop):
    employer, user, people = shop
    rows = [(people["张三"], "张三", 6500), (people["李四"], "李四", 3000)]
    found, errors = rejected(employer, user, filename="m.xlsx", content=xlsx_bytes(rows, merge="B2:B3"))
    assert found == [(2, "B2", "merged")] and errors[0].params == {"cells": "B2:B3"}


def test_an_xlsx_error_names_the_cell(shop):
    employer, user, people = shop
    rows = [(people["张三"], "张三", 6500), (wrong_check_character(people["李四"]), "李四", 3000)]
    found, _ = rejected(employer, user, filename="m.xlsx", content=xlsx_bytes(rows))
    assert found == [(3, "A3", "id_number_checksum")]


# --- Refused files: every error with line and column, nothing written ---------------------------------------

def wrong_check_character(id_number: str) -> str:
    return id_number[:17] + ("0" if id_number[17] != "0" else "1")


def test_every_bad_line_is_listed_with_its_line_and_column_and_nothing_is_written(shop):
    employer, user, people = shop
    stranger = new_citizen("孙七").id_number  # a valid ID number, not enrolled with this employer
    rows = [
        (people["张三"], "张三", "6500.00"),                  # 2: fine
        (wrong_check_character(people["李四"]), "李四", "3000"),  # 3: wrong check character
        (stranger, "孙七", "5000"),                            # 4: not enrolled here
        (people["王五"], "王五", "2000.00"),                   # 5: below the minimum wage 2,340.00
        (people["张三"], "张三", "6500.00"),                   # 6: duplicate of line 2
        (people["李四"], "李小四", "3000"),                    # 7: name does not match the enrolment
        (people["王五"], "", "6500.123"),                      # 8: no name, three decimals (and duplicate of 5)
        ("", "某人", "abc"),                                   # 9: no ID number, wage not an amount
    ]
    found, errors = rejected(employer, user, content=csv_bytes(rows, encoding="gbk"))
    assert set(found) == {
        (3, "证件号码", "id_number_checksum"), (4, "证件号码", "not_enrolled"), (5, "缴费工资", "below_minimum"),
        (6, "证件号码", "duplicate_line"), (7, "姓名", "name_mismatch"), (8, "姓名", "name_empty"),
        (8, "缴费工资", "wage_format"), (8, "证件号码", "duplicate_line"), (9, "证件号码", "id_number_empty"),
        (9, "缴费工资", "wage_format"),
    }
    assert len(found) == 10
    duplicate = next(e for e in errors if e.line == 6)
    assert duplicate.params == {"first": 2, "line": 6}
    below = next(e for e in errors if e.code == "below_minimum")
    assert below.params == {"wage": "2000.00", "minimum": "2340.00"}


def test_a_month_in_the_future_is_refused_for_the_whole_page(shop):
    employer, user, people = shop
    today = timezone.localdate()
    next_month = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    found, _ = rejected(employer, user, content=csv_bytes(three_lines(people)), month=next_month)
    assert (0, "", "future_month") in found


def test_a_year_without_rates_is_refused(shop):
    from sscard.reference.models import ContributionRate

    employer, user, people = shop
    ContributionRate.objects.filter(year=2026).delete()
    found, errors = rejected(employer, user, content=csv_bytes(three_lines(people)))
    assert found == [(0, "", "no_rates")] and errors[0].params == {"year": 2026}


def test_an_extra_column_is_refused(shop):
    employer, user, people = shop
    content = csv_bytes([(*line, "x") for line in three_lines(people)], header=("证件号码", "姓名", "缴费工资", "备注"))
    found, _ = rejected(employer, user, content=content)
    assert found == [(1, "备注", "extra_column")]


def test_a_missing_column_is_refused(shop):
    employer, user, people = shop
    found, _ = rejected(employer, user, content=csv_bytes([(people["张三"], "张三")], header=("证件号码", "姓名")))
    assert found == [(1, "", "missing_column")]


@pytest.mark.parametrize("content", [
    "证件号码,姓名,缴费工资\r\n".encode("utf-16"),
    bytes(range(128, 256)) * 4,
    b"\x00\x01\x02binary\xff\xfe",
])
def test_text_that_is_neither_utf8_nor_gbk_gets_one_error(shop, content):
    employer, user, _ = shop
    found, errors = rejected(employer, user, content=content)
    assert found == [(0, "", "not_text")]
    assert errors[0].message == "The file is not UTF-8 or GBK text."


def test_another_file_type_is_refused(shop):
    employer, user, people = shop
    found, _ = rejected(employer, user, filename="march.xls", content=csv_bytes(three_lines(people)))
    assert found == [(0, "", "format")]


def test_the_errors_shown_are_capped(shop, client):
    from sscard.records.declarations.views import shown_errors

    errors = [declarations.rules.LineError.of(n, "缴费工资", "wage_format") for n in range(2, 252)]
    shown, more = shown_errors(errors)
    assert len(shown) == 200 and more == 50


# --- Idempotence, amendments, confirmation --------------------------------------------------------------------

def test_the_same_file_twice_makes_one_declaration(shop):
    employer, user, people = shop
    content = csv_bytes(three_lines(people), encoding="gbk")
    first = declarations.declare(user=user, employer=employer, month=MARCH_2026, filename="m.csv", content=content)
    before = counts()
    again = declarations.declare(user=user, employer=employer, month=MARCH_2026, filename="m.csv", content=content)
    assert again.pk == first.pk and again.already_declared and not first.already_declared
    assert counts() == before


def test_an_amendment_is_version_2_supersedes_version_1_and_voids_a_dropped_person(shop):
    employer, user, people = shop
    v1 = declarations.declare(user=user, employer=employer, month=MARCH_2026, filename="m.csv",
                              content=csv_bytes(three_lines(people)))
    bill1 = declarations.confirm(user=user, declaration=v1)
    amended = [(people["张三"], "张三", "7000.00"), (people["李四"], "李四", "3000")]  # 王五 left out
    v2 = declarations.declare(user=user, employer=employer, month=MARCH_2026, filename="m2.csv",
                              content=csv_bytes(amended))
    assert v2.version == 2 and v2.line_count == 2
    v1.refresh_from_db()
    bill1.refresh_from_db()
    assert v1.state == "superseded" and bill1.state == "superseded"
    rows = list(LedgerEntry.objects.filter(declaration_id=v2.pk))
    assert {(r.insurance_type, r.status, r.version, r.employer_fen) for r in rows
            if r.id_number == people["王五"]} == {
        ("pension", "void", 2, 0), ("medical", "void", 2, 0), ("unemployment", "void", 2, 0),
        ("work_injury", "void", 2, 0)}
    # 7,000.00: pension 1,120.00 / 560.00 by hand
    assert {(r.insurance_type, r.employer_fen, r.employee_fen, r.version) for r in rows
            if r.id_number == people["张三"] and r.insurance_type == "pension"} == {("pension", 112_000, 56_000, 2)}
    # employer: 张三 1,120.00 + 560.00 + 49.00 + 49.00 = 1,778.00; 李四 1,112.52 -> 2,890.52
    assert (v2.employer_fen, v2.employee_fen) == (289_052, 117_214)  # employee: 560 + 140 + 21 = 721.00, + 451.14
    assert LedgerEntry.objects.filter(declaration_id=v1.pk).count() == 12  # version 1's rows are kept as they were


def test_a_paid_month_cannot_be_amended_by_the_employer(shop):
    employer, user, people = shop
    v1 = declarations.declare(user=user, employer=employer, month=MARCH_2026, filename="m.csv",
                              content=csv_bytes(three_lines(people)))
    bill = declarations.confirm(user=user, declaration=v1)
    Bill.objects.filter(pk=bill.pk).update(state="paid")
    before = counts()
    with pytest.raises(services.RecordsError) as caught:
        declarations.declare(user=user, employer=employer, month=MARCH_2026, filename="m2.csv",
                             content=csv_bytes(three_lines(people)[:2]))
    assert caught.value.code == "paid_month" and "objection" in caught.value.message
    assert counts() == before


def test_confirm_makes_one_bill_with_the_hand_computed_total(shop):
    employer, user, people = shop
    declaration = declarations.declare(user=user, employer=employer, month=MARCH_2026, filename="m.csv",
                                       content=csv_bytes(three_lines(people)))
    bill = declarations.confirm(user=user, declaration=declaration)
    again = declarations.confirm(user=user, declaration=declaration)
    assert again.pk == bill.pk and Bill.objects.count() == 1
    assert bill.number == f"B{employer.credit_code}202603v1"
    assert (bill.employer_fen, bill.employee_fen, bill.total_fen) == (832_612, 337_634, 1_170_246)
    assert bill.total_yuan == "11702.46" and bill.due_date == date(2026, 4, 25) and bill.state == "open"
    declaration.refresh_from_db()
    assert declaration.state == "confirmed" and declaration.confirmed_by == user
    assert AuditEvent.objects.filter(event_type="records.declaration_confirmed").count() == 1


def test_a_superseded_version_cannot_be_confirmed(shop):
    employer, user, people = shop
    v1 = declarations.declare(user=user, employer=employer, month=MARCH_2026, filename="m.csv",
                              content=csv_bytes(three_lines(people)))
    declarations.declare(user=user, employer=employer, month=MARCH_2026, filename="m2.csv",
                         content=csv_bytes(three_lines(people)[:2]))
    with pytest.raises(services.RecordsError) as caught:
        declarations.confirm(user=user, declaration=v1)
    assert caught.value.code == "not_latest" and not Bill.objects.exists()


def test_page_entry_writes_the_csv_an_upload_would_accept(shop):
    employer, user, people = shop
    declaration = declarations.declare_lines(user=user, employer=employer, month=MARCH_2026,
                                             lines=three_lines(people))
    assert_assessed(declaration, people)
    assert declaration.source == "page"
    content = bytes(declaration.voucher.content)
    assert content.decode("utf-8").startswith("证件号码,姓名,缴费工资\r\n")
    # the voucher uploaded as a file is the same declaration (same bytes)
    again = declarations.declare(user=user, employer=employer, month=MARCH_2026, filename="x.csv", content=content)
    assert again.pk == declaration.pk and again.already_declared


def test_a_non_member_is_refused(shop):
    employer, _, people = shop
    outsider = new_citizen("周八")
    before = counts()
    with pytest.raises(services.RecordsError) as caught:
        declarations.declare(user=outsider, employer=employer, month=MARCH_2026, filename="m.csv",
                             content=csv_bytes(three_lines(people)))
    assert caught.value.code == "not_member" and counts() == before


def test_checking_a_large_file_takes_a_handful_of_queries(shop, django_assert_max_num_queries):
    employer, user, people = shop
    rows = three_lines(people) + [(people["张三"], "张三", "6500")] * 2000
    with django_assert_max_num_queries(5), pytest.raises(declarations.DeclarationRejected) as caught:
        declarations.check(employer=employer, month=MARCH_2026, filename="m.csv", content=csv_bytes(rows))
    assert len(caught.value.errors) == 2000  # every duplicate listed


# --- Pages ------------------------------------------------------------------------------------------------------

def page_client(user, language="en"):
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_the_workspace_links_the_declarations(shop):
    _, user, _ = shop
    page = page_client(user).get("/records/employer/")
    assert 'href="/records/employer/declarations/"' in page.content.decode()


def test_an_upload_with_errors_shows_each_with_line_and_column_and_records_nothing(shop):
    employer, user, people = shop
    rows = [(people["张三"], "张三", "6500"), (people["李四"], "李四", "2000")]
    upload = io.BytesIO(csv_bytes(rows, encoding="gbk"))
    upload.name = "march.csv"
    before = counts()
    page = page_client(user).post("/records/employer/declarations/new/",
                                  {"action": "upload", "month": "2026-03", "up-month": "2026-03", "up-file": upload})
    html = page.content.decode()
    assert page.status_code == 400 and counts() == before
    assert "<td>3</td><td>缴费工资</td><td>The wage 2000.00 is below the minimum wage of 2340.00: check the line." \
        "</td>" in html
    upload.seek(0)
    chinese = page_client(user, "zh-hans").post("/records/employer/declarations/new/", {
        "action": "upload", "month": "2026-03", "up-month": "2026-03", "up-file": upload}).content.decode()
    assert "<td>3</td><td>缴费工资</td><td>缴费工资 2000.00 低于最低工资标准 2340.00：请核对该行。</td>" in chinese
    assert counts() == before


def test_the_page_entry_then_confirm_shows_the_bill(shop):
    employer, user, people = shop
    client = page_client(user)
    form = client.get("/records/employer/declarations/new/?month=2026-03")
    assert form.status_code == 200
    enrolments = {e.name: e.pk for e in employer.enrolments.all()}
    data = {"action": "lines", "month": "2026-03", "pg-month": "2026-03",
            f"pg-wage_{enrolments['张三']}": "6500.00", f"pg-wage_{enrolments['李四']}": "3000",
            f"pg-wage_{enrolments['王五']}": "25000.50"}
    assert all(f'name="pg-wage_{pk}"' in form.content.decode() for pk in enrolments.values())
    result = client.post("/records/employer/declarations/new/", data, follow=True)
    html = result.content.decode()
    assert result.status_code == 200 and "raised to the floor 4,380.00" in html \
        and "lowered to the ceiling 21,900.00" in html and "8,326.12" in html and "3,376.34" in html
    assert people["张三"] not in html and "张*" in html  # masked
    declaration = Declaration.objects.get()
    bill_page = client.post(f"/records/employer/declarations/{declaration.pk}/confirm/", follow=True)
    html = bill_page.content.decode()
    assert f"B{employer.credit_code}202603v1" in html and "11,702.46" in html and "2026-04-25" in html
    month_page = client.get("/records/employer/declarations/2026-03/")
    assert month_page.status_code == 200 and declaration.voucher.sha256[:12] in month_page.content.decode()
    voucher = client.get(f"/records/employer/declarations/vouchers/{declaration.voucher_id}/")
    assert voucher.content == bytes(declaration.voucher.content)


@pytest.mark.parametrize(("language", "words"), [("zh-hans", "月度申报"), ("es", "Declaraciones mensuales")])
def test_the_pages_render_in_chinese_and_spanish(shop, language, words):
    employer, user, people = shop
    declaration = declarations.declare(user=user, employer=employer, month=MARCH_2026, filename="m.csv",
                                       content=csv_bytes(three_lines(people)))
    client = page_client(user, language)
    for url in ("/records/employer/declarations/", "/records/employer/declarations/new/?month=2026-03",
                f"/records/employer/declarations/{declaration.pk}/", "/records/employer/declarations/2026-03/"):
        page = client.get(url)
        assert page.status_code == 200, url
    assert words in client.get("/records/employer/declarations/").content.decode()


def test_the_csv_template_is_utf8_with_bom_and_the_header(shop):
    _, user, _ = shop
    response = page_client(user).get("/records/employer/declarations/template.csv")
    assert response.content == "\ufeff证件号码,姓名,缴费工资\r\n".encode()


def test_a_non_member_cannot_see_another_employers_declaration(shop):
    employer, user, people = shop
    declaration = declarations.declare(user=user, employer=employer, month=MARCH_2026, filename="m.csv",
                                       content=csv_bytes(three_lines(people)))
    outsider = page_client(approved_employer(new_citizen("吴九")).registered_by)
    assert outsider.get(f"/records/employer/declarations/{declaration.pk}/").status_code == 404
    assert outsider.get(f"/records/employer/declarations/vouchers/{declaration.voucher_id}/").status_code == 404
    assert outsider.post(f"/records/employer/declarations/{declaration.pk}/confirm/").status_code == 404


def test_the_documented_gbk_vector_is_assessed_as_documented():
    """docs/vectors/declaration-gbk.csv and its expected assessment (docs/formats.md, "Monthly declaration file")."""
    import json
    from pathlib import Path

    vectors = Path(__file__).resolve().parents[2] / "docs" / "vectors"
    content = (vectors / "declaration-gbk.csv").read_bytes()
    expected = json.loads((vectors / "declaration-gbk.json").read_text(encoding="utf-8"))
    representative = new_citizen("赵六")
    employer = approved_employer(representative)
    for line in expected["lines"]:
        services.enrol(user=representative, employer=employer, id_number=line["id_number"], name=line["name"],
                       start_month=date(2026, 1, 1), types=expected["types"])
    declaration = declarations.declare(user=representative, employer=employer, month=MARCH_2026,
                                       filename="declaration-gbk.csv", content=content)
    assert (declaration.employer_fen, declaration.employee_fen) == (expected["employer_fen"], expected["employee_fen"])
    rows = LedgerEntry.objects.filter(declaration_id=declaration.pk)
    for line in expected["lines"]:
        mine = [r for r in rows if r.id_number == line["id_number"]]
        assert {(r.line_no, r.wage_fen, r.base_fen, r.clamp) for r in mine} == {
            (line["line"], line["wage_fen"], line["base_fen"], line["clamp"])}
        assert {r.insurance_type: [r.employer_fen, r.employee_fen] for r in mine} == line["amounts"]
    bill = declarations.confirm(user=representative, declaration=declaration)
    assert bill.total_fen == expected["total_fen"] and bill.due_date.isoformat() == expected["bill"]["due_date"]


@pytest.mark.django_db(transaction=True)
def test_a_double_submission_at_the_same_moment_makes_one_declaration(shop):
    """Two requests with the same file at once (a double click): the employer row is locked, one declaration."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL); SQLite serialises the whole database")
    employer, user, people = shop
    content = csv_bytes(three_lines(people))
    barrier, results, failures = threading.Barrier(2), [], []

    def submit():
        try:
            barrier.wait()
            results.append(declarations.declare(user=user, employer=employer, month=MARCH_2026,
                                                filename="m.csv", content=content).pk)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [] and len(set(results)) == 1
    assert Declaration.objects.count() == 1 and Voucher.objects.count() == 1 and LedgerEntry.objects.count() == 12


def test_an_xlsx_workbook_saved_under_a_csv_name_is_read_as_xlsx(shop):
    employer, user, people = shop
    rows = [(people["张三"], "张三", 6500), (people["李四"], "李四", 3000), (people["王五"], "王五", 25000.5)]
    declaration = declarations.declare(user=user, employer=employer, month=MARCH_2026, filename="march.csv",
                                       content=xlsx_bytes(rows))
    assert_assessed(declaration, people)
    assert declaration.source == "xlsx"


def test_a_page_entry_error_names_the_employee_and_records_nothing(shop):
    employer, user, people = shop
    enrolments = {e.name: e.pk for e in employer.enrolments.all()}
    before = counts()
    page = page_client(user).post("/records/employer/declarations/new/", {
        "action": "lines", "month": "2026-03", "pg-month": "2026-03",
        f"pg-wage_{enrolments['张三']}": "6500", f"pg-wage_{enrolments['李四']}": "1000"})
    html = page.content.decode()
    assert page.status_code == 400 and counts() == before
    # the page lists 张三, 李四, 王五 by name: 李四 is the second line declared (line 3 of the page's CSV)
    assert "<td>3 (李*)</td><td>缴费工资</td><td>The wage 1000.00 is below the minimum wage of 2340.00" in html


def test_encoding_detection_reads_utf8_as_utf8_and_non_utf8_gbk_as_gbk():
    """Any text of Chinese and ASCII: its UTF-8 bytes (with or without BOM) read back as written; its GBK bytes
    too whenever they are not valid UTF-8 (a GBK file of Chinese names practically never is)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from sscard.records.declarations.csv_file import decode

    alphabet = st.one_of(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), st.sampled_from("0123456789,.X\r\n"))

    @settings(max_examples=200, deadline=None)
    @given(st.text(alphabet=alphabet, min_size=1, max_size=40))
    def check(text):
        assert decode(text.encode("utf-8")) == text
        assert decode(text.encode("utf-8-sig")) == text
        gbk = text.encode("gb18030")
        try:
            gbk.decode("utf-8")
        except UnicodeDecodeError:
            assert decode(gbk) == text

    check()
