"""The transit hot list at 1,000,000 blocked cards (PostgreSQL), run inside Django with the benchmark's settings:

    python -m bench.hotlist setup --rows 1000000 --out token.txt   # COPY the rows in, an operator and its token
    python -m bench.hotlist full --runs 3                           # build + sign the full list, printed as JSON

`setup` fills the hot list's tables with `rows` blocked cards of Wuhan (420100, the operator's city) and a tenth
as many of Yichang (not served), plus as many log rows (`HotListChange`) and the counter, with COPY through
psycopg: no card rows (the hot list does not read them). It writes the operator's token and the version a
"recent" delta starts from (100 changes back) to `--out`. Kept when the rows are already there.

`full` times `sscard.cards.hotlist.full_list` (one streaming query, formatting in the database) and the
signature, in this process: the time a server spends before the first byte of the answer; then a recent delta
(100 changes), built and signed 300 times in this process (p50, p99).
"""

import argparse
import gzip
import json
import os
import sys
import time

OPERATOR = "benchbus"
WUHAN, YICHANG = "420100", "420500"


def _copy_lines(cursor, table: str, columns: str, lines) -> None:
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        batch = []
        for line in lines:
            batch.append(line)
            if len(batch) == 50_000:
                copy.write("".join(batch))
                batch = []
        if batch:
            copy.write("".join(batch))


def setup(rows: int, out: str) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from sscard.cards.models import HotListChange, HotListEntry, HotListVersion, TransitOperator
    from sscard.cards.transit_operators import issue_token
    from sscard.reference.models import ServiceSettings

    service = ServiceSettings.load()
    if WUHAN not in service.transit_cities:
        service.transit_cities = f"{WUHAN}\n{service.transit_cities}"
        service.save()
    operator, _created = TransitOperator.objects.get_or_create(code=OPERATOR, defaults={
        "name": "Bench bus", "cities": WUHAN})
    others = rows // 10
    total = rows + others
    if HotListEntry.objects.filter(city=WUHAN).count() != rows:
        started = time.perf_counter()
        now = timezone.now().isoformat()
        with transaction.atomic():
            for model in (HotListEntry, HotListChange, HotListVersion):
                with connection.cursor() as cursor:
                    cursor.execute(f"TRUNCATE {model._meta.db_table}")
            raw = connection.cursor().cursor  # psycopg's own cursor, for COPY

            def city(n: int) -> str:
                return YICHANG if n % 11 == 10 else WUHAN  # 1 in 11: rows Wuhan, rows/10 Yichang

            _copy_lines(raw, HotListEntry._meta.db_table, "card_number, chip_id, city, version",
                        (f"H{n:08d}\t{n * 2654435761 % 2**128:032X}\t{city(n)}\t{n + 1}\n" for n in range(total)))
            _copy_lines(raw, HotListChange._meta.db_table, "version, card_number, chip_id, city, action, at",
                        (f"{n + 1}\tH{n:08d}\t{n * 2654435761 % 2**128:032X}\t{city(n)}\tadd\t{now}\n"
                         for n in range(total)))
            HotListVersion.objects.update_or_create(pk=1, defaults={"value": total})
        with connection.cursor() as cursor:
            for model in (HotListEntry, HotListChange):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
        print(f"copied {total} entries and {total} changes in {time.perf_counter() - started:.1f} s",
              file=sys.stderr)
    token = issue_token(operator=operator, label="bench")
    with open(out, "w") as f:
        f.write(f"{token}\n{HotListVersion.objects.get(pk=1).value - 100}\n")


def full(runs: int) -> dict:
    from sscard.cards import hotlist
    from sscard.cards.models import TransitOperator

    operator = TransitOperator.objects.get(code=OPERATOR)
    hotlist.signature(b"warm up the key store")
    timings = []
    for _ in range(runs):
        t0 = time.perf_counter()
        body = hotlist.full_list(operator)
        t1 = time.perf_counter()
        signature = hotlist.signature(body)
        t2 = time.perf_counter()
        timings.append((t1 - t0, t2 - t1))
    started = time.perf_counter()
    zipped = len(gzip.compress(body, compresslevel=1, mtime=0))
    gzip_s = time.perf_counter() - started
    entries = body.count(b"\n") - 1
    best = min(timings, key=sum)
    delta = _delta_in_process(operator)
    return {"entries": entries, "bytes": len(body), "gzip_bytes": zipped, "gzip_s": round(gzip_s, 2),
            "runs_s": [round(b + s, 2) for b, s in timings], "build_s": round(best[0], 2),
            "sign_s": round(best[1], 3), "build_and_sign_s": round(sum(best), 2),
            "signature_chars": len(signature), **delta}


def _delta_in_process(operator, count: int = 300) -> dict:
    """A recent delta (100 changes back) built and signed `count` times in this process, no HTTP: the share of
    an answer that is the hot list's own work (three queries and a signature)."""
    from sscard.cards import hotlist

    since = hotlist.current_version() - 100
    durations = []
    for _ in range(count):
        t0 = time.perf_counter()
        hotlist.signature(hotlist.delta_list(operator, since))
        durations.append(time.perf_counter() - t0)
    durations.sort()
    return {"delta_in_process_p50_ms": round(1000 * durations[count // 2], 2),
            "delta_in_process_p99_ms": round(1000 * durations[int(count * 0.99)], 2)}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.hotlist")
    sub = parser.add_subparsers(dest="what", required=True)
    s = sub.add_parser("setup")
    s.add_argument("--rows", type=int, default=1_000_000)
    s.add_argument("--out", required=True)
    f = sub.add_parser("full")
    f.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sscard.settings")
    import django

    django.setup()
    if args.what == "setup":
        setup(args.rows, args.out)
    else:
        print(json.dumps(full(args.runs)))


if __name__ == "__main__":
    main(sys.argv[1:])
