"""`manage.py load_demo`: the demo accounts (two citizens, one member of staff per back office role and a records
officer) and a demo employer (approved, 张三 its legal representative, 李四 enrolled), idempotent.

In ops, above the apps it uses: citizens are created by `accounts`, staff members with their roles and areas
by `casework` (roles and areas are the back office's), the employer and its enrolment by `records`.
"""

from datetime import date

from django.core.management.base import BaseCommand
from django.db import transaction

from sscard.accounts import services
from sscard.accounts.models import User
from sscard.casework.services import create_staff_member
from sscard.domain.idnumber import make_id_number
from sscard.records import services as records
from sscard.records.models import Employer

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
