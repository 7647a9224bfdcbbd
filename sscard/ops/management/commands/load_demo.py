"""`manage.py load_demo`: the demo accounts (three citizens, one of them retired; one member of staff per back
office role and a records officer), a demo employer (approved, 张三 its legal representative, 李四 and 张三 enrolled), its contribution
records (monthly declarations up to last month, paid by a bank payment file except the last months, one in
arrears, an amendment, a correction, interest and a benefit: see `_demo_records`) and 张三's card, in use:
applied for, reviewed, made, posted, received, enabled at the counter, its PIN changed online to `DEMO_PIN`, once
reported lost and found again. Idempotent: each part is loaded once (it is skipped when its data exists).

In ops, above the apps it uses: citizens are created by `accounts`, staff members with their roles and areas
by `casework` (roles and areas are the back office's), the employer and its enrolment by `records`.
"""

import io
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from sscard.accounts import services
from sscard.accounts.models import User
from sscard.applications import photos
from sscard.applications import services as app_services
from sscard.cards import delivery, loss, pin
from sscard.cards import services as card_services
from sscard.cards.models import Card
from sscard.casework import services as casework
from sscard.casework.services import create_staff_member
from sscard.domain.casestates import Role, State
from sscard.domain.idnumber import make_id_number
from sscard.records import accounts as record_accounts
from sscard.records import corrections as record_corrections
from sscard.records import payments as record_payments
from sscard.records import services as records
from sscard.records.declarations import services as declarations
from sscard.records.models import Declaration, Employer, Enrolment, LedgerEntry, Objection
from sscard.reference.models import PartnerBank

DEMO_PASSWORD = "Demo-2026-card"
STAFF_PASSWORD = "Staff-2026-card"

CITIZENS = [
    {"real_name": "张三", "id_number": make_id_number("420106", date(1990, 3, 7), 123), "phone": "13800138000"},
    {"real_name": "李四", "id_number": make_id_number("420102", date(1985, 11, 20), 246), "phone": "13900139000"},
    {"real_name": "王五", "id_number": make_id_number("420111", date(1960, 5, 12), 135), "phone": "13700137000"},
]
RETIREE_WORKED = (date(2000, 1, 1), date(2020, 5, 1))  # 王五's enrolment with the demo employer, first and last month
RETIREE_FROM = date(2020, 6, 1)


STAFF = [
    ("reviewer", "王审核", ["reviewer"]),
    ("production", "刘制卡", ["production"]),
    ("clerk", "陈窗口", ["clerk"]),
    ("supervisor", "周主管", ["supervisor"]),
    ("auditor", "吴审计", ["auditor"]),
]
RECORDS_OFFICER = ("records", "郑档案")
DEMO_PIN = "258036"  # 张三's card: not a run, not one digit, not from the ID number
DEMO_CARD = {"card_number": "D00000001", "chip_id": "D" * 4 + "0" * 27 + "1", "issue_date": date(2026, 11, 1),
             "expiry_date": date(2036, 11, 1), "bank_account": "6222020200009876543", "manufacturer": "default"}
# Designated institutions: code (H hospital / P pharmacy, district, serial), tier, names zh-Hans, en, es.
DEMO_INSTITUTIONS = [("H42010600001", "3", "武汉示范医院", "Wuhan Demo Hospital", "Hospital de demostración de Wuhan"),
                     ("P42010600002", "pharmacy", "武昌示范大药房", "Wuchang Demo Pharmacy",
                      "Farmacia de demostración de Wuchang")]
DEMO_EMPLOYER = {"credit_code": "91420106MA4K12345A", "name": "武汉示范科技有限公司",
                 "address": "武汉市武昌区中北路 100 号", "industry_class": 2, "district_code": "420106"}
# The demo records: 张三 is enrolled from 2024-07 (so that his accounts have a balance on 1 January 2025 and earn
# the 2025 interest), 李四 from 2025-01. Monthly wages in yuan by year.
ZHANG_SAN_FROM = date(2024, 7, 1)
DEMO_WAGES = {2024: ("11000.00", "6500.00"), 2025: ("12000.00", "6500.00"), 2026: ("12500.00", "7000.00")}
DEMO_GBK_MONTH, DEMO_XLSX_MONTH, DEMO_AMENDED_MONTH = date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)
DEMO_CORRECTION = (date(2025, 6, 1), "pension", "13000.00", "演示：异议 2025-0612，奖金漏报 / demo objection: bonus left out")


class Command(BaseCommand):
    help = "Load demo accounts (idempotent: running it twice changes nothing) and print how to log in."

    def handle(self, **options):
        created, authorisation_code = 0, ""
        with transaction.atomic():
            for person in CITIZENS:
                if not User.objects.filter(id_number=person["id_number"]).exists():
                    services.create_citizen(document_type="resident_id", password=DEMO_PASSWORD, channel="demo",
                                            **person)
                    created += 1
            for username, real_name, roles in STAFF:
                if not User.objects.filter(username=username).exists():
                    create_staff_member(username=username, password=STAFF_PASSWORD, real_name=real_name,
                                        roles=roles, areas=["city:420100"])
                    created += 1
            username, real_name = RECORDS_OFFICER
            officer = User.objects.filter(username=username).first()
            if officer is None:
                officer = create_staff_member(username=username, password=STAFF_PASSWORD, real_name=real_name,
                                              roles=[], areas=["city:420100"])
                records.make_records_officer(user=officer)
                created += 1
            if not Employer.objects.filter(credit_code=DEMO_EMPLOYER["credit_code"]).exists():
                self._demo_employer(officer)
            if not Card.objects.filter(card_number=DEMO_CARD["card_number"]).exists():
                self._demo_card()
            employer = Employer.objects.get(credit_code=DEMO_EMPLOYER["credit_code"])
            if not Declaration.objects.filter(employer=employer).exists():
                self._demo_records(employer, officer)
            if not Objection.objects.filter(employer=employer).exists():
                authorisation_code = self._demo_art74(employer, officer)
            self._demo_retiree(employer, officer)
        self.stdout.write(f"demo data: {created} accounts created" if created else "demo data: already loaded")
        self.stdout.write("Demo accounts (development only):")
        for person in CITIZENS:
            self.stdout.write(f"  citizen  {person['real_name']}  ID {person['id_number']}  phone {person['phone']}"
                              f"  password {DEMO_PASSWORD}")
        for username, _name, roles in STAFF:
            self.stdout.write(f"  staff    {username:<11} ({', '.join(roles)}, Wuhan)  password {STAFF_PASSWORD}")
        self.stdout.write(f"  staff    {RECORDS_OFFICER[0]:<11} (records officer, Wuhan)  password {STAFF_PASSWORD}")
        self.stdout.write(f"  employer {DEMO_EMPLOYER['name']} ({DEMO_EMPLOYER['credit_code']}): representative "
                          f"{CITIZENS[0]['real_name']}, employees {CITIZENS[1]['real_name']} and "
                          f"{CITIZENS[0]['real_name']}; declarations, payments, arrears, a correction "
                          "(My homepage › My social insurance; staff: Declarations, Arrears)")
        self.stdout.write(f"  card     {DEMO_CARD['card_number']} of {CITIZENS[0]['real_name']}: active, PIN {DEMO_PIN}, "
                          "once reported lost and found again (My homepage › My social security card)")
        self.stdout.write(f"  art. 74  {CITIZENS[0]['real_name']}: the 2025 yearly statement (My statements), an objection "
                          f"corrected, a question answered and rated; {CITIZENS[1]['real_name']}: an objection and a "
                          "question waiting for the records officer")
        self.stdout.write(f"  retiree  {CITIZENS[2]['real_name']}: worked for the demo employer until "
                          f"{RETIREE_WORKED[1]:%Y-%m}, retired from {RETIREE_FROM} (My social insurance; staff: "
                          "the records officer's page of a person); insured as a retiree")
        if created and authorisation_code:
            self.stdout.write(f"  authorisation code of {CITIZENS[0]['real_name']} for a bank (30 days, shown once): "
                              f"{authorisation_code} at /records/verify/")
        self.stdout.write(f"  settle   {DEMO_INSTITUTIONS[0][2]} ({DEMO_INSTITUTIONS[0][0]}, tier 3) and {DEMO_INSTITUTIONS[1][2]} "
                          f"({DEMO_INSTITUTIONS[1][0]}): approved; {CITIZENS[0]['real_name']}'s visit settled (My "
                          "medical settlements); a key for the simulated hospital: manage.py settlement_key issue "
                          f"{DEMO_INSTITUTIONS[0][0]}, then manage.py simulate_hospital (docs/settlement.md)")
        self.stdout.write("  staff log in at /accounts/staff/login (no second factor in development)")

    @staticmethod
    def _demo_employer(officer) -> None:
        """An approved employer whose legal representative is the first demo citizen, the second enrolled."""
        representative = User.objects.get(id_number=CITIZENS[0]["id_number"])
        employee = CITIZENS[1]
        employer = records.register_employer(user=representative, representative_name=representative.real_name,
                                             representative_id_number=representative.id_number, **DEMO_EMPLOYER)
        employer = records.decide_employer(staff=officer, employer=employer, approve=True)
        records.enrol(user=representative, employer=employer, id_number=employee["id_number"],
                      name=employee["real_name"], start_month=date(2025, 1, 1), types=list(records.rules.INSURANCE_TYPES))

    @staticmethod
    def _demo_records(employer, officer) -> None:
        """The demo employer's records, through the services: 张三 enrolled too (unless enrolled elsewhere); a
        declaration for each month from 2024-07 (张三 alone until 2024-12) to last month, confirmed: 2025-01 sent
        as a GBK CSV file, 2025-02 as an XLSX file, the others entered on the page, 2025-03 amended (version 2)
        before payment; the bills paid on time by one bank payment file imported by the records officer, except
        the last bill past its due date (put in arrears) and any bill not yet due; 张三's 2025-06 pension corrected
        by the officer (version with reason); the 2025 interest credited; a demo medical settlement."""
        from sscard.domain.contributions import yuan
        from sscard.domain.enrolment import INSURANCE_TYPES
        from sscard.domain.payment_lines import parse_amount
        from sscard.reference.selectors import NoRatesError, contribution_rates

        today = timezone.localdate()
        representative = User.objects.get(id_number=CITIZENS[0]["id_number"])
        zhang, li = CITIZENS[0], CITIZENS[1]
        if not Enrolment.objects.filter(id_number=zhang["id_number"], end_month__isnull=True).exists():
            records.enrol(user=representative, employer=employer, id_number=zhang["id_number"],
                          name=zhang["real_name"], start_month=ZHANG_SAN_FROM, types=list(INSURANCE_TYPES))
        zhang_enrolled = Enrolment.objects.filter(employer=employer, id_number=zhang["id_number"]).exists()
        last_month = date(today.year, today.month, 1)
        bills, month = [], ZHANG_SAN_FROM
        while month < last_month:
            try:
                contribution_rates(month.year, employer.district_code)
            except NoRatesError:
                break  # no rates for the year yet: the demo stops there
            wages = DEMO_WAGES.get(month.year, DEMO_WAGES[2026])
            lines = []
            if zhang_enrolled:
                lines.append((zhang["id_number"], zhang["real_name"], wages[0]))
            if month >= date(2025, 1, 1):
                lines.append((li["id_number"], li["real_name"], wages[1]))
            if lines:
                bills.append(_declare_demo_month(representative, employer, month, lines))
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        past_due = [bill for bill in bills if bill.due_date < today]
        to_pay = past_due[:-1]
        if to_pay:
            content = "bill_number,amount,reference,paid_on\n" + "".join(
                f"{bill.number},{yuan(bill.total_fen)},DEMO-{bill.month:%Y%m},{bill.due_date - timedelta(days=5)}\n"
                for bill in to_pay)
            record_payments.import_payment_file(staff=officer, filename="demo-bank-payments.csv",
                                                content=content.encode(), today=today)
        Command._demo_settlement()
        record_payments.mark_arrears(today=today)
        corrected_month, insurance_type, wage, reason = DEMO_CORRECTION
        entry = (LedgerEntry.objects.filter(id_number=zhang["id_number"], employer=employer, month=corrected_month,
                                            insurance_type=insurance_type).order_by("-version").first())
        if entry is not None and entry.status == LedgerEntry.Status.PAID:
            record_corrections.correct_entry(staff=officer, entry=entry, wage_fen=parse_amount(wage), reason=reason)
        if today > date(2025, 12, 31):
            record_accounts.credit_interest(year=2025, actor=officer)

    @staticmethod
    def _demo_retiree(employer, officer) -> None:
        """王五 worked for the demo employer from 2000 to May 2020 (the enrolment stopped) and is retired from June
        2020, registered by the records officer: he stays insured in medical insurance and settles with the retired
        figures; his space and the officer's page of his records say "Retired since 2020-06-01"."""
        from sscard.records.retirement.models import Retirement
        from sscard.records.retirement.services import register_retirement

        retiree = CITIZENS[2]
        if Retirement.objects.filter(id_number=retiree["id_number"]).exists():
            return
        representative = User.objects.get(id_number=CITIZENS[0]["id_number"])
        if not Enrolment.objects.filter(id_number=retiree["id_number"]).exists():
            enrolment = records.enrol(user=representative, employer=employer, id_number=retiree["id_number"],
                                      name=retiree["real_name"], start_month=RETIREE_WORKED[0],
                                      types=list(records.rules.INSURANCE_TYPES))
            records.stop_enrolment(user=representative, employer=employer, enrolment=enrolment,
                                   end_month=RETIREE_WORKED[1])
        register_retirement(staff=officer, id_number=retiree["id_number"], retired_from=RETIREE_FROM,
                            reference="鄂人社退〔2020〕0601号 (demo)")

    @staticmethod
    def _demo_settlement() -> None:
        """A designated tier-3 hospital in Wuchang and a pharmacy, approved by the demo supervisor (given the right
        to approve agreements and to read institutions), each with a signing key; 张三's outpatient visit at the
        hospital settled through the settlement API by the simulated hospital information system (read card,
        register, pre-settle, settle), while his records are paid up (before the last bill falls into arrears)."""
        from django.contrib.auth.models import Permission
        from django.test import Client

        from sscard.reference import services as reference_services
        from sscard.reference.models import DesignatedInstitution
        from sscard.settlement import simulator
        from sscard.settlement.client import HospitalClient, django_transport
        from sscard.settlement.keys import issue_key

        supervisor = User.objects.get(username="supervisor")
        supervisor.user_permissions.add(*Permission.objects.filter(
            content_type__app_label="reference",
            codename__in=["manage_institution_agreement", "view_designatedinstitution"]))
        supervisor = User.objects.get(pk=supervisor.pk)  # a fresh permission cache
        today = timezone.localdate()
        keys = {}
        for code, tier, zh, en, es in DEMO_INSTITUTIONS:
            institution, _ = DesignatedInstitution.objects.get_or_create(code=code, defaults=dict(
                name=zh, name_zh_hans=zh, name_en=en, name_es=es, tier=tier, district_code=code[1:7],
                agreement_from=date(today.year, 1, 1), agreement_to=date(today.year + 2, 12, 31)))
            if institution.state != "approved":
                reference_services.approve_institution(institution_id=institution.pk, actor=supervisor,
                                                       note="演示协议 / demo agreement")
            keys[code] = issue_key(institution=institution, actor=supervisor)
        code = DEMO_INSTITUTIONS[0][0]
        key_id, secret = keys[code]
        client = HospitalClient(code, key_id, secret, django_transport(Client(HTTP_ACCEPT_LANGUAGE="zh-hans")))
        simulator.visit(client, simulator.Book(), {"card_no": DEMO_CARD["card_number"],
                                                   "card_sn": DEMO_CARD["chip_id"]},
                        med_type="outpatient", total=35_600, eligible=30_000)

    @staticmethod
    def _demo_art74(employer, officer) -> str:
        """Art. 74 beyond the ledger, through the services: the 2025 yearly statements (each person told);
        张三 objects to his 2025-08 pension month and the records officer corrects it (a new ledger version linked
        to the objection); 李四's objection to 2025-09 waits in the officer's queue; 张三's question answered and
        rated, 李四's open; 张三 authorises a bank to see his 2025 contributions (the code is returned, shown once)."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from sscard.records.consultation import services as consultation
        from sscard.records.objections import services as objections
        from sscard.records.queries import authorisations
        from sscard.records.statements import services as statements

        zhang = User.objects.get(id_number=CITIZENS[0]["id_number"])
        li = User.objects.get(id_number=CITIZENS[1]["id_number"])
        if timezone.localdate().year > 2025:
            statements.make_statements(id_numbers=[zhang.id_number, li.id_number], year=2025)

        def month_row(user, month: date, insurance_type: str):
            return (LedgerEntry.objects.filter(id_number=user.id_number, employer=employer, month=month,
                                               insurance_type=insurance_type).order_by("-version").first())

        def evidence() -> list:
            return [SimpleUploadedFile("payslip.jpg", _demo_photo(), content_type="image/jpeg")]

        row = month_row(zhang, date(2025, 8, 1), "pension")
        if row is not None and row.status == LedgerEntry.Status.PAID:
            objection = objections.submit(user=zhang, entry_ids=[row.pk], files=evidence(),
                                          reason="2025年8月工资含加班费 12,800 元，申报为 12,000 元。")
            objections.claim(staff=officer, objection=objection)
            line = objection.lines.get()
            objections.correct(staff=officer, objection=objection, wages={line.pk: 1_280_000},
                               note="核对工资单，加班费漏报，已更正")
        row = month_row(li, date(2025, 9, 1), "medical")
        if row is not None:
            objections.submit(user=li, entry_ids=[row.pk], files=evidence(),
                              reason="2025年9月医疗保险缴费基数与工资不符。")
        question = consultation.ask(user=zhang, category_code="accounts", subject="个人账户利息",
                                    text="2025年个人养老账户的利息是怎么计算的？")
        consultation.answer(staff=officer, question=question,
                            text="按上年末余额乘以当年记账利率（2025 年为 2.62%）计息，于年末记入账户。")
        consultation.rate(user=zhang, question=question, rating=5)
        consultation.ask(user=li, category_code="contributions", subject="缴费基数",
                         text="我的缴费基数为什么低于我的工资？")
        issued = authorisations.issue(user=zhang, parts=["contributions"], year_from=2025, year_to=2025, days=30,
                                      recipient="示范银行 / demo bank")
        return issued.code

    @staticmethod
    def _demo_card() -> None:
        """张三's card, taken through the services the way a real one goes: applied for (posted home), reviewed,
        the bank account opened, made, posted, its receipt confirmed; enabled at the counter (the initial PIN),
        the PIN changed online, reported lost online and the report withdrawn."""
        holder = User.objects.get(id_number=CITIZENS[0]["id_number"])
        staff = {name: User.objects.get(username=name) for name in ("reviewer", "production", "clerk", "supervisor")}
        fields = {
            "for_child": False, "relationship": "", "subject_name": holder.real_name,
            "subject_id_number": holder.id_number, "subject_sex": "M", "subject_birth_date": date(1990, 3, 7),
            "ethnicity": "01", "nationality": "CHN", "document_valid_until": date(2035, 1, 1),
            "document_long_term": False, "occupation": "2", "employer": "", "res_province": "420000",
            "res_city": "420100", "res_district": "420106", "res_detail": "中北路 100 号 1 栋 101 室",
            "bank": PartnerBank.objects.get(code="icbc"), "delivery": "post", "outlet": None,
            "recipient_name": holder.real_name, "recipient_phone": holder.phone, "post_province": "420000",
            "post_city": "420100", "post_district": "420106", "post_detail": "中北路 100 号 1 栋 101 室",
            "photo": photos.store_card_photo(_demo_photo()), "photo_original": "",
        }
        application = app_services.submit_application(user=holder, token=uuid.uuid4(), fields=fields).application
        casework.claim(staff=staff["reviewer"], application=application)
        casework.approve(staff=staff["reviewer"], application=application)
        # The bank's answer for this one case (the bank file exchange would take every waiting case of the city).
        app_services.change_state(application=application, to_state=State.IN_PRODUCTION, role=Role.SUPERVISOR,
                                  actor=staff["supervisor"])
        card = card_services.create_sealed_card(application=application, actor=staff["production"], **DEMO_CARD)
        delivery.record_tracking(staff=staff["production"], application=application, tracking_number="SF2026110101")
        delivery.confirm_receipt(user=holder, application=application)
        card = pin.enable_at_counter(staff=staff["clerk"], card=Card.objects.get(pk=card.pk),
                                     id_number=holder.id_number, document_checked=True)
        pin.change_pin(user=holder, card=card, old_pin=settings.INITIAL_PIN, pin=DEMO_PIN, pin_repeat=DEMO_PIN)
        card = loss.report_temporary_loss(user=holder, card=card, expected_state="active")
        loss.withdraw_temporary_loss(user=holder, card=card, expected_state="temporarily_lost")


def _declare_demo_month(user, employer, month: date, lines: list[tuple[str, str, str]]):
    """Declare and confirm one demo month; returns its bill. 2025-01 as a GBK CSV file, 2025-02 as XLSX, 2025-03
    first with a wrong wage then amended (version 2), the others entered on the page."""
    from sscard.domain.declaration import CHINESE_HEADER

    if month == DEMO_GBK_MONTH:
        content = "\r\n".join(",".join(row) for row in [CHINESE_HEADER, *lines]).encode("gbk") + b"\r\n"
        declaration = declarations.declare(user=user, employer=employer, month=month,
                                           filename=f"申报-{month:%Y%m}.csv", content=content)
    elif month == DEMO_XLSX_MONTH:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(list(CHINESE_HEADER))
        for id_number, name, wage in lines:
            sheet.append([id_number, name, float(wage)])
        out = io.BytesIO()
        book.save(out)
        declaration = declarations.declare(user=user, employer=employer, month=month,
                                           filename=f"申报-{month:%Y%m}.xlsx", content=out.getvalue())
    else:
        if month == DEMO_AMENDED_MONTH:  # version 1 declares a wrong wage, confirmed, then amended before payment
            wrong = [(id_number, name, "5800.00" if index else wage) for index, (id_number, name, wage) in
                     enumerate(lines)]
            declarations.confirm(user=user, declaration=declarations.declare_lines(
                user=user, employer=employer, month=month, lines=wrong))
        declaration = declarations.declare_lines(user=user, employer=employer, month=month, lines=lines)
    return declarations.confirm(user=user, declaration=declaration)


def _demo_photo() -> bytes:
    """A drawn head-and-shoulders portrait (358 x 441, the card photo's size) for the demo application."""
    image = Image.new("RGB", (358, 441), (246, 246, 244))
    draw = ImageDraw.Draw(image)
    draw.ellipse([18, 320, 340, 580], fill=(30, 40, 80))
    draw.ellipse([108, 90, 250, 300], fill=(224, 180, 150))
    draw.ellipse([104, 66, 254, 150], fill=(20, 15, 10))
    draw.ellipse([140, 180, 160, 192], fill=(40, 30, 20))
    draw.ellipse([198, 180, 218, 192], fill=(40, 30, 20))
    draw.line([154, 250, 204, 250], fill=(150, 60, 60), width=4)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()
