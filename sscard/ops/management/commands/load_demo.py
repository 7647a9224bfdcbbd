"""`manage.py load_demo`: the demo accounts (two citizens, one member of staff per back office role), idempotent.

In ops, above both apps it uses: citizens are created by `accounts`, staff members with their roles and areas
by `casework` (roles and areas are the back office's).
"""

from datetime import date

from django.core.management.base import BaseCommand
from django.db import transaction

from sscard.accounts import services
from sscard.accounts.models import User
from sscard.casework.services import create_staff_member
from sscard.domain.idnumber import make_id_number

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
        self.stdout.write(f"demo data: {created} accounts created" if created else "demo data: already loaded")
        self.stdout.write("Demo accounts (development only):")
        for person in CITIZENS:
            self.stdout.write(f"  citizen  {person['real_name']}  ID {person['id_number']}  phone {person['phone']}"
                              f"  password {DEMO_PASSWORD}")
        for username, _name, roles in STAFF:
            self.stdout.write(f"  staff    {username:<11} ({', '.join(roles)}, Wuhan)  password {STAFF_PASSWORD}")
        self.stdout.write("  staff log in at /accounts/staff/login (no second factor in development)")
