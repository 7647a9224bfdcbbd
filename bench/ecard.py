"""`python -m bench.ecard [--seconds S]`: offline e-card verification throughput of the pure verifier
(sscard/domain/ecard.py) on one core, printed as one JSON object. No server, no database: a terminal's work.

The process pins itself to one CPU; it verifies 1,000 distinct valid tokens (different cards, signed by one of
two published keys) round and round for the given time and times every call."""

import argparse
import json
import os
import time

from sscard.domain import ecard


def run(seconds: float) -> dict:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    signing = [ecard.private_key_from_seed(bytes([n]) * 32) for n in (1, 2)]
    keys = {f"k{n}": key.public_key() for n, key in enumerate(signing)}
    now = 1_800_000_000
    tokens = [ecard.sign(ecard.make_claims(card=f"C-{i:08d}", issuer="sscard", now=now, holder="张*"),
                         signing[i % 2], f"k{i % 2}") for i in range(1000)]
    for token in tokens[:100]:  # warm-up, and a check that they all verify
        assert ecard.verify(token, keys, now + 1).ok
    durations = []
    clock = time.perf_counter_ns
    deadline = time.monotonic() + seconds
    cpu_start, started = time.process_time(), time.perf_counter()
    while time.monotonic() < deadline:
        for token in tokens:
            t0 = clock()
            result = ecard.verify(token, keys, now + 1)
            durations.append(clock() - t0)
            if not result.ok:
                raise RuntimeError(f"verification failed: {result}")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_start
    durations.sort()
    count = len(durations)
    return {"verifications": count, "duration_s": round(elapsed, 3), "rps": round(count / elapsed, 1),
            "p50_ms": round(durations[count // 2] / 1e6, 4), "p99_ms": round(durations[int(count * 0.99)] / 1e6, 4),
            "cpu_ms_per_verification": round(1000 * cpu / count, 4), "token_chars": len(tokens[0])}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    print(json.dumps(run(parser.parse_args().seconds)))
