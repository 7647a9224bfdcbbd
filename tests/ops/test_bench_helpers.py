"""The benchmark harness's own helpers: synthetic identities and CPU accounting."""

import os
import time

from bench.fixtures import HUBEI_SAMPLE, citizen_identity
from bench.procstat import machine, tree_cpu_seconds
from sscard.domain.idnumber import parse_id_number
from sscard.domain.regions import is_known_region


def test_synthetic_citizens_are_valid_unique_and_from_hubei():
    identities = [citizen_identity(n) for n in range(0, 2_000_000, 997)]
    assert len({i[1] for i in identities}) == len(identities)
    assert len({i[2] for i in identities}) == len(identities)
    for _, id_number, phone in identities[:300]:
        info = parse_id_number(id_number)
        assert info.region_code in HUBEI_SAMPLE and is_known_region(info.region_code)
        assert len(phone) == 11 and phone.startswith(("138", "139"))


def test_cpu_of_this_process_tree_is_counted():
    start = tree_cpu_seconds(os.getpid())
    # Burn 50 ms of this process's CPU (five clock ticks of /proc accounting), however busy the machine is.
    begun = time.process_time()
    while time.process_time() - begun < 0.05:
        sum(i * i for i in range(10_000))
    assert tree_cpu_seconds(os.getpid()) > start


def test_machine_description_names_cpu_cores_and_memory():
    info = machine()
    assert info["cores"] >= 1 and info["memory_gib"] > 0 and info["cpu_model"]


def test_lookup_cost_is_flat_only_when_cpu_and_median_stay_close():
    from bench.scenarios import _flat

    def row(p50, cpu):
        return {"result": {"p50_ms": p50, "p99_ms": 3 * p50, "server_cpu_ms_per_request": cpu}}

    assert _flat({"progress_cold": row(10, 4.0), "progress_1m": row(11, 4.4)})["flat"] is True
    assert _flat({"progress_cold": row(10, 4.0), "progress_1m": row(30, 4.1)})["flat"] is False
    assert _flat({"progress_cold": row(10, 4.0), "progress_1m": row(10, 6.0)})["flat"] is False
    assert _flat({"progress_cold": row(10, 4.0)}) is None
    assert _flat({"progress_cold": row(10, 4.0), "progress_1m": {"skipped": "failed"}}) is None
