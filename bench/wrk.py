"""Run wrk with one of our Lua scripts and return its numbers, plus wrk's own CPU use."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import procstat

LUA_DIR = Path(__file__).resolve().parent / "lua"


class WrkMissing(RuntimeError):
    pass


def wrk_binary() -> str:
    path = shutil.which("wrk")
    if not path:
        raise WrkMissing("wrk is not installed: apt-get install -y wrk (Debian's package)")
    return path


def wrk_version() -> str:
    result = subprocess.run([wrk_binary(), "-v"], capture_output=True, text=True)
    return (result.stdout or result.stderr).splitlines()[0].strip() if (result.stdout or result.stderr) else "?"


@dataclass
class WrkResult:
    duration_s: float
    requests: int
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    p999_ms: float
    max_ms: float
    errors: dict
    counters: dict
    wrk_cpu_s: float
    server_cpu_s: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def wrk_cpu_pct(self) -> float:
        """wrk's CPU time as a share of one core over the run (100 = one core busy)."""
        return 100 * self.wrk_cpu_s / self.duration_s if self.duration_s else 0.0

    @property
    def server_cpu_pct(self) -> float:
        return 100 * self.server_cpu_s / self.duration_s if self.duration_s else 0.0

    @property
    def server_cpu_ms_per_request(self) -> float:
        """Server CPU per answered request: the efficiency figure least disturbed by a busy machine."""
        return 1000 * self.server_cpu_s / self.requests if self.requests else 0.0

    def as_dict(self) -> dict:
        return {"duration_s": round(self.duration_s, 2), "requests": self.requests, "rps": round(self.rps, 1),
                "p50_ms": self.p50_ms, "p90_ms": self.p90_ms, "p99_ms": self.p99_ms, "p999_ms": self.p999_ms,
                "max_ms": self.max_ms, "errors": self.errors, "counters": self.counters,
                "wrk_cpu_s": round(self.wrk_cpu_s, 2), "wrk_cpu_pct": round(self.wrk_cpu_pct, 1),
                "server_cpu_s": round(self.server_cpu_s, 2), "server_cpu_pct": round(self.server_cpu_pct, 1),
                "server_cpu_ms_per_request": round(self.server_cpu_ms_per_request, 3),
                **self.extra}


def run(*, url: str, script: str, connections: int, duration_s: float, threads: int = 2,
        env: dict | None = None, timeout_s: int = 10, cpu_probe=None) -> WrkResult:
    """Run `wrk` against `url` with `bench/lua/<script>`.

    wrk's CPU is read from the kernel's accounting of the finished child (wait4), so it is exact and
    includes all of wrk's threads. `cpu_probe()` (optional) returns the server's CPU seconds so far.
    """
    threads = max(1, min(threads, connections))
    command = [wrk_binary(), f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration_s))}s",
               f"--timeout={timeout_s}s", "-s", str(LUA_DIR / script), url]
    return _load(command, {"BENCH_THREADS": str(threads), **(env or {})}, cpu_probe, "wrk")


def run_paced(*, url: str, kind: str, rate: float, connections: int, duration_s: float, env: dict | None = None,
              timeout_s: int = 10, cpu_probe=None) -> WrkResult:
    """Open-loop load at `rate` requests/s over `connections`, latency from each request's scheduled time
    (bench/paced.py); read and accounted for as a wrk run is."""
    command = [sys.executable, "-m", "bench.paced", "--kind", kind, "--url", url, "--rate", str(rate),
               "-c", str(connections), "-d", str(duration_s), "--timeout", str(timeout_s)]
    result = _load(command, env or {}, cpu_probe, "bench.paced")
    result.extra["offered_rps"] = rate
    return result


def _load(command: list[str], env: dict, cpu_probe, name: str) -> WrkResult:
    process_env = {**os.environ, "BENCH_LUA_DIR": str(LUA_DIR), **env}
    machine_before = procstat.machine_cpu()
    server_before = cpu_probe() if cpu_probe else 0.0
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, env=process_env, cwd=LUA_DIR.parent.parent)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        server_after = cpu_probe() if cpu_probe else 0.0
        machine_after = procstat.machine_cpu()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        raise RuntimeError(f"{name} failed ({process.returncode}): {stderr or stdout}")
    line = next((x for x in stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"{name} printed no result line:\n{stdout}\n{stderr}")
    data = json.loads(line[len("BENCH_JSON "):])
    duration = data["duration_us"] / 1e6
    latency = data["latency_us"]

    def ms(value) -> float:
        return round(value / 1000, 2)

    spent = {key: machine_after[key] - machine_before[key] for key in machine_before}
    load_cpu = usage.ru_utime + usage.ru_stime
    return WrkResult(
        duration_s=duration, requests=data["requests"],
        rps=data["requests"] / duration if duration else 0.0,
        p50_ms=ms(latency["p50"]), p90_ms=ms(latency["p90"]), p99_ms=ms(latency["p99"]),
        p999_ms=ms(latency["p999"]), max_ms=ms(latency["max"]),
        errors={k: v for k, v in data["errors"].items() if v}, counters=data["counters"],
        wrk_cpu_s=load_cpu, server_cpu_s=server_after - server_before,
        extra={**machine_shares(spent, server_after - server_before, load_cpu, duration),
               **{key: data[key] for key in ("worst_ms_by_second", "steal_ms_by_second") if key in data}})


def machine_shares(spent: dict, server_s: float, load_s: float, duration_s: float) -> dict:
    """Where the machine's CPU went during a run, in % of one core (as wrk's and the server's columns): all of it,
    PostgreSQL and Redis, the rest (neither the server, nor the load generator, nor those services: other programs
    and the kernel's own threads), and the time stolen by the hypervisor. A row whose "other" or "steal" is large
    ran on a busy machine."""
    if not duration_s:
        return {}

    def pct(seconds: float) -> float:
        return round(100 * seconds / duration_s, 1)

    return {"machine_cpu_pct": pct(spent["busy"]), "services_cpu_pct": pct(spent["services"]),
            "other_cpu_pct": pct(max(0.0, spent["busy"] - spent["services"] - server_s - load_s)),
            "steal_pct": pct(spent["steal"])}
