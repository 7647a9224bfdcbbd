"""`python -m bench [--quick] [--profile sqlite|postgres] [--scenario NAME]`; `python -m bench servers`;
`python -m bench threads`.

Each profile gets a fresh database, the production server with production settings (debug off, JSON logs,
whitenoise, `SSCARD_BENCH=1` for the ceiling view) on a free loopback port, and wrk as the load generator.
"""

import argparse
import datetime as dt
import os
import platform
import sys
import time

from . import procstat, report, wrk
from .scenarios import SCENARIOS, Context, Scenario, _flat, records_flat, settlement_flat
from .server import Profile, Server

# The production choice (docs/deploy.md, "Choosing the server"): granian's WSGI interface.
DEFAULT_SERVER = "granian"
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 4
PROFILE_DESCRIPTIONS = {
    "sqlite": "embedded default: SQLite file, local-memory cache, sessions in the database, tasks in-process",
    "postgres": "production: PostgreSQL, Redis cache and sessions, Celery broker on Redis",
}


DURATION_OVERRIDE: list[float] = []
REPEAT = [1]  # --repeat: each scenario but the ceiling run this many times in a row (rows of the same name)
LOOKUP_NOTE = ("Progress look-ups: the per-client limit (ServiceSettings.progress_lookups_per_minute, default 30) is "
               "raised to 10,000,000 in the benchmark databases, since wrk is one client; on PostgreSQL the "
               "smallint column is widened to integer there (bench.fixtures lookup-limit).")
SUBMISSION_NOTE = ("Submission: 6 requests per citizen (4 form steps incl. a 600x800 JPEG upload, the confirmation "
                   "page, the submit that redirects to the office code); a citizen of its own per flow, with an "
                   "open session written into the session store; flows/s counts completed submissions.")


def _durations(quick: bool) -> tuple[float, float]:
    """(warm-up, measured) seconds per wrk run."""
    warmup, duration = (1, 3) if quick else (3, 15)
    return warmup, (DURATION_OVERRIDE[0] if DURATION_OVERRIDE else duration)


def measure(server: Server, *, script: str, connections: int, duration_s: float, env: dict,
            threads: int | None = None, paced: tuple[str, float] | None = None) -> wrk.WrkResult:
    if paced:
        kind, rate = paced
        return wrk.run_paced(url=server.url, kind=kind, rate=rate, connections=connections, duration_s=duration_s,
                             env=env, cpu_probe=server.cpu_seconds)
    return wrk.run(url=server.url, script=script, connections=connections, duration_s=duration_s, env=env,
                   cpu_probe=server.cpu_seconds, threads=threads or 2)


def run_scenario(ctx: Context, scenario: Scenario, ceilings: dict, quick: bool) -> dict:
    row = {"name": scenario.name, "title": scenario.title, "connections": scenario.connections,
           "goal": scenario.goal}
    reason = scenario.skip_reason(ctx) if scenario.skip_reason else ""
    if not reason and scenario.offline is not None:
        # No HTTP, so no ceiling: the goal is absolute (e.g. verifications per second on one core).
        result = scenario.offline(ctx, _durations(quick)[1])
        row["result"] = {"wrk_cpu_pct": None, "server_cpu_pct": None,
                         "server_cpu_ms_per_request": result.get("cpu_ms_per_verification"), **result}
        # An offline result may carry its own ratio (e.g. raw COPY / declare for the declaration import).
        row["ceiling"], row["ratio"], row["problems"] = None, result.get("ratio"), []
        row["goal_met"] = bool(scenario.goal_met(result["rps"], result["p99_ms"], result.get("ratio") or 0.0))
        return row
    if reason or scenario.build is None:
        row["skipped"] = reason or "not implemented"
        return row
    warmup, duration = _durations(quick)
    duration = max(duration, scenario.min_duration_s)
    if scenario.max_duration_s:
        duration = min(duration, scenario.max_duration_s)
    run = scenario.build(ctx)
    server = run.server or ctx.server
    measure(server, script=run.script, connections=scenario.connections, duration_s=warmup,
            env={**run.env, **run.warmup_env}, threads=run.threads, paced=run.paced)
    result = measure(server, script=run.script, connections=scenario.connections, duration_s=duration,
                     env=run.env, threads=run.threads, paced=run.paced)
    checks = run.after() if run.after else None
    if scenario.name == "ceiling":
        ceilings[scenario.connections] = result
    if run.server is not None:
        # Another server (another database): its own ceiling, measured right after, as long.
        ceiling_run = SCENARIOS[0].build(ctx)
        ceiling = measure(server, script=ceiling_run.script, connections=scenario.connections,
                          duration_s=duration, env=ceiling_run.env)
    else:
        if scenario.connections not in ceilings:
            ceiling_run = SCENARIOS[0].build(ctx)
            ceilings[scenario.connections] = measure(ctx.server, script=ceiling_run.script,
                                                     connections=scenario.connections, duration_s=duration,
                                                     env=ceiling_run.env)
        ceiling = ceilings[scenario.connections]
    row["result"] = result.as_dict()
    row["ceiling"] = {"rps": round(ceiling.rps, 1), "p50_ms": ceiling.p50_ms, "p99_ms": ceiling.p99_ms}
    row["ratio"] = round(result.rps / ceiling.rps, 3) if ceiling.rps else None
    if run.flows:
        row["flows_per_s"] = round(run.flows(result.counters) / result.duration_s, 1)
        row["server_cpu_ms_per_flow"] = (round(1000 * result.server_cpu_s / run.flows(result.counters), 1)
                                         if run.flows(result.counters) else None)
    if result.counters.get("repeat"):
        row["repeats"] = result.counters["repeat"]
    problems = []
    if result.errors:
        problems.append(f"socket errors {result.errors}")
    for counter, share in run.expect.items():
        seen = result.counters.get(counter, 0)
        if result.requests and seen / result.requests < share:
            problems.append(f"only {seen} of {result.requests} responses were {counter} "
                            f"(expected ≥{share:.0%}); counters {result.counters}")
    if checks is not None:
        row["checks"] = checks
        problems += [f"{name} {checks[name]}" for name in run.must_be_zero if checks.get(name)]
    row["problems"] = problems
    if scenario.goal_met is not None:
        row["goal_met"] = bool(scenario.goal_met(result.rps, result.p99_ms, row["ratio"] or 0.0)) and not problems
    return row


def _run_scenarios(name: str, ctx: Context, only: set[str], quick: bool) -> list[dict]:
    ceilings: dict = {}
    rows = []
    for scenario in [x for x in SCENARIOS for _ in range(REPEAT[0] if x.name != "ceiling" else 1)]:
        if name not in scenario.profiles or (only and scenario.name not in only and scenario.name != "ceiling"):
            continue
        if scenario.name == "ceiling" and _offline_only(only):
            continue  # nothing over HTTP to compare with it
        print(f"[{name}] {scenario.name} ...", flush=True)
        started = time.monotonic()
        try:
            row = run_scenario(ctx, scenario, ceilings, quick)
        except Exception as error:  # noqa: BLE001 - one broken scenario must not lose the others
            row = {"name": scenario.name, "title": scenario.title, "connections": scenario.connections,
                   "goal": scenario.goal, "skipped": f"failed: {error}"}
            print(f"[{name}] {scenario.name} failed: {error!r}; server log: {ctx.server.log_path}",
                  file=sys.stderr)
        row["wall_s"] = round(time.monotonic() - started, 1)
        print(f"[{name}] {scenario.name}: " + (f"skipped ({row['skipped']})" if row.get("skipped") else
              f"{row['result']['rps']:.0f} req/s, p50 {row['result']['p50_ms']} ms, "
              f"p99 {row['result']['p99_ms']} ms, ratio {row['ratio']}"
              + (f", {row['flows_per_s']} flows/s" if row.get("flows_per_s") is not None else "")
              + (f", problems {row['problems']}" if row.get("problems") else "")), flush=True)
        rows.append(row)
    return rows


def _offline_only(only: set[str]) -> bool:
    """Only scenarios that need no server were asked for."""
    return bool(only) and all(scenario.offline is not None and not scenario.needs_server
                              for scenario in SCENARIOS if scenario.name in only)


def run_profile(name: str, *, quick: bool, only: set[str], server_kind: str, workers: int, threads: int,
                keep_database: bool) -> dict:
    profile = Profile.create(name)
    if _offline_only(only):  # e.g. `--scenario ecard_verify`: no database, no server, no wrk
        try:
            ctx = Context(profile=profile, server=None, quick=quick, workdir=profile.workdir)
            return {"name": name, "description": PROFILE_DESCRIPTIONS[name],
                    "scenarios": _run_scenarios(name, ctx, only, quick)}
        finally:
            profile.cleanup()
    print(f"[{name}] preparing database and static files in {profile.workdir}", flush=True)
    try:
        profile.prepare(keep_database=keep_database)
        with Server(profile, kind=server_kind, workers=workers, threads=threads) as server:
            ctx = Context(profile=profile, server=server, quick=quick, workdir=profile.workdir)
            try:
                rows = _run_scenarios(name, ctx, only, quick)
            finally:
                for cleanup in ctx.cache.get("cleanup", []):
                    cleanup()
        by_name = {row["name"]: row for row in rows}
        flat = _flat(by_name)
        if flat is not None:
            by_name["progress_1m"]["vs_10k"] = flat
            by_name["progress_1m"]["goal_met"] = flat["flat"] and not by_name["progress_1m"].get("problems")
        for page, flat_row in records_flat(by_name).items():
            large = by_name[f"{page}_10m"]
            large["vs_1m"] = flat_row
            large["goal_met"] = bool(large.get("goal_met")) and flat_row["flat"]
        for large_name, settle_flat in settlement_flat(by_name).items():
            by_name[large_name]["vs_10k_stored"] = settle_flat
            by_name[large_name]["goal_met"] = bool(by_name[large_name].get("goal_met")) and settle_flat["flat"]
        submission = by_name.get("submission")
        if submission and not submission.get("skipped") and name == "postgres":
            submission["goal_met"] = (submission.get("flows_per_s") or 0) >= 100 and not submission["problems"]
        return {"name": name, "description": PROFILE_DESCRIPTIONS[name], "scenarios": rows}
    finally:
        profile.cleanup()


def main_run(args) -> None:
    machine = procstat.machine()
    data = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "mode": "quick" if args.quick else "full",
        "machine": {**machine, "python": platform.python_version()},
        "server": f"{args.server}, {args.workers} workers x {args.threads} threads",
        "wrk": wrk.wrk_version(),
        "profiles": [],
        "notes": [
            "Login is deliberately expensive: argon2id with Django's parameters (100 MiB, 2 passes) per attempt. "
            "The personal center with an existing session is measured separately.",
            "wrk runs on the same 2 cores as the server, so its CPU use is taken from the server's budget.",
            LOOKUP_NOTE,
            SUBMISSION_NOTE,
        ],
    }
    only = set(args.scenario or [])
    for name in args.profile or ["sqlite", "postgres"]:
        data["profiles"].append(run_profile(name, quick=args.quick, only=only, server_kind=args.server,
                                            workers=args.workers, threads=args.threads,
                                            keep_database=args.keep_database))
    data["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    json_path, md_path = report.write(data, stem=args.output)
    print(md_path.read_text())
    print(f"written: {json_path} {md_path}")


# --- Server comparison (docs/deploy.md) ---------------------------------------------------------------

SERVER_CANDIDATES = [
    ("gunicorn-sync", 2, 1), ("gunicorn-sync", 5, 1),
    ("gunicorn-gthread", 2, 4),
    ("granian", 2, 1), ("granian", 2, 4),
]


def main_servers(args) -> None:
    """The ceiling view and the home page on each candidate server, SQLite profile, same machine.

    Candidates are interleaved over `--rounds` rounds and the median kept, so that a burst of load from
    elsewhere on the machine hits every candidate alike rather than one of them.
    """
    warmup, duration = _durations(args.quick)
    profile = Profile.create("sqlite")
    samples: dict[tuple, list[dict]] = {}
    try:
        profile.prepare()
        for round_number in range(args.rounds):
            for kind, workers, threads in SERVER_CANDIDATES:
                with Server(profile, kind=kind, workers=workers, threads=threads) as server:
                    for path in ("/bench/ceiling", "/"):
                        env = {"BENCH_PATH": path}
                        for connections in args.connections:
                            _sample(samples, round_number, server, path, script="get.lua", env=env,
                                    connections=connections, warmup=warmup, duration=duration)
    finally:
        profile.cleanup()
    _write_comparison("servers", "Server comparison", "SQLite profile, production settings", samples,
                      rounds=args.rounds, duration=duration)


def _sample(samples: dict[tuple, list[dict]], round_number: int, server: Server, path: str, *, script: str,
            env: dict, connections: int, warmup: float, duration: float) -> None:
    """One interleaved comparison run: a warm-up, then the measured run, kept under (server, path, connections)."""
    measure(server, script=script, connections=connections, duration_s=warmup, env=env)
    result = measure(server, script=script, connections=connections, duration_s=duration, env=env)
    row = {**result.as_dict(), "load_1m": round(os.getloadavg()[0], 2)}
    samples.setdefault((server.description, path, connections), []).append(row)
    print(f"round {round_number + 1} {server.description:40} {path:42} c={connections:<3}"
          f" {result.rps:7.0f} req/s p50 {result.p50_ms:7.2f} p99 {result.p99_ms:7.2f} ms"
          f" cpu/req {result.server_cpu_ms_per_request:5.2f} ms"
          f" wrk {result.wrk_cpu_pct:3.0f}% load {row['load_1m']}", flush=True)


def comparison_rows(samples: dict[tuple, list[dict]]) -> list[dict]:
    """One row per (server, path, connections): the median of each figure over its interleaved runs."""
    import statistics

    return [{"server": description, "path": path, "connections": connections, "runs": runs,
             **{key: statistics.median(run[key] for run in runs)
                for key in ("rps", "p50_ms", "p99_ms", "server_cpu_ms_per_request", "wrk_cpu_pct")}}
            for (description, path, connections), runs in samples.items()]


def _write_comparison(stem: str, title: str, setting: str, samples: dict[tuple, list[dict]], *, rounds: int,
                      duration: float) -> None:
    import json

    machine = procstat.machine()
    rows = comparison_rows(samples)
    loads = [run["load_1m"] for runs in samples.values() for run in runs]
    lines = [f"# {title} — {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}", "",
             f"{machine['cpu_model']}, {machine['cores']} cores, {machine['memory_gib']} GiB; "
             f"{wrk.wrk_version().split(' Copyright')[0]}; {setting}; "
             f"median of {rounds} interleaved rounds of {duration:.0f} s; "
             f"1-minute load average during the runs {min(loads)}–{max(loads)} (the machine is shared).", "",
             "| Server | Path | Conn. | req/s | p50 ms | p99 ms | server CPU ms/req | wrk CPU |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['server']} | `{r['path']}` | {r['connections']} | {r['rps']:,.0f} | {r['p50_ms']:.2f} | "
                     f"{r['p99_ms']:.2f} | {r['server_cpu_ms_per_request']:.2f} | {r['wrk_cpu_pct']:.0f}% |")
    report.RESULTS.mkdir(parents=True, exist_ok=True)
    (report.RESULTS / f"{stem}.md").write_text("\n".join(lines) + "\n")
    (report.RESULTS / f"{stem}.json").write_text(json.dumps({"machine": machine, "rows": rows}, indent=2) + "\n")
    print("\n".join(lines))


# granian workers x blocking threads compared on the records pages (issue 13): the production setting first
THREAD_CANDIDATES = [(DEFAULT_WORKERS, DEFAULT_THREADS), (2, 2), (2, 1)]
# ... and single-threaded granians behind HAProxy (one queue for all requests): this many processes
BALANCED_CANDIDATES = [2, 3, 4]


def main_threads(args) -> None:
    """The records pages (the person's page and the employer's month view, 10,000,000 ledger rows, PostgreSQL
    profile) on granian with each count of workers x blocking threads, all started at once and measured in
    turn, interleaved over `--rounds` rounds, median kept: a page that waits on PostgreSQL and Redis, where the
    threads of a worker share one GIL. With HAProxy installed, also 2-4 single-threaded granians behind it."""
    import shutil

    from .scenarios import RECORDS_SIZES, first_visits, records_sessions
    from .server import BalancedServer, records_profile

    warmup, duration = _durations(args.quick)
    rows, employers = RECORDS_SIZES["10m"]
    profile = records_profile(rows, employers)
    servers = [Server(profile, kind="granian", workers=w, threads=t) for w, t in THREAD_CANDIDATES]
    if shutil.which("haproxy"):
        servers += [BalancedServer(profile, processes=n) for n in BALANCED_CANDIDATES]
    else:
        print("haproxy is not installed (Debian: apt-get install haproxy): the balanced set-ups are left out",
              flush=True)
    samples: dict[tuple, list[dict]] = {}
    try:
        persons, owners = records_sessions(profile, profile.workdir, "10m")
        for server in servers:
            server.start()
        first_visits(servers[0].url, persons, owners)
        pages = (("/records/mine/", persons), ("/records/employer/declarations/<YYYY-MM>/", owners))
        for round_number in range(args.rounds):
            for path, data in pages:
                for server in servers:
                    _sample(samples, round_number, server, path, script="records.lua",
                            env={"BENCH_DATA": str(data)}, connections=32, warmup=warmup, duration=duration)
    finally:
        for server in servers:
            server.stop()
        profile.cleanup()
    _write_comparison("threads", "Threads per worker on the records pages",
                      "PostgreSQL profile, 10,000,000 ledger rows, production settings", samples,
                      rounds=args.rounds, duration=duration)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("command", nargs="?", default="run", choices=["run", "servers", "threads"])
    parser.add_argument("--quick", action="store_true", help="a few seconds per scenario (CI smoke run)")
    parser.add_argument("--profile", action="append", choices=["sqlite", "postgres"],
                        help="database profile(s) to run (default: both)")
    parser.add_argument("--scenario", action="append", help="only these scenarios (the ceiling always runs)")
    parser.add_argument("--server", default=DEFAULT_SERVER,
                        choices=["granian", "gunicorn-sync", "gunicorn-gthread"])
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    parser.add_argument("--keep-database", action="store_true", help="reuse the PostgreSQL benchmark database")
    parser.add_argument("--connections", type=int, action="append", help="servers: concurrency levels")
    parser.add_argument("--rounds", type=int, default=3, help="servers: interleaved rounds (median kept)")
    parser.add_argument("--output", default="latest", help="results file stem under bench/results/")
    parser.add_argument("--duration", type=float, help="measured seconds per wrk run (overrides the mode)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each chosen scenario this many times in a row, to see a noisy machine's spread")
    args = parser.parse_args(argv)
    if args.duration:
        DURATION_OVERRIDE.append(args.duration)
    REPEAT[0] = max(1, args.repeat)
    try:
        wrk.wrk_binary()
    except wrk.WrkMissing as error:
        sys.exit(str(error))
    if args.command == "servers":
        args.connections = args.connections or [32]
        main_servers(args)
    elif args.command == "threads":
        main_threads(args)
    else:
        main_run(args)


if __name__ == "__main__":
    main(sys.argv[1:])
