"""Data of the settlement benchmarks (issue 15), made inside Django with the benchmark's settings (a subprocess).

    python -m bench.settlement setup --persons 2000 --out settle.json
        an approved tier-3 hospital with a key, `persons` insured people with an active card (from the synthetic
        applications of `generate_data`), an open enrolment with medical insurance and a medical account balance
        (bulk-inserted: the scenarios measure the API, not the set-up)
    python -m bench.settlement requests --setup settle.json --count 12000 --first 0 --persons 2000 --out req.tsv
        pre-signed 2207 requests (wrk replays them: each has its own nonce, timestamp and msgid, signed with
        HMAC-SHA256 as a hospital's system does, `sscard.settlement.client`); timestamps are "now", so the file
        must be used within the 5-minute window
    python -m bench.settlement check --setup settle.json
        overdrafts (a medical account below zero) and cap breaches (a person's year above a cap) from the database
    python -m bench.settlement vouchers --setup settle.json --count 100000 --day 2026-11-30
        one institution's day of settlements, bulk-inserted (for reconciliation); prints the 3201 totals and writes
        the 3202 lines to a file next to the set-up
    python -m bench.settlement reconcile --setup settle.json --url http://127.0.0.1:8000 --day 2026-11-30
        3201 and 3202 of that day over HTTP, timed
    python -m bench.settlement stored --setup settle.json --total 1000000
        old vouchers (other institutions' days, earlier years) bulk-inserted until `total` are stored
"""

import argparse
import json
import os
import sys
import time
from datetime import date

INSTITUTION = "H42010600901"
BALANCE_FEN = 50_000  # ¥500 on each medical account
HOT_BALANCE_FEN = 30_000  # ¥300 for the 10 hot persons: spent within the run
# the 10 hot persons start the year with the outpatient fund paid up to 20 settlements below the cap (¥3,500 in
# work, ¥55 a settlement), so that the cap is reached within the run as well as the account spent
HOT_SEEDED_FUND_FEN = 350_000 - 20 * 5_500
BILL_FEN, ELIGIBLE_FEN = 12_000, 10_000  # outpatient: ¥120 bill, ¥100 in scope


def setup(persons: int, out: str) -> None:
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from sscard.accounts.models import User
    from sscard.applications.models import Application
    from sscard.cards.models import Card, CardState
    from sscard.records.accounts import Movement, credit_many
    from sscard.records.ledger_models import AccountMovement
    from sscard.records.models import Employer, Enrolment
    from sscard.reference.models import DesignatedInstitution
    from sscard.settlement.keys import issue_key
    from sscard.settlement.models import PersonYear

    today = date.today()
    now = timezone.now()
    with transaction.atomic():
        institution = DesignatedInstitution.objects.create(
            code=INSTITUTION, name="基准测试医院", name_zh_hans="基准测试医院", name_en="Bench Hospital", tier="3",
            district_code=INSTITUTION[1:7], agreement_from=today - timedelta(days=365),
            agreement_to=today + timedelta(days=365), state="approved")
        applications = list(Application.objects.filter(card__isnull=True, bank__isnull=False)
                            .order_by("pk")[:persons])
        if len(applications) < persons:
            sys.exit(f"only {len(applications)} applications without a card: run generate_data first")
        cards = Card.objects.bulk_create([Card(
            application=a, holder_id=a.applicant_id, holder_id_number=a.subject_id_number,
            card_number=f"S{a.pk:08d}", chip_id=f"5E{a.pk:030X}", issue_date=date(2026, 1, 1),
            expiry_date=date(2036, 1, 1), bank_id=a.bank_id, bank_account=f"62220300{a.pk:08d}",
            manufacturer="bench", state=CardState.ACTIVE) for a in applications], batch_size=2000)
        rep = User.objects.create(username="bench-settlement-rep", password=make_password(None),
                                  real_name="基准", id_number="420106198001010018", phone="13700000001")
        employer = Employer.objects.create(
            credit_code="91420106MA4KBENCH9", name="基准结算有限公司", address="武昌区中北路 2 号",
            representative_name="基准", representative_id_number=rep.id_number, industry_class=2,
            district_code="420106", state="approved", registered_by=rep, created_at=now, decided_at=now)
        Enrolment.objects.bulk_create([Enrolment(
            employer=employer, id_number=c.holder_id_number, name="基准", start_month=date(2020, 1, 1),
            medical=True, pension=True, created_by=rep, created_at=now) for c in cards], batch_size=2000)
        credit_many([Movement(c.holder_id_number, AccountMovement.Account.MEDICAL, AccountMovement.Kind.CORRECTION,
                              today, HOT_BALANCE_FEN if n < 10 else BALANCE_FEN, source_ref="bench:seed")
                     for n, c in enumerate(cards)])
        PersonYear.objects.bulk_create([PersonYear(id_number=c.holder_id_number, year=today.year,
                                                   fund_paid_fen=HOT_SEEDED_FUND_FEN,
                                                   outpatient_fund_paid_fen=HOT_SEEDED_FUND_FEN) for c in cards[:10]])
    key_id, secret = issue_key(institution=institution, actor=None)
    with open(out, "w") as handle:
        json.dump({"institution": INSTITUTION, "key_id": key_id, "secret": secret,
                   "identities": [[c.card_number, c.chip_id] for c in cards]}, handle)


def requests(setup_path: str, count: int, first: int, persons: int, out: str) -> None:
    """`count` signed 2207 requests for persons first..first+persons-1 in turn; one line each:
    timestamp<TAB>nonce<TAB>signature<TAB>body."""
    import secrets

    from sscard.domain import settlement_signing as signing
    from sscard.settlement.client import PREFIX

    data = json.load(open(setup_path))
    identities = data["identities"][first:first + persons]
    path = PREFIX + "2207"
    secret = data["secret"].encode()
    now = int(time.time())
    with open(out, "w") as handle:
        for n in range(count):
            card_no, card_sn = identities[n % len(identities)]
            body = json.dumps({"msgid": "b" + secrets.token_hex(12), "identity": {"card_no": card_no,
                                                                                 "card_sn": card_sn},
                               "mdtrt_id": "", "med_type": "outpatient", "medfee_sumamt": BILL_FEN,
                               "inscp_scp_amt": ELIGIBLE_FEN, "acct_used_flag": True},
                              separators=(",", ":")).encode()
            nonce = secrets.token_urlsafe(18)
            signature = signing.sign(secret, "POST", path, body, now, nonce)
            handle.write(f"{now}\t{nonce}\t{signature}\t{body.decode()}\n")


def check(setup_path: str, first: int, persons: int) -> dict:
    """Overdrafts and cap breaches among the persons, from the database, and whether each account's balance is
    what its movements add up to and the year's fund paid what its vouchers add up to."""
    from django.db.models import Sum

    from sscard.records.ledger_models import AccountBalance, AccountMovement
    from sscard.reference.selectors import settlement_policy
    from sscard.settlement.models import PersonYear, Voucher

    data = json.load(open(setup_path))
    from sscard.cards.models import Card

    cards = [c[0] for c in data["identities"][first:first + persons]]
    ids = list(Card.objects.filter(card_number__in=cards).values_list("holder_id_number", flat=True))
    year = date.today().year
    policy = settlement_policy(year, INSTITUTION[1:7])
    balances = dict(AccountBalance.objects.filter(id_number__in=ids, account="medical")
                    .values_list("id_number", "balance_fen"))
    moved = dict(AccountMovement.objects.filter(id_number__in=ids, account="medical").values("id_number")
                 .annotate(total=Sum("amount_fen")).values_list("id_number", "total"))
    years = {y.id_number: y for y in PersonYear.objects.filter(id_number__in=ids, year=year)}
    fund = dict(Voucher.objects.filter(id_number__in=ids, year=year).values("id_number")
                .annotate(total=Sum("fund_pay_sumamt")).values_list("id_number", "total"))
    seeded = {i: HOT_SEEDED_FUND_FEN for i in years if first < 10}  # the hot persons' year began there
    overdrafts = sum(1 for i in ids if balances.get(i, 0) < 0 or (moved.get(i) or 0) < 0)
    outpatient_cap = policy.outpatient_cap_fen["in_work"]  # every bench person is in work
    breaches = 0
    for i in ids:
        y = years.get(i)
        if y is None:
            continue
        if y.fund_paid_fen > policy.annual_fund_cap_fen:
            breaches += 1
        elif y.outpatient_fund_paid_fen > outpatient_cap:
            breaches += 1
    return {"persons": len(ids), "overdrafts": overdrafts, "cap_breaches": breaches,
            "balance_mismatches": sum(1 for i in ids if balances.get(i, 0) != (moved.get(i) or 0)),
            "fund_mismatches": sum(1 for i in ids if (years[i].fund_paid_fen if i in years else 0)
                               != (fund.get(i) or 0) + seeded.get(i, 0)),
            "at_outpatient_cap": sum(1 for y in years.values() if y.outpatient_fund_paid_fen == outpatient_cap),
            "settlements": Voucher.objects.filter(id_number__in=ids, year=year, kind="settle").count(),
            "accounts_at_zero": sum(1 for i in ids if balances.get(i, 0) == 0),
            "outpatient_cap_fen": outpatient_cap}


def _voucher_rows(count: int, *, institution_id: int, day: date, prefix: str, id_numbers: list[str]):
    from django.utils import timezone

    now = timezone.now()
    for n in range(count):
        fund = 5_500 + n % 100
        acct = min(2_000 + n % 37, BILL_FEN - fund)
        yield {"setl_id": f"{prefix}{n:010d}", "kind": "settle", "cancels": "", "institution_id": institution_id,
               "msgid": f"{prefix}m{n}", "mdtrt_id": "", "id_number": id_numbers[n % len(id_numbers)],
               "visit_kind": "outpatient", "tier": "3", "status": "in_work", "year": day.year, "day": day,
               "medfee_sumamt": BILL_FEN, "eligible_fen": ELIGIBLE_FEN, "fund_pay_sumamt": fund, "acct_pay": acct,
               "psn_cash_pay": BILL_FEN - fund - acct, "deductible_fen": 0, "effect_admissions": 0,
               "effect_outpatient_fund_fen": fund, "cap_left_fen": 0, "trace": [], "created_at": now}


def _bulk_vouchers(rows, *, with_messages: bool = False) -> int:
    """Vouchers written in bulk: COPY on PostgreSQL (10,000,000 take minutes, not an hour), bulk_create elsewhere.
    `with_messages`: each voucher's msgid answer too (`settlement_message`), as a real settlement leaves one."""
    import json as json_lib

    from django.db import connection

    from sscard.settlement.models import Message, Voucher

    if connection.vendor != "postgresql":
        written, batch = 0, []
        for row in rows:
            batch.append(Voucher(**row))
            if len(batch) == 5000:
                written += len(Voucher.objects.bulk_create(batch))
                batch = []
        return written + len(Voucher.objects.bulk_create(batch))
    fields = [field for field in Voucher._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    message_columns = "institution_id, msgid, operation, status, body, created_at"
    written = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: COPY
        messages = []
        with raw.copy(f"COPY {Voucher._meta.db_table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([json_lib.dumps(row[field.attname]) if field.attname == "trace"
                                else row[field.attname] for field in fields])
                written += 1
                if with_messages:
                    messages.append((row["institution_id"], row["msgid"], "2207", 200,
                                     json_lib.dumps({"setl_id": row["setl_id"]}), row["created_at"]))
        if messages:
            with raw.copy(f"COPY {Message._meta.db_table} ({message_columns}) FROM STDIN") as copy:
                for message in messages:
                    copy.write_row(message)
    return written


def vouchers(setup_path: str, count: int, day: date) -> dict:
    """`count` settlements of the bench hospital on `day` (a past day), and the hospital's own book of them."""
    from django.db import connection, transaction

    from sscard.cards.models import Card
    from sscard.reference.models import DesignatedInstitution
    from sscard.settlement.simulator import FIELDS

    data = json.load(open(setup_path))
    institution = DesignatedInstitution.objects.get(code=data["institution"])
    ids = list(Card.objects.filter(card_number__startswith="S").values_list("holder_id_number", flat=True)[:1000])
    started = time.monotonic()
    rows = list(_voucher_rows(count, institution_id=institution.pk, day=day, prefix="R", id_numbers=ids))
    with transaction.atomic():
        _bulk_vouchers(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE settlement_voucher")
        cursor.execute("ANALYZE settlement_message")
    lines = [{"setl_id": r["setl_id"], **{f: r[f] for f in FIELDS}} for r in rows]
    totals = {"settlements": count, "cancellations": 0, **{f: sum(line[f] for line in lines) for f in FIELDS}}
    with open(setup_path + ".book.json", "w") as handle:
        json.dump({"totals": totals, "lines": lines}, handle)
    return {"vouchers": count, "insert_s": round(time.monotonic() - started, 1)}


def reconcile(setup_path: str, url: str, day: str) -> dict:
    """3201 then 3202 of `day` over HTTP, as the hospital sends them; each timed, with the size of the body."""
    import requests as http

    from sscard.settlement.client import HospitalClient, http_transport

    data = json.load(open(setup_path))
    book = json.load(open(setup_path + ".book.json"))
    client = HospitalClient(data["institution"], data["key_id"], data["secret"], http_transport(url, http.Session()))
    started = time.monotonic()
    status_totals, totals = client.totals(day, book["totals"])
    totals_s = time.monotonic() - started
    started = time.monotonic()
    status_detail, detail = client.detail(day, book["lines"])
    detail_s = time.monotonic() - started
    body = len(json.dumps({"stmt_date": day, "lines": book["lines"]}, ensure_ascii=False).encode())
    return {"lines": len(book["lines"]), "detail_body_bytes": body, "status_3201": status_totals,
            "status_3202": status_detail, "matches_3201": totals.get("matches"),
            "mismatches_3202": {k: len(v) for k, v in detail.items() if isinstance(v, list)},
            "totals_s": round(totals_s, 2), "detail_s": round(detail_s, 2),
            "elapsed_s": round(totals_s + detail_s, 2),
            "answer_3202": {k: v for k, v in detail.items() if not isinstance(v, list)}}


def stored(setup_path: str, total: int) -> dict:
    """Old vouchers (2024, another institution), each with its msgid answer, bulk-inserted until `total` vouchers
    are stored."""
    from datetime import timedelta

    from django.db import connection, transaction

    from sscard.reference.models import DesignatedInstitution
    from sscard.settlement.models import Voucher

    have = Voucher.objects.count()
    if have >= total:
        return {"stored": have, "added": 0}
    today = date.today()
    other, _ = DesignatedInstitution.objects.get_or_create(
        code="H42010600902", defaults={"name": "基准旧医院", "name_zh_hans": "基准旧医院", "name_en": "Old Hospital",
                                       "tier": "2", "district_code": "420106",
                                       "agreement_from": today - timedelta(days=900),
                                       "agreement_to": today + timedelta(days=365), "state": "approved"})
    ids = [f"42010619{n:010d}"[:18] for n in range(50_000)]
    started = time.monotonic()
    need = total - have
    per_day = 2_000
    added = 0
    with transaction.atomic():
        while added < need:
            n = min(per_day, need - added)
            day = date(2024, 1, 1) + timedelta(days=(added // per_day) % 700)
            added += _bulk_vouchers(_voucher_rows(n, institution_id=other.pk, day=day, prefix=f"O{have + added:08d}",
                                                  id_numbers=ids), with_messages=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE settlement_voucher")
    return {"stored": Voucher.objects.count(), "added": added, "insert_s": round(time.monotonic() - started, 1)}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.settlement")
    sub = parser.add_subparsers(dest="what", required=True)
    s = sub.add_parser("setup")
    s.add_argument("--persons", type=int, default=2000)
    s.add_argument("--out", required=True)
    r = sub.add_parser("requests")
    r.add_argument("--setup", required=True)
    r.add_argument("--count", type=int, default=12_000)
    r.add_argument("--first", type=int, default=0)
    r.add_argument("--persons", type=int, default=2000)
    r.add_argument("--out", required=True)
    c = sub.add_parser("check")
    c.add_argument("--setup", required=True)
    c.add_argument("--first", type=int, default=0)
    c.add_argument("--persons", type=int, default=10)
    v = sub.add_parser("vouchers")
    v.add_argument("--setup", required=True)
    v.add_argument("--count", type=int, default=100_000)
    v.add_argument("--day", required=True)
    rc = sub.add_parser("reconcile")
    rc.add_argument("--setup", required=True)
    rc.add_argument("--url", required=True)
    rc.add_argument("--day", required=True)
    st = sub.add_parser("stored")
    st.add_argument("--setup", required=True)
    st.add_argument("--total", type=int, required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sscard.settings")
    import django

    django.setup()
    if args.what == "setup":
        setup(args.persons, args.out)
    elif args.what == "requests":
        requests(args.setup, args.count, args.first, args.persons, args.out)
    elif args.what == "check":
        print(json.dumps(check(args.setup, args.first, args.persons)))
    elif args.what == "vouchers":
        print(json.dumps(vouchers(args.setup, args.count, date.fromisoformat(args.day))))
    elif args.what == "reconcile":
        print(json.dumps(reconcile(args.setup, args.url, args.day)))
    else:
        print(json.dumps(stored(args.setup, args.total)))


if __name__ == "__main__":
    main(sys.argv[1:])
