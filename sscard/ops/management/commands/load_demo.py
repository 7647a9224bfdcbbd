"""`manage.py load_demo`: the demo accounts (two citizens, one member of staff per back office role and a records
officer), a demo employer (approved, 张三 its legal representative, 李四 enrolled) and 张三's card, in use: applied
for, reviewed, made, posted, received, enabled at the counter, its PIN changed online to `DEMO_PIN`, once
reported lost and found again. Idempotent.

In ops, above the apps it uses: citizens are created by `accounts`, staff members with their roles and areas
by `casework` (roles and areas are the back office's), the employer and its enrolment by `records`.
"""

import io
import uuid
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
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
from sscard.records import services as records
from sscard.records.models import Employer
from sscard.reference.models import PartnerBank

DEMO_PASSWORD = "Demo-2026-card"
STAFF_PASSWORD = "Staff-2026-card"

CITIZENS = [
    {"real_name": "张三", "id_number": make_id_number("420106", date(1990, 3, 7), 123), "phone": "13800138000"},
    {"real_name": "李四", "id_number": make_id_number("420102", date(1985, 11, 20), 246), "phone": "13900139000"},
]


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
DEMO_EMPLOYER = {"credit_code": "91420106MA4K12345A", "name": "武汉示范科技有限公司",
                 "address": "武汉市武昌区中北路 100 号", "industry_class": 2, "district_code": "420106"}


class Command(BaseCommand):
    help = "Load demo accounts (idempotent: running it twice changes nothing) and print how to log in."

    def handle(self, **options):
        created = 0
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
        self.stdout.write(f"demo data: {created} accounts created" if created else "demo data: already loaded")
        self.stdout.write("Demo accounts (development only):")
        for person in CITIZENS:
            self.stdout.write(f"  citizen  {person['real_name']}  ID {person['id_number']}  phone {person['phone']}"
                              f"  password {DEMO_PASSWORD}")
        for username, _name, roles in STAFF:
            self.stdout.write(f"  staff    {username:<11} ({', '.join(roles)}, Wuhan)  password {STAFF_PASSWORD}")
        self.stdout.write(f"  staff    {RECORDS_OFFICER[0]:<11} (records officer, Wuhan)  password {STAFF_PASSWORD}")
        self.stdout.write(f"  employer {DEMO_EMPLOYER['name']} ({DEMO_EMPLOYER['credit_code']}): representative "
                          f"{CITIZENS[0]['real_name']}, employee {CITIZENS[1]['real_name']}")
        self.stdout.write(f"  card     {DEMO_CARD['card_number']} of {CITIZENS[0]['real_name']}: active, PIN {DEMO_PIN}, "
                          "once reported lost and found again (My homepage › My social security card)")
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
