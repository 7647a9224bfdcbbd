"""The scenarios. Each one prepares what it needs, then wrk drives one Lua script.

The progress lookup and submission scenarios need `sscard.applications` (models, office codes,
`GET /api/v1/progress`); until it lands they are reported as skipped with the reason.
"""

import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests

from .server import Profile, Server

CONCURRENCY = 32


@dataclass
class Context:
    profile: Profile
    server: Server
    quick: bool
    workdir: Path
    cache: dict = field(default_factory=dict)

    def citizens_file(self, count: int) -> Path:
        """Citizens created through the accounts service; one `id_number<TAB>password` per line."""
        key = ("citizens", count)
        if key not in self.cache:
            path = self.workdir / f"citizens-{count}.tsv"
            self.profile.python("-m", "bench.fixtures", "citizens", "--count", str(count), "--out", str(path))
            self.cache[key] = path
        return self.cache[key]

    def session_cookies_file(self, count: int) -> Path:
        """Sessions opened by real password logins over HTTP; one Cookie header per line."""
        key = ("sessions", count)
        if key not in self.cache:
            lines = []
            for line in self.citizens_file(count).read_text().splitlines():
                identifier, password = line.split("\t")
                lines.append(login_over_http(self.server.url, identifier, password))
            path = self.workdir / f"sessions-{count}.txt"
            path.write_text("\n".join(lines) + "\n")
            self.cache[key] = path
        return self.cache[key]


def login_over_http(base_url: str, identifier: str, password: str) -> str:
    http = requests.Session()
    http.get(f"{base_url}/accounts/login", timeout=10).raise_for_status()
    token = http.cookies.get("csrftoken")
    response = http.post(f"{base_url}/accounts/login", timeout=30, allow_redirects=False,
                         data={"identifier": identifier, "password": password, "csrfmiddlewaretoken": token})
    session = response.cookies.get("sessionid")
    if response.status_code != 302 or not session:
        raise RuntimeError(f"bench login failed: HTTP {response.status_code}")
    return f"csrftoken={http.cookies.get('csrftoken')}; sessionid={session}"


@dataclass
class Run:
    """What a scenario hands to wrk."""

    path: str
    script: str
    env: dict = field(default_factory=dict)
    # counter name -> share of requests it must reach for the run to count (e.g. {"status_200": 0.99})
    expect: dict = field(default_factory=dict)
    # number of completed flows, from the counters (for flow-based scenarios)
    flows: Callable[[dict], int] | None = None


@dataclass
class Scenario:
    name: str
    title: str
    build: Callable[[Context], Run] | None
    connections: int = CONCURRENCY
    goal: str = ""
    skip_reason: Callable[[Context], str] | None = None  # non-empty: not run, reported as skipped
    # (rps, p99_ms, ratio) -> whether the goal is met; None when the scenario has no goal
    goal_met: Callable[[float, float, float], bool] | None = None
    profiles: tuple[str, ...] = ("sqlite", "postgres")
    min_duration_s: float = 0  # slow flows need longer runs for enough samples


def _ceiling(ctx: Context) -> Run:
    return Run(path="/bench/ceiling", script="get.lua", env={"BENCH_PATH": "/bench/ceiling"},
               expect={"status_200": 0.999})


def _home_with_session(ctx: Context) -> Run:
    cookies = ctx.session_cookies_file(16 if ctx.quick else 64)
    return Run(path="/accounts/home", script="get.lua",
               env={"BENCH_PATH": "/accounts/home", "BENCH_DATA": str(cookies)}, expect={"status_200": 0.99})


def _login_home(ctx: Context) -> Run:
    users = ctx.citizens_file(16 if ctx.quick else 64)
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    return Run(path="/accounts/login", script="login_home.lua",
               env={"BENCH_DATA": str(users), "BENCH_CSRF": csrf},
               expect={"login_ok": 0.45, "home_ok": 0.45}, flows=lambda counters: counters.get("home_ok", 0))


def _needs_applications(ctx: Context) -> str:
    # Asked of the running server (this process has no Django set up): the progress API answers 404
    # until the applications app is wired in.
    try:
        status = requests.get(f"{ctx.server.url}/api/v1/progress", timeout=10).status_code
    except requests.RequestException as error:
        return f"server did not answer: {error}"
    if status == 404:
        return "needs sscard.applications (Application model, GET /api/v1/progress): phase 2"
    return "scenario not written yet (phase 2)"


SCENARIOS: list[Scenario] = [
    Scenario("ceiling", "Ceiling: minimal JSON view, full middleware", _ceiling),
    Scenario("home_session", "Personal center, existing session", _home_with_session),
    # argon2 costs ~0.2 s of CPU per login here: a few connections already saturate the server.
    Scenario("login_home", "Password login (argon2) + personal center", _login_home, connections=4,
             min_duration_s=8),
    Scenario("progress_cold", "Progress lookup (office code + ID suffix), cold", None,
             goal="≥50% of ceiling, p99 < 50 ms", skip_reason=_needs_applications),
    Scenario("progress_warm", "Progress lookup (office code + ID suffix), warm", None,
             goal="≥50% of ceiling, p99 < 50 ms", skip_reason=_needs_applications),
    Scenario("submission", "Full application submission with photo, to the office code", None,
             goal="≥100/s on PostgreSQL", skip_reason=_needs_applications),
    Scenario("progress_10k", "Progress lookup at 10,000 applications", None,
             goal="flat from 10k to 1M", skip_reason=_needs_applications),
    Scenario("progress_1m", "Progress lookup at 1,000,000 applications", None,
             goal="flat from 10k to 1M", skip_reason=_needs_applications, profiles=("postgres",)),
]
