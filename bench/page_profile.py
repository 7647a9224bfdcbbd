"""Cost of one signed-in page (issue 13: the person's records page, the employer's month view), measured in process.

    python -m bench.page_profile [--size 1m] [--page person|employer] [--requests 400] [--cprofile 40]
        [--sort cumulative] [--redis-url redis://127.0.0.1:6379/4]

Uses the records benchmark's database of that size (`sscard_bench_records_1m` or `_10m`, made by `make bench`'s
records scenarios and kept; this command does not make it) and its sessions (`bench.records sessions`, made
here), then drives the pages' GET requests, with their session cookies, through Django's WSGI handler with the
benchmark's production settings, one at a time (the cost of a request, not a load test). Prints, per request
(means after a warm-up): Python CPU, PostgreSQL CPU of this process's connection, SQL statements and Redis
commands, as `bench.settlement_profile` does; with `--cprofile N`, the top N functions of a profiled pass. The
requests go to the first `--sessions` sessions in turn, as the load test's clients revisit theirs.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.paced import percentile
from bench.settlement_profile import _backend_cpu, _env, _redis_calls

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REDIS = "redis://127.0.0.1:6379/4"


def _environ(path: str, cookie: str) -> dict:
    path, _, query = path.partition("?")
    return {"REQUEST_METHOD": "GET", "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1", "HTTP_ACCEPT_LANGUAGE": "zh-hans",
            "HTTP_COOKIE": cookie, "wsgi.input": io.BytesIO(b""), "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False,
            "wsgi.version": (1, 0)}


def main(argv: list[str]) -> None:
    from bench.server import PG_ADMIN_URL, RECORDS_PG_DATABASE

    parser = argparse.ArgumentParser(prog="python -m bench.page_profile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="1m", choices=["1m", "10m"])
    parser.add_argument("--page", default="person", choices=["person", "employer"])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--sessions", type=int, default=100,
                        help="the first N sessions, in turn (the warm-up visits each once, as a load test's start)")
    parser.add_argument("--path", default="",
                        help="another path with the same sessions (e.g. /accounts/home, or /bench/ceiling to compare)")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="top N functions of a profiled pass")
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative, tottime, ...")
    parser.add_argument("--callers", default="", metavar="REGEX",
                        help="with --cprofile: also who calls the functions matching REGEX")
    parser.add_argument("--cold", action="store_true",
                        help="profile sessions not visited before (first visits: the page is rendered)")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_PROFILE_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--workdir", default=str(Path.home() / ".cache" / "sscard-page-profile"))
    args = parser.parse_args(argv)

    workdir = Path(args.workdir)
    (workdir / "prometheus").mkdir(parents=True, exist_ok=True)
    database_url = f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{RECORDS_PG_DATABASE}_{args.size}"
    env = _env(database_url, args.redis_url, workdir)
    persons, owners = workdir / "persons.txt", workdir / "employers.txt"
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env={**os.environ, **env},
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-m", "bench.records", "sessions", "--persons", "500", "--employers", "500",
                    "--out-persons", str(persons), "--out-employers", str(owners)],
                   cwd=ROOT, env={**os.environ, **env}, check=True, stdout=subprocess.DEVNULL)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    lines = [line.rstrip("\n").split("\t") for line in (persons if args.page == "person" else owners).open()]
    lines = [[args.path or path, cookie] for path, cookie in lines[:args.sessions]]
    handler = WSGIHandler()
    statuses: dict[str, int] = {}

    def call(path, cookie):
        def start_response(status, _headers, exc_info=None):
            statuses[status] = statuses.get(status, 0) + 1
        chunks = handler(_environ(path, cookie), start_response)
        for _chunk in chunks:
            pass
        chunks.close()

    def requests(count: int, offset: int):
        return [lines[(offset + i) % len(lines)] for i in range(count)]

    queries = [0]

    def counting(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    for path, cookie in requests(args.warmup, 0):
        call(path, cookie)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    redis_client = redis.Redis.from_url(args.redis_url)
    statuses.clear()
    measured = requests(args.requests, args.warmup)
    redis_before, pg_before = _redis_calls(redis_client), _backend_cpu(backend)
    cpu_before, wall_before = time.process_time(), time.perf_counter()
    walls = []
    with connection.execute_wrapper(counting):
        for path, cookie in measured:
            started = time.perf_counter()
            call(path, cookie)
            walls.append(time.perf_counter() - started)
    cpu, wall = time.process_time() - cpu_before, time.perf_counter() - wall_before
    pg, redis_calls = _backend_cpu(backend) - pg_before, _redis_calls(redis_client) - redis_before
    n = args.requests
    print(f"{n} GETs of the {args.page} page ({args.size}), answers {statuses}")
    print(f"  Python CPU     {1000 * cpu / n:6.2f} ms/request")
    print(f"  PostgreSQL CPU {1000 * pg / n:6.2f} ms/request")
    print(f"  together       {1000 * (cpu + pg) / n:6.2f} ms/request; wall {1000 * wall / n:.2f} ms/request")
    print(f"  SQL statements {queries[0] / n:6.2f} /request; Redis commands {redis_calls / n:.2f} /request")
    walls.sort()
    print("  wall, one at a time: " + ", ".join(f"p{p} {1000 * percentile(walls, p):.2f}" for p in (50, 90, 99))
          + f", max {1000 * walls[-1]:.2f} ms")

    if args.cprofile:
        import cProfile
        import pstats

        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for path, cookie in requests(args.requests, args.warmup + (args.requests if args.cold else 0)):
            call(path, cookie)
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats(args.sort)
        stats.print_stats(args.cprofile)
        if args.callers:
            stats.print_callers(args.callers)


if __name__ == "__main__":
    main(sys.argv[1:])
