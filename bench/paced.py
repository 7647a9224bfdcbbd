"""Open-loop load at a fixed rate, for goals of the form "N requests/s at C clients, p99 < X ms".

wrk is a closed loop: each connection sends its next request when the last answer arrives. At saturation its
latency is the queue, C connections / throughput, whatever the server does, and below saturation it cannot be
held at a rate. Here, as wrk2 does, each of the C connections keeps its own schedule: one request every
C / rate seconds, the connections' phases spread evenly over that interval. A request's latency runs from the
time it was *scheduled*, not from when it was sent, so an answer that comes late and holds up the connection's
next send is counted in full for that next request too (no coordinated omission). A request whose time has
come while its connection still waits is sent as soon as the answer arrives.

`python -m bench.paced --kind settlement --url URL --rate R -c C -d SECONDS` reads the same environment as the
Lua script of that kind (BENCH_DATA, ...) and prints one `BENCH_JSON {...}` line shaped as bench/lua/report.lua
prints it, so that `bench.wrk` reads both the same way. One thread, asyncio, plain HTTP/1.1 keep-alive on
loopback to our own server; its CPU use is measured by the harness as wrk's is.
"""

import argparse
import asyncio
import json
import math
import os
import time
from collections import Counter
from urllib.parse import urlsplit

from bench.procstat import machine_ticks


def settlement_requests(host: str) -> list[bytes]:
    """The pre-signed 2207 requests of bench/lua/settlement.lua, each sent once, with the same headers."""
    institution, key_id = os.environ["BENCH_INSTITUTION"], os.environ["BENCH_KEY_ID"]
    requests = []
    with open(os.environ["BENCH_DATA"], encoding="utf-8") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if not line:
                continue
            timestamp, nonce, signature, body = line.split("\t", 3)
            payload = body.encode()
            head = (f"POST /api/settlement/v1/2207 HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                    f"X-Sscard-Institution: {institution}\r\nX-Sscard-Key-Id: {key_id}\r\n"
                    f"X-Sscard-Timestamp: {timestamp}\r\nX-Sscard-Nonce: {nonce}\r\n"
                    f"X-Sscard-Signature: {signature}\r\nContent-Length: {len(payload)}\r\n\r\n")
            requests.append(head.encode("latin-1") + payload)
    return requests


KINDS = {"settlement": settlement_requests}


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """(status, whether the server keeps the connection open) of one HTTP/1.1 answer, its body read whole."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length, chunked, keep_alive = 0, False, True
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif name == b"connection":
            keep_alive = b"close" not in value.lower()
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status, keep_alive


def percentile(ordered: list[float], p: float) -> float:
    """The nearest-rank percentile of an ascending list."""
    if not ordered:
        return 0.0
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


async def drive(*, host: str, port: int, requests: list[bytes], rate: float, connections: int,
                duration_s: float, timeout_s: float) -> dict:
    latencies: list[float] = []
    worst: dict[int, float] = {}  # second of the schedule -> its slowest latency
    counters: Counter = Counter()
    errors: Counter = Counter()
    interval = connections / rate
    queue = iter(requests)
    start = time.monotonic() + 0.2  # every connection open before the first scheduled time
    end = start + duration_s
    finished = [start]

    async def client(index: int) -> None:
        reader = writer = None
        k = 0
        while True:
            scheduled = start + index / rate + k * interval
            if scheduled >= end:
                break
            k += 1
            request = next(queue, None)
            if request is None:
                counters["exhausted"] += 1
                break
            if writer is None:
                try:
                    reader, writer = await asyncio.open_connection(host, port)
                except OSError:
                    errors["connect"] += 1
                    continue
            wait = scheduled - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                async with asyncio.timeout(timeout_s):
                    writer.write(request)
                    status, keep_alive = await read_response(reader)
            except TimeoutError:
                errors["timeout"] += 1
                keep_alive = False
                status = None
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
                errors["read"] += 1
                keep_alive = False
                status = None
            done = time.monotonic()
            if status is not None:
                latencies.append(done - scheduled)
                second = int(scheduled - start)
                worst[second] = max(worst.get(second, 0.0), done - scheduled)
                counters[f"status_{status}"] += 1
                if status > 399:
                    errors["status"] += 1
                finished[0] = max(finished[0], done)
            if not keep_alive:
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    steal: list[float] = []

    async def sample_steal() -> None:
        """The hypervisor's steal, all cores, in each second of the schedule (ms): a stall it explains."""
        await asyncio.sleep(max(0.0, start - time.monotonic()))
        last = machine_ticks()["steal"]
        for n in range(math.ceil(duration_s)):
            await asyncio.sleep(max(0.0, start + n + 1 - time.monotonic()))
            now = machine_ticks()["steal"]
            steal.append(round(1000 * (now - last), 1))
            last = now

    await asyncio.gather(sample_steal(), *(client(i) for i in range(connections)))
    latencies.sort()
    elapsed = finished[0] - start
    us = [1e6 * x for x in latencies]
    mean = sum(us) / len(us) if us else 0.0
    return {
        "duration_us": int(1e6 * elapsed), "requests": len(latencies), "bytes": 0,
        "errors": {name: errors.get(name, 0) for name in ("connect", "read", "write", "status", "timeout")},
        "latency_us": {"min": int(us[0]) if us else 0, "mean": round(mean, 1),
                       "stdev": round(math.sqrt(sum((x - mean) ** 2 for x in us) / len(us)), 1) if us else 0.0,
                       "max": int(us[-1]) if us else 0,
                       **{f"p{str(p).replace('.', '')}": int(percentile(us, p)) for p in (50, 75, 90, 99, 99.9)}},
        "counters": dict(counters), "rate": rate,
        # the slowest answer to the requests of each second of the schedule, in ms: where a stall was
        "worst_ms_by_second": [round(1000 * worst.get(n, 0.0), 1) for n in range(math.ceil(duration_s))],
        "steal_ms_by_second": steal,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=sorted(KINDS), required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--rate", type=float, required=True, help="requests per second, all connections together")
    parser.add_argument("-c", "--connections", type=int, required=True)
    parser.add_argument("-d", "--duration", type=float, required=True, help="seconds of schedule")
    parser.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args()
    url = urlsplit(args.url)
    requests = KINDS[args.kind](url.netloc)
    result = asyncio.run(drive(host=url.hostname, port=url.port or 80, requests=requests, rate=args.rate,
                               connections=args.connections, duration_s=args.duration, timeout_s=args.timeout))
    print("BENCH_JSON " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
