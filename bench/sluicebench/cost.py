"""bench/profile --cost: user-space instructions Sluice spends per statement, from callgrind, deterministic
enough to decide optimisations on a shared machine (wall-clock figures there are noise).

For each (workload, Sluice config, sysbench statement mode) it runs sysbench through a Sluice under callgrind
twice, with a small and a large fixed number of events (sysbench --events, --time=0), and divides the
difference in the worker thread's instructions by the difference in statements: start-up, logins and
COM_STMT_PREPAREs cancel out, and so does the monitor (its own thread, left out). What is left is the cost of
one statement's way through the worker: read, classify, route, forward, response, bookkeeping.
"""

import glob
import os
import re
import subprocess

from . import procs, workloads
from .targets import HAProxy, Sluice

ROWS = 10_000  # per table, 4 tables
# (name, kind, read_write_split); kind "haproxy": HAProxy mode tcp (nbthread 1) under the same callgrind, the
# reference for what forwarding alone costs in user space (its statements counted by sysbench, its busiest thread
# measured; read_write_split does not apply)
CONFIGS = [("all-primary", "sluice", False), ("split", "sluice", True), ("haproxy", "haproxy", None)]
# sysbench --db-ps-mode: auto = COM_STMT_EXECUTE (classified once, at PREPARE); disable = COM_QUERY text
MODES = [("prepared", "auto"), ("text", "disable")]


def thread_instructions(out_prefix, marker):
    """{file: instructions} of each thread's callgrind file, and which file is the worker's: the busiest that
    mentions marker (a function only the worker runs), or the busiest of all if marker is None (HAProxy)."""
    totals, worker = {}, None
    for path in sorted(glob.glob(out_prefix + "*")):
        with open(path, errors="replace") as f:
            text = f.read()
        m = re.search(r"^(?:summary|totals):\s+(\d+)", text, re.M)
        totals[path] = int(m.group(1)) if m else 0
        if (marker is None or marker in text) and (worker is None or totals[path] > totals[worker]):
            worker = path
    return totals, worker


# --cache: callgrind also simulates a data cache of one core's L2 size (512 KiB here): what misses it is a
# statement's memory that was not touched recently, which is what grows with the number of busy sessions.
CACHE_ARGS = ["--cache-sim=yes", "--LL=524288,8,64"]


def cache_misses(path):
    """Data misses of the simulated last-level cache (reads + writes) in one thread's callgrind file, without
    the worker's 100 ms clock (Worker::on_tick and what it calls): under callgrind everything else runs ~50×
    slower while the clock keeps its pace, so its share would be inflated."""
    out = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--show=DLmr,DLmw", "--threshold=100", path],
                         capture_output=True, text=True, check=True).stdout
    total = tick = None
    for line in out.splitlines():
        m = re.match(r"\s*([0-9,]+|\.)\s*(?:\([ 0-9.]+%\))?\s+([0-9,]+|\.)\s*(?:\([ 0-9.]+%\))?\s+(.*)$", line)
        if not m:
            continue
        n = sum(int(x.replace(",", "")) if x != "." else 0 for x in m.group(1, 2))
        if "PROGRAM TOTALS" in m.group(3):
            total = n
        elif "Worker::on_tick" in m.group(3) and tick is None:
            tick = n
    if total is None:
        raise RuntimeError(f"no totals in callgrind_annotate's output for {path}")
    return total - (tick or 0)


# Events of the larger run per --statements: oltp_read_only's event is 14 statements (4 of them 100-row ranges).
EVENT_SHARE = {"oltp_point_select": 1, "oltp_read_only": 14}


def one(run_dir, cluster, args, ports, workload, kind, split, ps_mode, events, tag, log):
    out_prefix = os.path.join(run_dir, f"cost.{tag}.out")
    wrapper = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_prefix}", "--separate-threads=yes"]
    if args.cache:
        wrapper += CACHE_ARGS
    haproxy = kind == "haproxy"
    if haproxy:
        s = HAProxy(run_dir, ports[0], cluster.primary_port, 1, 4096, wrapper=wrapper)
    else:
        s = Sluice(run_dir, args.sluice, ports[0], ports[1], cluster.ports, 1, split=split, wrapper=wrapper)
    s.start()
    try:
        argv = workloads.sysbench_argv(workload, s.port, args.threads, 0, 4, ROWS)
        argv[-1:-1] = [f"--events={events}", f"--db-ps-mode={ps_mode}"]
        before = {} if haproxy else s.stats()
        code, out = procs.run(argv, timeout=3600)
        after = {"statements": workloads.parse_sysbench(out)["statements"] or 0} if haproxy else s.stats()
        log.write(f"=== cost {tag}\n{' '.join(argv)}\n{out}\n")
        if code != 0:
            raise RuntimeError(f"sysbench failed ({tag}): {out[-500:]}")
    finally:
        procs.stop(s.proc, timeout=180)
    statements = after.get("statements", 0) - before.get("statements", 0)
    replica = after.get("replica_reads", 0) - before.get("replica_reads", 0)
    totals, worker = thread_instructions(out_prefix, None if haproxy else "ClientSession::run_command")
    if worker is None:
        raise RuntimeError(f"no worker thread in {out_prefix}*")
    return {"statements": statements, "replica_reads": replica, "worker_ir": totals[worker],
            "worker_file": worker, "worker_misses": cache_misses(worker) if args.cache else None}


def measure(run_dir, cluster, args, ports, log):
    """[(config, mode, instructions per statement, replica share, the two runs)]"""
    rows = []
    for workload in args.cost_workloads.split(","):
        large = max(2, args.statements // EVENT_SHARE.get(workload, 1))
        small = max(1, large // 10)
        for cname, kind, split in [c for c in CONFIGS if c[0] in args.cost_configs.split(",")]:
            for mname, ps_mode in [m for m in MODES if m[0] in args.cost_modes.split(",")]:
                tag = f"{workload}.{cname}.{mname}"
                print(f"cost: {tag}: {small} and {large} events under callgrind", flush=True)
                a = one(run_dir, cluster, args, ports, workload, kind, split, ps_mode, small, f"{tag}.{small}", log)
                b = one(run_dir, cluster, args, ports, workload, kind, split, ps_mode, large, f"{tag}.{large}", log)
                n = b["statements"] - a["statements"]
                per = (b["worker_ir"] - a["worker_ir"]) / n if n > 0 else None
                share = b["replica_reads"] / b["statements"] if b["statements"] else None
                misses = ((b["worker_misses"] - a["worker_misses"]) / n
                          if args.cache and n > 0 else None)
                rows.append((workload, cname, mname, per, share, misses, a, b))
                print(f"cost: {tag}: {per:,.0f} instructions per statement" if per else "cost: ?", flush=True)
                if misses is not None:
                    print(f"cost: {tag}: {misses:,.1f} cache misses per statement", flush=True)
    return rows


def markdown(rows, statements, cache=False):
    out = ["## Instructions per statement (callgrind, worker thread)", "",
           f"oltp_point_select: {statements:,} minus {max(1, statements // 10):,} events; oltp_read_only (14 "
           f"statements an event, 4 of them 100-row ranges, reads in autocommit): {statements // 14:,} minus "
           f"{max(1, statements // 140):,} events. The difference in the worker thread's instructions divided by "
           "the difference in statements Sluice answered (SHOW STATS).",
           "", "| workload | target | statements sent as | instructions / statement | answered by replicas |"
           + (" misses of a 512 KiB cache / statement |" if cache else ""),
           "|---|---|---|---:|---:|" + ("---:|" if cache else "")]
    for workload, cname, mname, per, share, misses, _, _ in rows:
        line = (f"| {workload} | {cname} | {mname} | {per:,.0f} | {share * 100:.0f} % |"
                if per is not None and share is not None else f"| {workload} | {cname} | {mname} | — | — |")
        if cache:
            line += f" {misses:,.1f} |" if misses is not None else " — |"
        out.append(line)
    if cache:
        out += ["", "Cache misses: callgrind `" + " ".join(CACHE_ARGS) + "` (a cache the size of one core's L2), "
                "data reads and writes of the worker thread that missed it, its 100 ms clock left out, per statement "
                "(the same difference of two runs). A line a statement touched shortly before is a hit; with "
                "hundreds of busy sessions, each session's memory is a miss each time."]
    return "\n".join(out) + "\n"
