"""The back office, end to end in a real browser: a reviewer returns a case for correction, the citizen
corrects and resubmits, the reviewer approves, the production operator exchanges files with the bank and the
manufacturer, the outlet clerk hands the card over — and the public progress page follows every stage.
Every staff page is checked by axe-core."""

import csv
import io
import re
import zipfile

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from sscard.casework import services
from tests.casework.conftest import PASSWORD, new_application, new_citizen, private_media, reseed, wuchang  # noqa: F401

pytestmark = pytest.mark.locale("en")


def staff_login(page, username):
    page.goto(reverse("accounts:staff_login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("casework:queue")) + "$"))


def check_progress(page, application, plain_stage):
    page.goto(reverse("applications:progress"))
    page.locator("#id_code").fill(application.display_code)
    page.locator("#id_id_suffix").fill(application.subject_id_number[-6:])
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#progress-stage")).to_have_text(plain_stage)


def open_case(page, application, assert_accessible):
    page.goto(reverse("casework:case", args=[application.office_code]))
    expect(page.get_by_role("heading", level=1)).to_contain_text(application.display_code)
    assert_accessible(page)


def upload(page, name, content: bytes, button):
    page.locator("#id_file").set_input_files({"name": name, "mimeType": "text/csv", "buffer": content})
    page.get_by_role("button", name=button).click()


def test_a_case_goes_from_review_to_the_holders_hands(django_db_serialized_rollback, make_page, assert_accessible,
                                                      screenshot, console_errors):
    reseed()  # an earlier transactional test may have flushed the seeded configuration
    citizen = new_citizen("王小明")
    application = new_application(citizen)
    for role in ("reviewer", "production", "clerk", "supervisor"):
        services.create_staff_member(username=role, password=PASSWORD, real_name=f"{role} 1", roles=[role],
                                     areas=[f"outlet:{wuchang().pk}"] if role == "clerk" else ["district:420106"])
    public = make_page()
    check_progress(public, application, "Submitted")

    # --- The reviewer claims the case and returns it with two coded reasons, each with a note.
    reviewer = make_page()
    staff_login(reviewer, "reviewer")
    assert_accessible(reviewer)
    reviewer.get_by_role("link", name=application.display_code).click()
    expect(reviewer.locator("#case-stage")).to_have_text("Submitted")
    assert_accessible(reviewer)
    reviewer.get_by_role("button", name="Claim and start review").click()
    expect(reviewer.locator("#case-stage")).to_have_text("Under review")
    reviewer.locator("summary", has_text="Return for correction").click()
    reviewer.locator("#id_return-r_address_incomplete").check()
    reviewer.locator("#id_return-n_address_incomplete").fill("Add the building and room number")
    reviewer.locator("#id_return-r_other").check()
    reviewer.locator("#id_return-n_other").fill("Call us if the bank branch is unclear")
    assert_accessible(reviewer)
    screenshot(reviewer, "staff-case-return")
    reviewer.get_by_role("button", name="Return to the citizen").click()
    expect(reviewer.locator("#case-stage")).to_have_text("Returned for correction")
    check_progress(public, application, "Your action is needed")

    # --- The citizen sees both problems together, corrects and resubmits.
    person = make_page()
    person.goto(reverse("accounts:login"))
    person.locator("#id_identifier").fill(citizen.id_number)
    person.locator("#id_password").fill(PASSWORD)
    person.locator(f'form[action="{reverse("accounts:login")}"] button[type="submit"]').click()
    expect(person).to_have_url(re.compile(r"/accounts/$"))
    person.goto(reverse("applications:detail", args=[application.office_code]))
    expect(person.locator("main")).to_contain_text("Add the building and room number")
    expect(person.locator("main")).to_contain_text("Call us if the bank branch is unclear")
    person.get_by_role("link", name="Correct and resubmit").click()
    person.locator("#id_p-res_detail").fill("中北路 100 号 1 栋 2 单元 101 室")
    person.get_by_role("button", name="Resubmit").click()
    expect(person).to_have_url(re.compile(re.escape(reverse("applications:detail", args=[application.office_code]))))
    check_progress(public, application, "Being reviewed")

    # --- The reviewer reviews the correction and approves.
    open_case(reviewer, application, assert_accessible)
    expect(reviewer.locator("#case-stage")).to_have_text("Resubmitted")
    reviewer.get_by_role("button", name="Start review").click()
    reviewer.locator("summary", has_text="Approve").click()
    reviewer.get_by_role("button", name="Approve and send to the bank").click()
    expect(reviewer.locator("#case-stage")).to_have_text("Bank account pre-opening")
    expect(reviewer.locator(".history")).to_contain_text("Resubmitted")

    # --- The production operator sends the bank its request file and imports the answer.
    operator = make_page()
    staff_login(operator, "production")
    operator.get_by_role("link", name="Bank pre-opening").click()
    assert_accessible(operator)
    operator.get_by_role("button", name=re.compile("Create the request file")).click()
    expect(operator.get_by_role("heading", level=1)).to_contain_text("BK-")
    with operator.expect_download() as download:
        operator.get_by_role("link", name="Download the request file").click()
    request_rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert [r["office_code"] for r in request_rows] == [application.office_code]
    answer = f"office_code,outcome,account_number,reason\n{application.office_code},OK,6222020200009876543,\n"
    upload(operator, "answer.csv", answer.encode(), "Import the response")
    expect(operator.locator(".message.success")).to_contain_text("Imported")
    assert_accessible(operator)
    check_progress(public, application, "Card being made")

    # --- ... exports a production batch, and imports the manufacturer's result (a bad file first).
    operator.get_by_role("link", name="Production batches").click()
    assert_accessible(operator)
    operator.get_by_role("button", name=re.compile("Create and export a batch")).click()
    expect(operator.get_by_role("heading", level=1)).to_contain_text("PB-")
    with operator.expect_download() as download:
        operator.get_by_role("link", name="Download the batch archive (ZIP)").click()
    with zipfile.ZipFile(download.value.path()) as archive:
        names = archive.namelist()
        data_file = next(n for n in names if n.endswith("/cards.csv"))
        rows = list(csv.DictReader(io.StringIO(archive.read(data_file).decode())))
    assert any(n.endswith("manifest.sha256") for n in names) and any(n.endswith(".jpg") for n in names)
    row = rows[0]
    upload(operator, "bad.csv", (f"office_code,card_number,card_id,issue_date,expiry_date,bank_account\n"
                                 f"{row['office_code']},SHORT,xyz,2026-11-20,2036-11-20,{row['bank_account']}\n").encode(),
           "Import the result")
    expect(operator.locator("#import-errors")).to_contain_text("Line 2:")
    assert_accessible(operator)
    screenshot(operator, "staff-batch-import-errors")
    result = (f"office_code,card_number,card_id,issue_date,expiry_date,bank_account\n"
              f"{row['office_code']},H12345678,{'5A' * 16},2026-11-20,2036-11-20,{row['bank_account']}\n")
    upload(operator, "result.csv", result.encode(), "Import the result")
    expect(operator.locator(".message.success")).to_contain_text("Imported")
    expect(operator.locator("main table")).to_contain_text("H12345678")

    # --- The outlet clerk receives the batch, marks the card ready, and hands it over.
    clerk = make_page()
    staff_login(clerk, "clerk")
    clerk.get_by_role("link", name="Outlet counter").click()
    assert_accessible(clerk)
    clerk.get_by_role("button", name=re.compile("Receive the batch")).click()
    clerk.get_by_role("button", name=re.compile("Mark the cards ready and notify")).click()
    expect(clerk.locator(".message.success")).to_contain_text("1 card(s) marked ready")
    check_progress(public, application, "Card on its way / ready")
    clerk.get_by_role("link", name=application.display_code).click()
    expect(clerk.locator("#case-stage")).to_have_text("Ready for pick-up")
    assert_accessible(clerk)
    clerk.locator("#id_hand_over-collector_0").check()
    clerk.locator("#id_hand_over-id_number").fill(citizen.id_number)
    clerk.get_by_role("button", name="Hand over").click()
    expect(clerk.locator("#case-stage")).to_have_text("Collected")
    check_progress(public, application, "Completed")
    # submitted, being reviewed, action needed, being reviewed, card being made, ready, completed
    expect(public.locator("#progress-result .timeline li")).to_have_count(7)
    for stage in ("Submitted", "Your action is needed", "Card being made", "Card on its way / ready"):
        expect(public.locator("#progress-result .timeline")).to_contain_text(stage)

    # --- The citizen's own timeline follows every step; the card is in "My cards", sealed.
    person.goto(reverse("applications:detail", args=[application.office_code]))
    for stage in ("Returned for correction", "Resubmitted", "Bank account pre-opening", "In production",
                  "Ready for pick-up", "Collected"):
        expect(person.locator("main .timeline")).to_contain_text(stage)
    person.goto(reverse("cards:mine"))
    expect(person.locator("main")).to_contain_text("H12345678")
    expect(person.locator("main")).to_contain_text("6222 **** **** 6543")
    assert_accessible(person)

    # --- The supervisor's dashboard.
    boss = make_page()
    staff_login(boss, "supervisor")
    boss.get_by_role("link", name="Dashboard", exact=True).click()
    expect(boss.get_by_role("heading", level=1)).to_have_text("Supervisor dashboard")
    assert_accessible(boss)
    screenshot(boss, "staff-dashboard")
    for p in (public, reviewer, person, operator, clerk, boss):
        assert console_errors(p) == []
