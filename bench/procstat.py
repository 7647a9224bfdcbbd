"""CPU time of a process tree, from /proc (Linux)."""

import os

_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, user+system seconds) of one process, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            data = handle.read().decode()
    except OSError:
        return None
    fields = data[data.rindex(")") + 2:].split()
    # fields[0] is the state (3rd field of stat); utime and stime are the 14th and 15th fields.
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICKS


def tree_cpu_seconds(root: int) -> float:
    """User + system CPU seconds used so far by `root` and every live descendant."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat is not None:
                parents[int(entry)], cpu[int(entry)] = stat
    total, stack = 0.0, [root]
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    while stack:
        pid = stack.pop()
        total += cpu.get(pid, 0.0)
        stack.extend(children.get(pid, []))
    return total


SERVICE_NAMES = ("postgres", "redis-server")


def _processes() -> dict[int, tuple[str, int, float, float]]:
    """pid -> (name, parent pid, own user+system seconds, seconds of its reaped children) of every process."""
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    data = handle.read().decode()
            except OSError:
                continue
            rest = data[data.rindex(")") + 2:].split()
            found[int(entry)] = (data[data.index("(") + 1:data.rindex(")")], int(rest[1]),
                                 (int(rest[11]) + int(rest[12])) / _TICKS, (int(rest[13]) + int(rest[14])) / _TICKS)
    return found


def machine_cpu() -> dict:
    """CPU seconds of the whole machine so far, all cores together, from /proc/stat's first line: `busy` (user,
    nice, system, irq, softirq), `steal` (taken by the hypervisor for other guests) and `idle` (with iowait); and
    `services`: the seconds used so far by the PostgreSQL and Redis processes running on it (by process name)."""
    with open("/proc/stat") as handle:
        fields = [int(x) / _TICKS for x in handle.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0.0] * 8)[:8]
    services = 0.0
    processes = _processes()
    for name, parent, own, reaped in processes.values():
        if name in SERVICE_NAMES:
            # A backend that exits is reaped by the postmaster, which then carries its CPU (cutime, cstime): the
            # sum stays monotonic while connections come and go (but for a backend reaped between the reads of
            # the postmaster's line and its own: one backend's CPU, a few ms, missed in that snapshot).
            is_root = processes.get(parent, ("",))[0] not in SERVICE_NAMES
            services += own + (reaped if is_root else 0.0)
    return {"busy": user + nice + system + irq + softirq, "steal": steal, "idle": idle + iowait,
            "services": services}


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
