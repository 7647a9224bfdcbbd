"""Data the scenarios need, created inside Django with the benchmark's settings (run as a subprocess).

    python -m bench.fixtures citizens --count 64 --out users.tsv

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


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fixtures")
    sub = parser.add_subparsers(dest="what", required=True)
    citizens = sub.add_parser("citizens")
    citizens.add_argument("--count", type=int, default=64)
    citizens.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sscard.settings")
    import django

    django.setup()
    if args.what == "citizens":
        create_citizens(args.count, args.out)


if __name__ == "__main__":
    main(sys.argv[1:])
