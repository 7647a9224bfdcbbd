"""CPU time of a process tree, from /proc (Linux)."""

import os

_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float, str, float] | None:
    """(parent pid, user+system seconds, name, seconds of its reaped children) of one process, or None when it is
    gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            data = handle.read().decode()
    except OSError:
        return None
    fields = data[data.rindex(")") + 2:].split()
    # fields[0] is the state (3rd field of stat); utime, stime, cutime and cstime are the 14th to 17th fields.
    return (int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICKS, data[data.index("(") + 1:data.rindex(")")],
            (int(fields[13]) + int(fields[14])) / _TICKS)


def _processes() -> dict[int, tuple[int, float, str, float]]:
    """pid -> `_stat` of every live process."""
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat is not None:
                found[int(entry)] = stat
    return found


def tree_cpu_seconds(root: int) -> float:
    """User + system CPU seconds used so far by `root` and every live descendant."""
    processes = _processes()
    total, stack = 0.0, [root]
    children: dict[int, list[int]] = {}
    for pid, (parent, *_) in processes.items():
        children.setdefault(parent, []).append(pid)
    while stack:
        pid = stack.pop()
        total += processes[pid][1] if pid in processes else 0.0
        stack.extend(children.get(pid, []))
    return total


SERVICE_NAMES = ("postgres", "redis-server")


def machine_cpu() -> dict:
    """`machine_ticks()` and `services`: the CPU seconds used so far by the PostgreSQL and Redis processes running
    on this machine (by process name)."""
    services = 0.0
    processes = _processes()
    for parent, own, name, reaped in processes.values():
        if name in SERVICE_NAMES:
            # A backend that exits is reaped by the postmaster, which then carries its CPU (cutime, cstime): the
            # sum stays monotonic while connections come and go (but for a backend reaped between the reads of
            # the postmaster's line and its own: one backend's CPU, a few ms, missed in that snapshot).
            is_root = parent not in processes or processes[parent][2] not in SERVICE_NAMES
            services += own + (reaped if is_root else 0.0)
    return {**machine_ticks(), "services": services}


def machine_ticks() -> dict:
    """CPU seconds of the whole machine so far, all cores together, from /proc/stat's first line: `busy` (user,
    nice, system, irq, softirq), `steal` (taken by the hypervisor for other guests) and `idle` (with iowait)."""
    with open("/proc/stat") as handle:
        fields = [int(x) / _TICKS for x in handle.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0.0] * 8)[:8]
    return {"busy": user + nice + system + irq + softirq, "steal": steal, "idle": idle + iowait}


def machine() -> dict:
    """CPU model, cores, memory and load: printed with every result table."""
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_kb = 0
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    mem_kb = int(line.split()[1])
    except OSError:
        pass
    return {"cpu_model": model, "cores": os.cpu_count(), "memory_gib": round(mem_kb / 1024 / 1024, 1),
            "load_average": [round(x, 2) for x in os.getloadavg()], "kernel": os.uname().release}
