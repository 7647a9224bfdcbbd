"""Cost of one signed settlement (2207), measured in process (issue 15): server CPU, queries, Redis commands.

    python -m bench.settlement_profile [--requests 400] [--persons 300] [--hot] [--cprofile 30] [--keep]
        [--database-url postgres://postgres@127.0.0.1:5432/speed_profile] [--redis-url redis://127.0.0.1:6379/3]
        [--show-queries]

Builds (unless --keep) a PostgreSQL database of its own with the benchmark's data (`generate_data`, then
`bench.settlement setup`), then drives signed 2207 requests through Django's WSGI handler, the whole middleware
stack included, with the benchmark's production settings, one at a time (no concurrency: this is the cost of a
request, not a load test). Prints, per request (means over the measured requests, after a warm-up):

- Python CPU ms (`time.process_time` of this process around the handler);
- PostgreSQL CPU ms: the database backend of this process's connection (`pg_backend_pid()`), user + system time
  read from its /proc/<pid>/stat (10 ms ticks: meaningful only as a mean over many requests);
- SQL statements (a cheap `execute_wrapper` count; `--show-queries` lists one request's statements with
  CaptureQueriesContext) and Redis commands (INFO commandstats before and after);
- with `--cprofile N`, the top N functions of a second, profiled pass (CPU time of this process, `--sort`
  cumulative by default).

`--hot` settles for the 10 hot persons (their accounts and outpatient caps run out: later answers are cash-only
settlements, still written in full).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/speed_profile"
DEFAULT_REDIS = "redis://127.0.0.1:6379/3"
TICKS = os.sysconf("SC_CLK_TCK")


def _env(database_url: str, redis_url: str, workdir: Path) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "sscard.settings", "SSCARD_DEBUG": "0", "SSCARD_HTTPS": "0", "SSCARD_BENCH": "1",
        "SSCARD_SECRET_KEY": "settlement-profile-" + "x" * 40, "SSCARD_VAR_DIR": str(workdir / "var"),
        "SSCARD_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver", "SSCARD_LOG_FORMAT": "json",
        "SSCARD_LOG_LEVEL": "WARNING", "PROMETHEUS_MULTIPROC_DIR": str(workdir / "prometheus"),
        "SSCARD_CELERY_BROKER_URL": "", "SSCARD_ACCEPT_UNVERIFIED_IDENTITY": "1",
        "SSCARD_SETTLEMENT_REQUESTS_PER_MINUTE": "1000000000",
        "SSCARD_DATABASE_URL": database_url, "SSCARD_REDIS_URL": redis_url,
    }


def _prepare(env: dict, persons: int, setup_path: Path) -> None:
    """A fresh database with `persons` insured persons (the benchmark's set-up)."""
    import psycopg
    import redis

    base, name = env["SSCARD_DATABASE_URL"].rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    redis.Redis.from_url(env["SSCARD_REDIS_URL"]).flushdb()
    process_env = {**os.environ, **env}

    def run(*args):
        subprocess.run([sys.executable, *args], cwd=ROOT, env=process_env, check=True, stdout=subprocess.DEVNULL)

    run("manage.py", "migrate", "--noinput")
    run("manage.py", "generate_data", "--applications", str(persons + 100), "--seed", "1")
    run("-m", "bench.settlement", "setup", "--persons", str(persons), "--out", str(setup_path))


def _signed(data: dict, count: int, first: int, persons: int) -> list[tuple[dict, bytes]]:
    """`count` signed 2207 requests (WSGI headers, body) for persons first.. in turn, as `bench.settlement`."""
    import secrets

    from bench.settlement import BILL_FEN, ELIGIBLE_FEN
    from sscard.domain import settlement_signing as signing
    from sscard.settlement.client import PREFIX

    identities = data["identities"][first:first + persons]
    path = PREFIX + "2207"
    secret = data["secret"].encode()
    out = []
    for n in range(count):
        card_no, card_sn = identities[n % len(identities)]
        body = json.dumps({"msgid": "p" + secrets.token_hex(12), "identity": {"card_no": card_no, "card_sn": card_sn},
                           "mdtrt_id": "", "med_type": "outpatient", "medfee_sumamt": BILL_FEN,
                           "inscp_scp_amt": ELIGIBLE_FEN, "acct_used_flag": True}, separators=(",", ":")).encode()
        now, nonce = int(time.time()), secrets.token_urlsafe(18)
        headers = {signing.HEADER_INSTITUTION: data["institution"], signing.HEADER_KEY_ID: data["key_id"],
                   signing.HEADER_TIMESTAMP: str(now), signing.HEADER_NONCE: nonce,
                   signing.HEADER_SIGNATURE: signing.sign(secret, "POST", path, body, now, nonce)}
        out.append(({"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}, body))
    return out


def _environ(path: str, headers: dict, body: bytes) -> dict:
    import io

    return {"REQUEST_METHOD": "POST", "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1", "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(body)),
            "HTTP_HOST": "127.0.0.1", "HTTP_ACCEPT_LANGUAGE": "zh-hans", "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr, "wsgi.multithread": True,
            "wsgi.multiprocess": True, "wsgi.run_once": False, "wsgi.version": (1, 0), **headers}


def _backend_cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def _redis_calls(client) -> int:
    return sum(int(stats["calls"]) for name, stats in client.info("commandstats").items()
               if name not in ("cmdstat_info",))


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.settlement_profile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--persons", type=int, default=300)
    parser.add_argument("--hot", action="store_true", help="the 10 hot persons only")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="top N functions of a profiled pass")
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative, tottime, ...")
    parser.add_argument("--per-statement", action="store_true",
                        help="PostgreSQL CPU per kind of statement (its first words), and of the commit")
    parser.add_argument("--show-queries", action="store_true", help="list one request's SQL statements")
    parser.add_argument("--keep", action="store_true", help="reuse the database and set-up of the last run")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_PROFILE_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_PROFILE_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--workdir", default=str(Path.home() / ".cache" / "sscard-settlement-profile"))
    args = parser.parse_args(argv)

    workdir = Path(args.workdir)
    (workdir / "prometheus").mkdir(parents=True, exist_ok=True)
    setup_path = workdir / "settle.json"
    env = _env(args.database_url, args.redis_url, workdir)
    if not args.keep or not setup_path.exists():
        started = time.monotonic()
        _prepare(env, args.persons, setup_path)
        print(f"set-up: {args.persons} persons in {time.monotonic() - started:.0f} s", flush=True)
    os.environ.update(env)
    import django

    django.setup()
    import redis
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sscard.settlement.client import PREFIX

    data = json.loads(setup_path.read_text())
    first, persons = (0, 10) if args.hot else (10, len(data["identities"]) - 10)
    handler = WSGIHandler()
    path = PREFIX + "2207"
    statuses: dict[str, int] = {}

    def call(headers, body):
        def start_response(status, _headers, exc_info=None):
            statuses[status] = statuses.get(status, 0) + 1
        chunks = handler(_environ(path, headers, body), start_response)
        for _chunk in chunks:
            pass
        chunks.close()

    queries = [0]

    def counting(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    for headers, body in _signed(data, args.warmup, first, persons):
        call(headers, body)
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    redis_client = redis.Redis.from_url(args.redis_url)
    requests = _signed(data, args.requests, first, persons)
    statuses.clear()
    redis_before = _redis_calls(redis_client)
    pg_before = _backend_cpu(backend)
    cpu_before, wall_before = time.process_time(), time.perf_counter()
    with connection.execute_wrapper(counting):
        for headers, body in requests:
            call(headers, body)
    cpu = time.process_time() - cpu_before
    wall = time.perf_counter() - wall_before
    pg = _backend_cpu(backend) - pg_before
    redis_calls = _redis_calls(redis_client) - redis_before
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        same_backend = cursor.fetchone()[0] == backend
    n = args.requests
    print(f"{n} settlements ({'10 hot persons' if args.hot else f'{persons} persons'}), answers {statuses}")
    print(f"  Python CPU     {1000 * cpu / n:6.2f} ms/request")
    print(f"  PostgreSQL CPU {1000 * pg / n:6.2f} ms/request" + ("" if same_backend else " (backend changed!)"))
    print(f"  together       {1000 * (cpu + pg) / n:6.2f} ms/request; wall {1000 * wall / n:.2f} ms/request "
          f"(one at a time)")
    print(f"  SQL statements {queries[0] / n:6.2f} /request; Redis commands {redis_calls / n:.2f} /request")

    if args.per_statement:
        spent: dict[str, list] = {}

        def timed(execute, sql, params, many, context):
            before = _backend_cpu(backend)
            try:
                return execute(sql, params, many, context)
            finally:
                entry = spent.setdefault(" ".join(sql.split()[:4])[:60], [0, 0.0])
                entry[0] += 1
                entry[1] += _backend_cpu(backend) - before

        pg_before = _backend_cpu(backend)
        with connection.execute_wrapper(timed):
            for headers, body in _signed(data, args.requests, first, persons):
                call(headers, body)
        total = _backend_cpu(backend) - pg_before
        print(f"  PostgreSQL CPU by statement, ms per settlement (all: {1000 * total / n:.2f}; the rest is "
              f"BEGIN/COMMIT):")
        for name, (count, cpu_s) in sorted(spent.items(), key=lambda item: -item[1][1]):
            print(f"    {1000 * cpu_s / n:6.2f}  {count / n:4.2f}x  {name}")

    if args.show_queries:
        (headers, body), = _signed(data, 1, first, persons)
        with CaptureQueriesContext(connection) as captured:
            call(headers, body)
        for number, query in enumerate(captured.captured_queries, 1):
            print(f"  {number:2}. {query['sql'][:300]}")

    if args.cprofile:
        import cProfile
        import pstats

        profiled = _signed(data, args.requests, first, persons)
        profiler = cProfile.Profile(time.process_time)  # CPU time: waiting for PostgreSQL does not count
        profiler.enable()
        for headers, body in profiled:
            call(headers, body)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.cprofile)


if __name__ == "__main__":
    main(sys.argv[1:])
