"""bench/results/latest.json and latest.md."""

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def _fmt(value, digits=1, suffix=""):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}{suffix}"


def write(data: dict, stem: str = "latest") -> tuple[Path, Path]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    json_path, md_path = RESULTS / f"{stem}.json", RESULTS / f"{stem}.md"
    json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    md_path.write_text(markdown(data))
    return json_path, md_path


def markdown(data: dict) -> str:
    m = data["machine"]
    lines = [
        f"# Benchmarks ({data['mode']} mode) — {data['generated_at']}",
        "",
        f"Machine: {m['cpu_model']}, {m['cores']} cores, {m['memory_gib']} GiB RAM, kernel {m['kernel']}; "
        f"load average at start {m['load_average']}, at end {data.get('load_average_end')}.",
        f"Server: {data['server']}; load generator: {data['wrk']} on the same machine (loopback), "
        f"its CPU use shown per row (100% = one core). PG+Redis: the machine's PostgreSQL and Redis processes; "
        f"other: the rest of the machine's busy CPU (other programs, the kernel's threads); steal: time the "
        f"hypervisor gave to other guests. Rows 'at a fixed rate' are an open loop (bench/paced.py): "
        f"the load generator's column is then that client's CPU.",
        "",
        "Every row is compared with the **ceiling** (`/bench/ceiling`: a minimal JSON view through the same "
        "server and middleware) measured in the same run at the same concurrency.",
        "",
    ]
    for profile in data["profiles"]:
        lines += [f"## {profile['name']} ({profile['description']})", "",
                  "| Scenario | Conn. | req/s | p50 ms | p99 ms | ceiling req/s | ceiling p50 | ceiling p99 "
                  "| ratio | wrk CPU | server CPU | CPU ms/req | PG+Redis CPU | other CPU | steal | goal |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        notes = []
        for row in profile["scenarios"]:
            if row.get("skipped"):
                lines.append(f"| {row['title']} | – | – | – | – | – | – | – | – | – | – | – | – | – | – | skipped |")
                notes.append(f"- {row['title']}: skipped — {row['skipped']}")
                continue
            r, c = row["result"], row.get("ceiling") or {}
            goal = row.get("goal") or ""
            if row.get("goal_met") is not None:
                goal = ("✅ " if row["goal_met"] else "❌ ") + goal
            rps = _fmt(r["rps"])
            if row.get("flows_per_s") is not None:
                rps += f" ({_fmt(row['flows_per_s'])} flows/s)"
            lines.append(
                f"| {row['title']} | {row['connections']} | {rps} | {_fmt(r['p50_ms'], 2)} | "
                f"{_fmt(r['p99_ms'], 2)} | {_fmt(c.get('rps'))} | {_fmt(c.get('p50_ms'), 2)} | "
                f"{_fmt(c.get('p99_ms'), 2)} | {_fmt(row.get('ratio'), 2)} | {_fmt(r['wrk_cpu_pct'], 0, '%')} | "
                f"{_fmt(r['server_cpu_pct'], 0, '%')} | {_fmt(r.get('server_cpu_ms_per_request'), 2)} | "
                f"{_fmt(r.get('services_cpu_pct'), 0, '%')} | {_fmt(r.get('other_cpu_pct'), 0, '%')} | "
                f"{_fmt(r.get('steal_pct'), 0, '%')} | {goal} |")
            if row.get("server_cpu_ms_per_flow") is not None:
                notes.append(f"- {row['title']}: {row['flows_per_s']} completed flows/s, "
                             f"{row['server_cpu_ms_per_flow']} ms of server CPU per completed flow")
            if row.get("repeats"):
                notes.append(f"- {row['title']}: {row['repeats']} requests repeated a code (the key file "
                             "was exhausted), so not every request was cold")
            if row.get("vs_10k"):
                v = row["vs_10k"]
                notes.append(f"- {row['title']} against 10,000 applications: p50 {v['p50_1m_ms']} vs {v['p50_10k_ms']} ms "
                             f"(×{v['p50_ratio']}), p99 {v['p99_1m_ms']} vs {v['p99_10k_ms']} ms, server CPU "
                             f"{v['cpu_ms_1m']} vs {v['cpu_ms_10k']} ms/request (×{v['cpu_ratio']}): "
                             + ("flat" if v["flat"] else "not flat"))
            if row.get("vs_1m"):
                v = row["vs_1m"]
                notes.append(f"- {row['title']} against 1,000,000 ledger rows: p99 {v['p99_10m_ms']} vs "
                             f"{v['p99_1m_ms']} ms (×{v['p99_ratio']}), {v['rps_10m']} vs {v['rps_1m']} req/s: "
                             + ("flat" if v["flat"] else "not flat") + ", p99 "
                             + ("< 100 ms at both" if v["p99_under_100ms"] else "not < 100 ms at both"))
            if r.get("raw_copy_median_s") is not None:
                notes.append(f"- {row['title']}: {r['ledger_rows']:,} rows from {r['persons']:,} CSV lines; raw COPY "
                             f"{r['raw_copy_median_s']} s, declare() {r['declare_median_s']} s (median of "
                             f"{r['runs']}; runs {r['raw_copy_s']} / {r['declare_s']}); raw/declare "
                             f"{r['ratio']}; req/s column: ledger rows per second of declare(), p50/p99: "
                             "median/slowest declare() in ms")
            if row.get("checks"):
                checks = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in row["checks"].items())
                notes.append(f"- {row['title']}: counted in the database after the run: {checks}")
            if row.get("vs_10k_stored"):
                v = row["vs_10k_stored"]
                notes.append(f"- {row['title']} against 10,000 vouchers stored: {v['rps_large']} vs {v['rps_10k']} "
                             f"req/s (×{v['rps_ratio']}), p99 {v['p99_large_ms']} vs {v['p99_10k_ms']} ms "
                             f"(×{v['p99_ratio']}), server CPU {v['cpu_ms_large']} vs {v['cpu_ms_10k']} ms/request: "
                             + ("flat" if v["flat"] else "not flat"))
            if r.get("detail_body_bytes") is not None:
                notes.append(f"- {row['title']}: {r['lines']:,} lines, 3202 body {r['detail_body_bytes']:,} bytes; "
                             f"3201 {r['totals_s']} s (HTTP {r['status_3201']}, matches {r['matches_3201']}), "
                             f"3202 {r['detail_s']} s (HTTP {r['status_3202']}, mismatches "
                             f"{r['mismatches_3202']}); together {r['elapsed_s']} s")
            if r.get("worst_ms_by_second") and r["p99_ms"] >= 100:
                notes.append(f"- {row['title']}: the slowest answer of each second of the schedule, ms: "
                             + ", ".join(f"{x:g}" for x in r["worst_ms_by_second"])
                             + "; the hypervisor's steal in each second, ms of CPU: "
                             + ", ".join(f"{x:g}" for x in r.get("steal_ms_by_second") or []))
            for problem in row.get("problems", []):
                notes.append(f"- {row['title']}: {problem}")
        if notes:
            lines += ["", *notes]
        lines.append("")
    if data.get("notes"):
        lines += ["## Notes", "", *[f"- {note}" for note in data["notes"]], ""]
    return "\n".join(lines)
