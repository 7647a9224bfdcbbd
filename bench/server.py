"""Database profiles and the production server, started on a free loopback port."""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from . import procstat

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "sscard_bench")
# A Redis database of the benchmarks' own: it is emptied at the start of every PostgreSQL run.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Profile:
    """A database + cache set-up: `sqlite` is the embedded default, `postgres` the production one."""

    name: str
    workdir: Path
    env: dict = field(default_factory=dict)

    @classmethod
    def create(cls, name: str) -> "Profile":
        workdir = Path(tempfile.mkdtemp(prefix=f"sscard-bench-{name}-"))
        (workdir / "prometheus").mkdir()
        env = {
            "DJANGO_SETTINGS_MODULE": "sscard.settings",
            "SSCARD_DEBUG": "0",
            "SSCARD_HTTPS": "0",
            "SSCARD_BENCH": "1",
            "SSCARD_SECRET_KEY": secrets.token_urlsafe(50),
            "SSCARD_VAR_DIR": str(workdir / "var"),
            "SSCARD_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SSCARD_LOG_FORMAT": "json",
            "SSCARD_LOG_LEVEL": "INFO",
            "PROMETHEUS_MULTIPROC_DIR": str(workdir / "prometheus"),
            "SSCARD_CELERY_BROKER_URL": "",
            # Synthetic citizens on the default `rules` identity provider, knowingly (system check accounts.E002).
            "SSCARD_ACCEPT_UNVERIFIED_IDENTITY": "1",
            # wrk is one client: the per-client limit of the e-card status check must not interfere.
            "SSCARD_ECARD_STATUS_PER_MINUTE": "100000000",
            # wrk is one operator: its hot list limit must not be what is measured.
            "SSCARD_HOTLIST_REQUESTS_PER_MINUTE": "1000000000",
            # wrk is one client: the statement verification page's per-client limit must not interfere.
            "SSCARD_STATEMENT_VERIFY_PER_MINUTE": "1000000000",
            # wrk is one hospital: the settlement API's per-institution limit must not be what is measured.
            "SSCARD_SETTLEMENT_REQUESTS_PER_MINUTE": "1000000000",
        }
        if name == "sqlite":
            env.update({"SSCARD_DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}", "SSCARD_REDIS_URL": ""})
        elif name == "postgres":
            base = PG_ADMIN_URL.rsplit("/", 1)[0]
            env.update({"SSCARD_DATABASE_URL": f"{base}/{PG_DATABASE}", "SSCARD_REDIS_URL": REDIS_URL})
        else:
            raise ValueError(f"unknown profile {name!r} (sqlite, postgres)")
        return cls(name=name, workdir=workdir, env=env)

    def process_env(self) -> dict:
        return {**os.environ, **self.env}

    def manage(self, *args: str, quiet: bool = True) -> None:
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.process_env(), check=True,
                       stdout=subprocess.DEVNULL if quiet else None)

    def python(self, *args: str) -> None:
        subprocess.run([sys.executable, *args], cwd=ROOT, env=self.process_env(), check=True)

    def prepare(self, *, keep_database: bool = False) -> None:
        """A fresh database (unless kept), migrated; static files collected as in production."""
        if self.name == "postgres":
            if not keep_database:
                _recreate_pg_database(PG_DATABASE)
            import redis

            redis.Redis.from_url(REDIS_URL).flushdb()
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        # Before any server starts: the service settings are cached by the servers (30 s on the embedded
        # default's per-process cache), so a later change could reach them only after a while.
        self.python("-m", "bench.fixtures", "lookup-limit", "--per-minute", "10000000")

    def cleanup(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)


LARGE_PG_DATABASE = os.environ.get("BENCH_PG_LARGE_DATABASE", "sscard_bench_1m")
CACHE_DIR = Path(os.environ.get("BENCH_CACHE_DIR", Path.home() / ".cache" / "sscard-bench"))


def large_profile(applications: int) -> tuple[Profile, Path]:
    """A PostgreSQL profile on a database of `applications` synthetic applications, and its look-up keys.

    Generating a million applications takes minutes, so the database (and its key file, in CACHE_DIR) is
    kept between runs and reused while it still matches; it is migrated like any deployment.
    """
    import psycopg

    profile = Profile.create("postgres")
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    url = f"{base}/{LARGE_PG_DATABASE}"
    profile.env["SSCARD_DATABASE_URL"] = url
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    codes = CACHE_DIR / f"{LARGE_PG_DATABASE}-codes.tsv"
    reusable = False
    if codes.exists():
        try:
            with psycopg.connect(url, connect_timeout=5) as conn:
                count = conn.execute("SELECT count(*) FROM applications_application").fetchone()[0]
                first = codes.open().readline().split("\t")[0]
                known = conn.execute("SELECT 1 FROM applications_application WHERE office_code = %s",
                                     [first]).fetchone()
            reusable = count >= applications and known is not None
        except psycopg.Error:
            reusable = False
    if not reusable:
        print(f"[postgres] generating {applications:,} applications into {LARGE_PG_DATABASE} "
              "(kept for later runs)", flush=True)
        _recreate_pg_database(LARGE_PG_DATABASE)
        profile.manage("migrate", "--noinput")
        profile.manage("generate_data", "--applications", str(applications), "--seed", "1",
                       "--out-codes", str(codes), quiet=False)
    else:
        profile.manage("migrate", "--noinput")
    profile.manage("collectstatic", "--noinput")
    profile.python("-m", "bench.fixtures", "lookup-limit", "--per-minute", "10000000")
    return profile, codes


RECORDS_PG_DATABASE = os.environ.get("BENCH_PG_RECORDS_DATABASE", "sscard_bench_records")


def records_profile(rows: int, employers: int) -> Profile:
    """A PostgreSQL profile on a database of `rows` contribution ledger rows (`generate_data --employers
    --ledger-rows`), one database per size (`sscard_bench_records_1m`, `..._10m`), kept between runs and reused
    while its ledger still has that many rows: 10,000,000 rows take many minutes to generate."""
    import psycopg

    profile = Profile.create("postgres")
    label = f"{rows // 1_000_000}m" if rows >= 1_000_000 else f"{rows // 1000}k"
    name = f"{RECORDS_PG_DATABASE}_{label}"
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    url = f"{base}/{name}"
    profile.env["SSCARD_DATABASE_URL"] = url
    reusable = False
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            reusable = conn.execute("SELECT count(*) FROM records_ledgerentry").fetchone()[0] == rows
    except psycopg.Error:
        reusable = False
    if not reusable:
        print(f"[postgres] generating {rows:,} ledger rows over {employers:,} employers into {name} "
              "(kept for later runs)", flush=True)
        _recreate_pg_database(name)
        profile.manage("migrate", "--noinput")
        started = time.monotonic()
        profile.manage("generate_data", "--employers", str(employers), "--ledger-rows", str(rows), "--seed", "1",
                       quiet=False)
        print(f"[postgres] {name}: generated in {time.monotonic() - started:.0f} s", flush=True)
    else:
        profile.manage("migrate", "--noinput")
    profile.manage("collectstatic", "--noinput")
    profile.python("-m", "bench.fixtures", "lookup-limit", "--per-minute", "10000000")
    return profile


STATEMENTS_PG_DATABASE = os.environ.get("BENCH_PG_STATEMENTS_DATABASE", "sscard_bench_statements")


def statements_profile(persons: int) -> Profile:
    """A PostgreSQL profile on a database of `persons` insured persons with their 2025 ledger rows and account
    movements (bench/statements.py setup), kept between runs: 4,800,000 ledger rows for 100,000 persons."""
    import psycopg

    profile = Profile.create("postgres")
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    profile.env["SSCARD_DATABASE_URL"] = f"{base}/{STATEMENTS_PG_DATABASE}"
    try:
        with psycopg.connect(profile.env["SSCARD_DATABASE_URL"], connect_timeout=5):
            exists = True
    except psycopg.Error:
        exists = False
    if not exists:
        _recreate_pg_database(STATEMENTS_PG_DATABASE)
    profile.manage("migrate", "--noinput")
    profile.python("-m", "bench.statements", "setup", "--persons", str(persons))
    return profile


def _recreate_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


# --- Servers -----------------------------------------------------------------------------------------

WSGI_APP = "sscard.wsgi:application"


def server_command(kind: str, port: int, *, workers: int, threads: int) -> list[str]:
    bind = f"127.0.0.1:{port}"
    if kind == "granian":
        return [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
                "--workers", str(workers), "--blocking-threads", str(threads), "--no-ws",
                "--log-level", "warning", "--no-access-log", WSGI_APP]
    if kind == "gunicorn-sync":
        return [sys.executable, "-m", "gunicorn", "-k", "sync", "-w", str(workers), "-b", bind,
                "--log-level", "warning", WSGI_APP]
    if kind == "gunicorn-gthread":
        return [sys.executable, "-m", "gunicorn", "-k", "gthread", "-w", str(workers), "--threads", str(threads),
                "-b", bind, "--log-level", "warning", WSGI_APP]
    raise ValueError(f"unknown server {kind!r}")


class Server:
    def __init__(self, profile: Profile, *, kind: str, workers: int, threads: int):
        self.profile = profile
        self.kind = kind
        self.workers = workers
        self.threads = threads
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log_path = profile.workdir / f"server-{kind}-{self.port}.log"

    @property
    def description(self) -> str:
        return f"{self.kind}, {self.workers} workers x {self.threads} threads"

    def __enter__(self) -> "Server":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self, timeout_s: float = 60) -> None:
        for stale in (self.profile.workdir / "prometheus").glob("*.db"):
            stale.unlink()
        command = server_command(self.kind, self.port, workers=self.workers, threads=self.threads)
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self._log = log
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.profile.process_env(), stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        _wait_ready(self, self.kind, timeout_s)
        # every worker answers once before measuring (imports, first connections)
        for _ in range(self.workers * self.threads * 2):
            requests.get(f"{self.url}/bench/ceiling", timeout=10)

    def cpu_seconds(self) -> float:
        return procstat.tree_cpu_seconds(self.process.pid) if self.process else 0.0

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        _stop_group(self.process)
        if getattr(self, "_log", None):
            self._log.close()


def _wait_ready(server, name: str, timeout_s: float) -> None:
    """Until `server.url`/readyz answers 200; stopped, with the reason and its log's tail, if its process exits or
    it is not ready within `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    last = "no answer"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{name} exited with {server.process.returncode}:\n" + server.log_tail())
        try:
            response = requests.get(f"{server.url}/readyz", timeout=5)
            last = f"HTTP {response.status_code}"
            if response.status_code == 200:
                return
        except requests.RequestException as error:
            last = type(error).__name__
        time.sleep(0.3)
    tail = server.log_tail()
    server.stop()
    raise RuntimeError(f"{name} was not ready after {timeout_s}s (last: {last}):\n{tail}")


def _stop_group(process: subprocess.Popen | None) -> None:
    """SIGTERM to the process group of `process`, SIGKILL if it has not ended after 20 s."""
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- One single-threaded granian per slot behind HAProxy (docs/deploy.md, "Threads per worker") ----------

HAPROXY_CONFIG = """global
    maxconn 4096
    nbthread 1
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout queue 30s
    option http-keep-alive
    http-reuse always
frontend web
    bind 127.0.0.1:{port}
    default_backend app
backend app
    balance leastconn
{servers}
"""


def haproxy_config(port: int, backend_ports: list[int]) -> str:
    """HAProxy listening on `port` in front of one single-threaded server per port of `backend_ports`: `leastconn`
    with `maxconn 1` per server, so each request waits in HAProxy's one queue (first come, first served) and goes
    to whichever server is free, instead of waiting behind the connection's own worker."""
    servers = "\n".join(f"    server app{number} 127.0.0.1:{backend} maxconn 1"
                        for number, backend in enumerate(backend_ports, start=1))
    return HAPROXY_CONFIG.format(port=port, servers=servers)


class BalancedServer:
    """`processes` granian servers of 1 worker x 1 thread, each on its own port, behind HAProxy: started, measured
    (CPU of all of them and HAProxy's) and stopped as one `Server`."""

    def __init__(self, profile: Profile, *, processes: int):
        self.profile = profile
        self.backends = [Server(profile, kind="granian", workers=1, threads=1) for _ in range(processes)]
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.config_path = profile.workdir / f"haproxy-{self.port}.cfg"

    @property
    def description(self) -> str:
        return f"haproxy leastconn, {len(self.backends)} x granian 1 worker x 1 thread"

    def start(self, timeout_s: float = 60) -> None:
        haproxy = shutil.which("haproxy")
        if haproxy is None:
            raise RuntimeError("haproxy is not installed (Debian: apt-get install haproxy)")
        for backend in self.backends:
            backend.start(timeout_s)
        self.config_path.write_text(haproxy_config(self.port, [backend.port for backend in self.backends]))
        self.process = subprocess.Popen([haproxy, "-f", str(self.config_path)], cwd=ROOT, start_new_session=True,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_ready(self, f"haproxy ({self.config_path})", timeout_s)

    def cpu_seconds(self) -> float:
        own = procstat.tree_cpu_seconds(self.process.pid) if self.process else 0.0
        return own + sum(backend.cpu_seconds() for backend in self.backends)

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(backend.log_tail(lines) for backend in self.backends)

    def stop(self) -> None:
        _stop_group(self.process)
        for backend in self.backends:
            backend.stop()
