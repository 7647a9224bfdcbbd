"""The benchmark harness's own helpers: synthetic identities and CPU accounting."""

import os
import time

import pytest

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


def test_records_pages_are_flat_only_when_p99_at_10m_stays_within_one_and_a_half_times_1m():
    from bench.scenarios import records_flat

    def row(p99, rps=100.0):
        return {"result": {"p99_ms": p99, "rps": rps}}

    flat = records_flat({"records_person_1m": row(40), "records_person_10m": row(60),
                         "employer_month_1m": row(80), "employer_month_10m": row(121)})
    assert flat["records_person"]["flat"] and flat["records_person"]["p99_under_100ms"]
    assert not flat["employer_month"]["flat"] and not flat["employer_month"]["p99_under_100ms"]
    assert flat["records_person"]["p99_ratio"] == 1.5
    skipped = records_flat({"records_person_1m": row(40), "records_person_10m": {"skipped": "not merged"}})
    assert skipped == {}


def test_the_records_report_states_the_import_ratio_and_flatness():
    from bench.report import markdown

    machine_info = {"cpu_model": "x", "cores": 2, "memory_gib": 4, "kernel": "k", "load_average": [1, 1, 1]}
    imported = {"name": "declaration_import", "title": "Declaration import", "connections": 1, "goal": "≥ 0.5",
                "goal_met": False, "ratio": 0.325, "problems": [],
                "result": {"rps": 9376.9, "p50_ms": 42658.0, "p99_ms": 45500.3, "wrk_cpu_pct": None,
                           "server_cpu_pct": None, "persons": 100000, "ledger_rows": 400000, "runs": 3,
                           "raw_copy_s": [11.0, 16.72, 13.86], "declare_s": [36.28, 42.66, 45.5],
                           "raw_copy_median_s": 13.86, "declare_median_s": 42.66, "ratio": 0.325}}
    text = markdown({"mode": "full", "generated_at": "now", "machine": machine_info, "server": "granian",
                     "wrk": "wrk", "profiles": [{"name": "postgres", "description": "d", "scenarios": [imported]}]})
    assert "raw COPY 13.86 s, declare() 42.66 s (median of 3" in text and "raw/declare 0.325" in text
    assert "| Declaration import | 1 |" in text and "❌" in text


def test_a_runs_machine_cpu_is_split_into_ours_the_services_the_rest_and_steal():
    from bench.procstat import machine_cpu
    from bench.wrk import machine_shares

    # 10 s on 2 cores: 15 s busy, of which server 8, load generator 1, PostgreSQL+Redis 4: 2 s of others; 0.5 stolen.
    shares = machine_shares({"busy": 15.0, "services": 4.0, "steal": 0.5, "idle": 4.5}, 8.0, 1.0, 10.0)
    assert shares == {"machine_cpu_pct": 150.0, "services_cpu_pct": 40.0, "other_cpu_pct": 20.0, "steal_pct": 5.0}
    # Counters read a moment apart (server after machine) must not make the rest negative.
    assert machine_shares({"busy": 1.0, "services": 0.5, "steal": 0.0, "idle": 0.0}, 0.6, 0.1, 1.0)[
        "other_cpu_pct"] == 0.0
    assert machine_shares({"busy": 1.0, "services": 0.0, "steal": 0.0, "idle": 0.0}, 0.0, 0.0, 0.0) == {}
    before = machine_cpu()
    begun = time.process_time()
    while time.process_time() - begun < 0.05:
        sum(i * i for i in range(10_000))
    after = machine_cpu()
    # 50 ms of this process's CPU is in the machine's busy time (counted in clock ticks: 10 ms of slack).
    assert after["busy"] - before["busy"] >= 0.04
    assert after["services"] >= 0 and before["services"] >= 0


def test_interleaved_comparison_keeps_the_median_of_each_figure():
    from bench.__main__ import comparison_rows

    def run(rps, p50, p99, cpu):
        return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "server_cpu_ms_per_request": cpu, "wrk_cpu_pct": 5}

    samples = {("granian, 2 workers x 4 threads", "/records/mine/", 32):
               [run(450, 68, 137, 3.24), run(590, 52, 107, 2.37), run(412, 76, 138, 3.41)],
               ("granian, 2 workers x 1 threads", "/records/mine/", 32):
               [run(542, 57, 96, 2.63), run(617, 47, 116, 2.34)]}
    rows = {row["server"]: row for row in comparison_rows(samples)}
    # by hand: the middle of three runs, the mean of the middle two of an even count
    four, one = rows["granian, 2 workers x 4 threads"], rows["granian, 2 workers x 1 threads"]
    assert (four["rps"], four["p50_ms"], four["p99_ms"], four["server_cpu_ms_per_request"]) == (450, 68, 137, 3.24)
    assert (one["rps"], one["p50_ms"], one["p99_ms"]) == (579.5, 52, 106)
    assert one["server_cpu_ms_per_request"] == pytest.approx(2.485)
    assert len(four["runs"]) == 3 and one["path"] == "/records/mine/" and one["connections"] == 32


def test_haproxy_sends_each_request_to_a_free_single_threaded_server_from_one_queue():
    from bench.server import haproxy_config

    config = haproxy_config(8080, [9001, 9002, 9003])
    lines = [line.strip() for line in config.splitlines()]
    assert "bind 127.0.0.1:8080" in lines
    assert "balance leastconn" in lines
    # one request at a time per server, so the others wait in HAProxy's queue, not behind a busy worker
    assert [line for line in lines if line.startswith("server ")] == [
        "server app1 127.0.0.1:9001 maxconn 1",
        "server app2 127.0.0.1:9002 maxconn 1",
        "server app3 127.0.0.1:9003 maxconn 1",
    ]
    # keep-alive to the servers: no new connection per request
    assert "http-reuse always" in lines and "option http-keep-alive" in lines
