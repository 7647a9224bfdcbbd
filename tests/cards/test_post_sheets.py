"""The post clerk's label sheet (PDF) and list for the carrier (CSV): who may download them, what they hold,
the audit event of each download, formulas escaped."""

import itertools
import shutil
import subprocess

import pytest
from django.urls import reverse

from sscard.applications.models import Application
from sscard.audit.models import AuditEvent
from sscard.cards import post_sheets
from sscard.casework.production import services as production_services
from sscard.domain.casestates import State
from sscard.reference.models import Manufacturer
from tests.casework.conftest import new_application, new_staff, staff_client

pytestmark = pytest.mark.django_db

LABELS, LIST = "casework:post_labels", "casework:post_list"


_cards = itertools.count(1)


def produce(*applications):
    """The manufacturer made their cards: a batch and its result file, through the services."""
    builder = new_staff(["supervisor"], areas=["district:420106", "district:420102"])
    batch = production_services.create_batch(staff=builder, manufacturer=Manufacturer.objects.get(code="default"))
    lines = ["office_code,card_number,card_id,issue_date,expiry_date,bank_account"]
    for a in applications:
        n = next(_cards)
        lines.append(f"{a.office_code},P{n:08d},{n:032X},2026-11-20,2036-11-20,6222020200001234567")
    result = production_services.import_batch_result(staff=builder, batch=batch, data="\n".join(lines).encode())
    assert not result.errors, result.errors


def to_post(district="420106", name=None, detail="珞喻路 1 号"):
    """A case to be posted, in production, with the recipient's data as the citizen typed it."""
    application = new_application(delivery="post", district=district, state=State.IN_PRODUCTION)
    fields = {"post_detail": detail} | ({"recipient_name": name} if name else {})
    Application.objects.filter(pk=application.pk).update(**fields)
    application.refresh_from_db()
    return application


def posted_case(**options):
    application = to_post(**options)
    produce(application)
    return application


def csv_lines(response) -> list[str]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return body[1:].split("\r\n")[:-1]


def pdf_text(content: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: cannot read the PDF text")
    path = tmp_path / "labels.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_csv_matches_the_documented_test_vector():
    row = post_sheets.Mailing(office_code="6K9PRQ32BNX", display_code="6K9P-RQ32-BNX", name="=1+2",
                              phone="13900270001", district_code="420106", address="湖北省武汉市武昌区 珞喻路 1 号")
    assert post_sheets.carrier_csv([row]).decode("utf-8") == (
        "\ufeffoffice_code,recipient_name,recipient_phone,district_code,address\r\n"
        "6K9PRQ32BNX,'=1+2,13900270001,420106,湖北省武汉市武昌区 珞喻路 1 号\r\n")


# Written by hand from the roles: the post permission belongs to production and supervisors; the auditor
# reads cases but posts nothing. (status, the in-area case listed?) for a member of Wuchang / of Jiang'an.
WHO = {
    "reviewer": ((403, None), (403, None)),
    "production": ((200, True), (200, False)),
    "clerk": ((403, None), (403, None)),
    "supervisor": ((200, True), (200, False)),
    "auditor": ((403, None), (403, None)),
}


@pytest.mark.parametrize("role", WHO)
def test_only_post_staff_download_and_only_their_areas_cases(role):
    here = posted_case()
    for (status, listed), area in zip(WHO[role], ("district:420106", "district:420102"), strict=True):
        member = new_staff([role], areas=[] if role == "auditor" else [area])
        c = staff_client(member)
        for name in (LABELS, LIST):
            response = c.get(reverse(name))
            assert response.status_code == status, (role, area, name)
        if status == 200:
            assert (here.office_code in response.content.decode()) is listed
    if WHO[role][0][0] == 403:
        assert not AuditEvent.objects.filter(event_type__startswith="cards.post_").exists()


def test_the_list_holds_the_cases_ready_to_post_in_full_with_formulas_escaped():
    first = to_post(name="=HYPERLINK(\"http://evil.example/\",\"x\")", detail="@SUM(A1) 中北路 2 号")
    second = to_post(name="王小明")
    elsewhere = to_post(district="420102")                              # another district's card
    pickup = new_application(delivery="pickup", state=State.IN_PRODUCTION)  # collected at an outlet
    produce(first, second, elsewhere, pickup)
    new_application(delivery="post", state=State.IN_PRODUCTION)           # card not produced yet
    member = new_staff(["production"])
    response = staff_client(member).get(reverse(LIST))
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    assert "attachment" in response["Content-Disposition"]
    lines = csv_lines(response)
    assert lines == [
        "office_code,recipient_name,recipient_phone,district_code,address",
        f"{first.office_code},\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"x\"\")\",{first.recipient_phone},"
        "420106,湖北省武汉市武昌区 @SUM(A1) 中北路 2 号",
        f"{second.office_code},王小明,{second.recipient_phone},420106,湖北省武汉市武昌区 珞喻路 1 号",
    ]
    event = AuditEvent.objects.get(event_type="cards.post_list_downloaded")
    assert event.actor == member
    assert event.data["count"] == 2 and event.data["office_codes"] == [first.office_code, second.office_code]


def test_the_label_sheet_shows_name_phone_address_and_code_and_its_download_is_audited(tmp_path):
    case = to_post(name="王小明", detail="珞喻路 1 号 华中科技大学 东九楼 101 室")
    other = to_post(district="420102", name="李大华")
    produce(case, other)
    member = new_staff(["supervisor"])
    response = staff_client(member).get(reverse(LABELS))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content, tmp_path)
    compact = "".join(text.split())  # pdftotext breaks wrapped lines and may drop spaces
    for wanted in ("王小明", case.recipient_phone, "湖北省武汉市武昌区", "珞喻路1号华中科技大学东九楼101室",
                   case.display_code):
        assert "".join(wanted.split()) in compact, wanted
    assert "李大华" not in compact and other.display_code not in compact
    event = AuditEvent.objects.get(event_type="cards.post_labels_downloaded")
    assert event.actor == member and event.data == {"count": 1, "office_codes": [case.office_code]}


def test_an_empty_label_sheet_says_so(tmp_path):
    response = staff_client(new_staff(["production"])).get(reverse(LABELS))
    assert "No card is waiting to be posted." in pdf_text(response.content, tmp_path)
    assert AuditEvent.objects.get(event_type="cards.post_labels_downloaded").data["count"] == 0


def test_seventeen_labels_fill_two_sheets(tmp_path):
    rows = [post_sheets.Mailing(office_code=f"CODE{n:02d}", display_code=f"CODE-{n:02d}", name=f"张{n}",
                                phone="13900270001", district_code="420106", address="湖北省武汉市武昌区 中北路")
            for n in range(17)]
    text = pdf_text(post_sheets.labels_pdf(rows), tmp_path)
    pages = text.split("\f")
    assert "CODE-15" in pages[0] and "CODE-16" in pages[1] and "CODE-16" not in pages[0]
