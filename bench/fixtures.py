"""Data the scenarios need, created inside Django with the benchmark's settings (run as a subprocess).

    python -m bench.fixtures citizens --count 64 --out users.tsv
    python -m bench.fixtures submitters --first 100000 --count 4000 --out cookies.txt --photo photo.jpg
    python -m bench.fixtures lookup-limit --per-minute 10000000

Accounts are created through `sscard.accounts.services.create_citizen`, as at a counter: realistic rows
(argon2 hash, audit event, welcome message), a few milliseconds of hashing each.
"""

import argparse
import os
import sys
from datetime import date, timedelta

PASSWORD = "Bench-pass-2026"
HUBEI_SAMPLE = ("420102", "420106", "420111", "420202", "420302", "420502", "420602", "420703", "420802",
                "420902", "421002", "421102", "421202", "421303", "422801", "429004")


def citizen_identity(n: int) -> tuple[str, str, str]:
    """(real name, ID number, phone) of synthetic citizen `n`: deterministic, valid, unique for n < 10^6."""
    from sscard.domain.idnumber import make_id_number

    regions = len(HUBEI_SAMPLE)
    region = HUBEI_SAMPLE[n % regions]
    birth = date(1950, 1, 1) + timedelta(days=(n // regions) % 20000)
    # (region, birth date, sequence) is a one-to-one function of n; odd sequences are men, even women.
    sequence = 2 * (n // (regions * 20000)) + n % 2
    id_number = make_id_number(region, birth, sequence)
    phone = f"13{8 + n % 2}{n:08d}"
    return f"测试{n:06d}", id_number, phone


def create_citizens(count: int, out: str) -> None:
    from sscard.accounts.models import User
    from sscard.accounts.services import create_citizen

    lines = []
    existing = set(User.objects.filter(id_number__in=[citizen_identity(n)[1] for n in range(count)])
                   .values_list("id_number", flat=True))
    for n in range(count):
        real_name, id_number, phone = citizen_identity(n)
        if id_number not in existing:
            create_citizen(real_name=real_name, document_type="resident_id", id_number=id_number, phone=phone,
                           password=PASSWORD, channel="bench")
        lines.append(f"{id_number}\t{PASSWORD}\n")
    with open(out, "w") as handle:
        handle.writelines(lines)


def create_submitters(first: int, count: int, out: str, photo: str) -> None:
    """Citizens ready to apply, each with an open session; one Cookie header per line.

    Accounts share one precomputed password hash and their sessions are written straight into the session
    store (what a login leaves there): the submission scenario measures applying, not argon2 (measured by
    the login scenario). Each citizen can apply once (one active application per person), so every flow of
    the scenario uses a citizen of its own.
    """
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from sscard.accounts.models import User
    from tests.applications.images import portrait

    engine = __import__(settings.SESSION_ENGINE, fromlist=["SessionStore"])
    password_hash = make_password(PASSWORD)
    now = timezone.now()
    users = []
    for n in range(first, first + count):
        real_name, id_number, phone = citizen_identity(n)
        users.append(User(username=f"bench-{n}", password=password_hash, real_name=real_name,
                          id_number=id_number, phone=phone, phone_verified_at=now,
                          terms_version=settings.TERMS_VERSION, terms_accepted_at=now))
    User.objects.bulk_create(users, batch_size=2000, ignore_conflicts=True)
    lines = []
    for user in User.objects.filter(username__in=[u.username for u in users]).order_by("pk"):
        if user.card_applications.exists():
            continue
        session = engine.SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "sscard.accounts.backends.CitizenBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session["_last_seen"] = int(timezone.now().timestamp())
        session.create()
        lines.append(f"sessionid={session.session_key}\n")
    with open(out, "w") as handle:
        handle.writelines(lines)
    with open(photo, "wb") as handle:
        handle.write(portrait())
    from sscard.reference.models import Outlet, PartnerBank

    bank = PartnerBank.objects.filter(active=True).order_by("order", "pk").first()
    outlet = Outlet.objects.filter(active=True).order_by("order", "pk").first()
    with open(f"{out}.ids", "w") as handle:
        handle.write(f"{bank.pk}\t{outlet.pk}\n")


def set_lookup_limit(per_minute: int) -> None:
    """Raise the per-client progress look-up limit in the benchmark database (wrk is one client).

    The field is a PositiveSmallIntegerField (at most 32,767 per minute); on PostgreSQL the benchmark
    database's column is widened so that the limit never interferes with the measurement.
    """
    from django.db import connection

    from sscard.reference.models import ServiceSettings

    row = ServiceSettings.load()
    if connection.vendor == "postgresql":
        # Raw SQL: the model's field is still a smallint, which Django binds as one (psycopg's Int2).
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE applications_servicesettings "
                           "ALTER COLUMN progress_lookups_per_minute TYPE integer")
            cursor.execute("UPDATE applications_servicesettings SET progress_lookups_per_minute = %s::integer "
                           "WHERE id = %s", [per_minute, row.pk])
        return
    row.progress_lookups_per_minute = per_minute
    row.save(update_fields=["progress_lookups_per_minute"])


def create_ecards(count: int, out: str, lifetime_s: int) -> None:
    """Active cards with a live e-card for `count` of the synthetic applications (generate_data), and one status
    request path per line (`/api/v1/ecard/status?token=...`, a token signed with the server's key, valid for
    `lifetime_s`: long enough for the run). Rows are bulk-inserted: the scenario measures the status check."""
    import secrets
    import time
    from urllib.parse import quote

    from django.conf import settings
    from django.utils import timezone

    from sscard.applications.models import Application
    from sscard.cards.ecard_keys import key_store
    from sscard.cards.models import Card, CardState, ECard
    from sscard.domain import ecard

    applications = list(Application.objects.filter(card__isnull=True, bank__isnull=False)
                        .order_by("pk")[:count])
    now = timezone.now()
    cards = Card.objects.bulk_create([Card(
        application=a, holder_id=a.applicant_id, holder_id_number=a.subject_id_number,
        card_number=f"E{a.pk:08d}", chip_id=f"{a.pk:032X}", issue_date=date(2026, 11, 1),
        expiry_date=date(2036, 11, 1), bank_id=a.bank_id, bank_account=f"62220200{a.pk:08d}",
        manufacturer="bench", state=CardState.ACTIVE) for a in applications], batch_size=2000)
    ecards = ECard.objects.bulk_create([ECard(card=c, ecard_id=secrets.token_urlsafe(12), issued_at=now)
                                        for c in cards], batch_size=2000)
    store, issued_at = key_store(), int(time.time())
    with open(out, "w") as handle:
        for row in ecards:
            claims = ecard.make_claims(card=row.ecard_id, issuer=settings.ECARD_ISSUER, now=issued_at,
                                       lifetime_s=lifetime_s, holder="测*", token_id=secrets.token_bytes(8))
            token = ecard.sign(claims, store.private_key, store.kid)
            handle.write(f"/api/v1/ecard/status?token={quote(token, safe='')}\n")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fixtures")
    sub = parser.add_subparsers(dest="what", required=True)
    citizens = sub.add_parser("citizens")
    citizens.add_argument("--count", type=int, default=64)
    citizens.add_argument("--out", required=True)
    submitters = sub.add_parser("submitters")
    submitters.add_argument("--first", type=int, default=100_000)
    submitters.add_argument("--count", type=int, default=1000)
    submitters.add_argument("--out", required=True)
    submitters.add_argument("--photo", required=True)
    limit = sub.add_parser("lookup-limit")
    limit.add_argument("--per-minute", type=int, default=10_000_000)
    ecards = sub.add_parser("ecards")
    ecards.add_argument("--count", type=int, default=2000)
    ecards.add_argument("--out", required=True)
    ecards.add_argument("--lifetime", type=int, default=3600)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sscard.settings")
    import django

    django.setup()
    if args.what == "citizens":
        create_citizens(args.count, args.out)
    elif args.what == "submitters":
        create_submitters(args.first, args.count, args.out, args.photo)
    elif args.what == "ecards":
        create_ecards(args.count, args.out, args.lifetime)
    elif args.what == "lookup-limit":
        set_lookup_limit(args.per_minute)


if __name__ == "__main__":
    main(sys.argv[1:])
