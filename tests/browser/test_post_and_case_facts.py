"""The back office shows what it needs, in a real browser: the case page names the regions and every field
the citizen entered (personal data masked, an address revealed in full with a reason), and the post page gives
the clerk the label sheet and the list for the carrier. Every page is checked by axe-core."""

import csv
import io

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from sscard.audit.models import AuditEvent
from sscard.casework import services
from tests.browser.test_back_office_flow import staff_login
from tests.cards.test_post_sheets import posted_case
from tests.casework.conftest import PASSWORD, private_media, reseed  # noqa: F401

pytestmark = pytest.mark.locale("en")


def test_the_post_clerk_prints_labels_and_the_reviewer_reveals_an_address(
        django_db_serialized_rollback, make_page, assert_accessible, screenshot, console_errors):
    reseed()
    application = posted_case(name="王小明", detail="珞喻路 1 号 华中科技大学东九楼 101 室")
    for role in ("production", "reviewer"):
        services.create_staff_member(username=role, password=PASSWORD, real_name=f"{role} 1", roles=[role],
                                     areas=["district:420106"])

    # --- The post clerk: the list of cards to post, the label sheet and the carrier's list.
    clerk = make_page()
    staff_login(clerk, "production")
    clerk.get_by_role("link", name="Post", exact=True).click()
    expect(clerk.locator("main table")).to_contain_text(application.display_code)
    assert_accessible(clerk)
    screenshot(clerk, "staff-post")
    with clerk.expect_download() as download:
        clerk.get_by_role("link", name="Address labels (PDF)").click()
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"
    with clerk.expect_download() as download:
        clerk.get_by_role("link", name="List for the carrier (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))
    assert rows == [{"office_code": application.office_code, "recipient_name": "王小明",
                     "recipient_phone": application.recipient_phone, "district_code": "420106",
                     "address": "湖北省武汉市武昌区 珞喻路 1 号 华中科技大学东九楼 101 室"}]
    assert AuditEvent.objects.filter(event_type__in=["cards.post_labels_downloaded",
                                                     "cards.post_list_downloaded"]).count() == 2

    # --- The reviewer: regions by name, coded values named, the postal address revealed with a reason.
    reviewer = make_page()
    staff_login(reviewer, "reviewer")
    reviewer.goto(reverse("casework:case", args=[application.office_code]))
    facts = reviewer.locator(".facts")
    for text in ("湖北省武汉市武昌区 (Wuchang District) ***", "Han (汉族)", "China", "2035-01-01",
                 "Professional or technical staff"):
        expect(facts).to_contain_text(text)
    expect(facts).not_to_contain_text("珞喻路")
    assert_accessible(reviewer)
    reveal = reviewer.locator("form.reveal-form", has=reviewer.locator("input[value=post_detail]"))
    reveal.get_by_label("Reason").fill("Carrier could not find the building")
    reveal.get_by_role("button", name="Reveal").click()
    expect(facts).to_contain_text("湖北省武汉市武昌区 (Wuchang District) 珞喻路 1 号 华中科技大学东九楼 101 室")
    assert_accessible(reviewer)
    screenshot(reviewer, "staff-case-revealed")
    assert AuditEvent.objects.filter(event_type="casework.revealed", data__field="post_detail").count() == 1
    for p in (clerk, reviewer):
        assert console_errors(p) == []
