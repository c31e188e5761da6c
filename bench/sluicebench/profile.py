"""bench/profile's body: where Sluice spends its CPU under sysbench, with callgrind and (if it works) perf.

callgrind counts user-space instructions per function (valgrind serialises the threads and runs ~50× slower, so
its QPS means nothing); perf samples the real binary on the cpu-clock software event, kernel included, which is
where a proxy that mostly moves bytes between sockets spends much of its time.
"""

import argparse
import contextlib
import datetime
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

from . import cost, machine, procs, workloads
from .targets import Cluster, Sluice

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def parse_args(argv):
    p = argparse.ArgumentParser(prog="bench/profile")
    p.add_argument("--sluice", required=True)
    p.add_argument("--sluice-build", default="")
    p.add_argument("--loadclient", required=True)
    p.add_argument("--out", default=os.path.join(ROOT, "docs", "benchmarks"))
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--seconds", type=int, default=30, help="per workload, per profiler")
    p.add_argument("--workloads", default="oltp_point_select,oltp_read_only,churn")
    p.add_argument("--split", action="store_true", help="profile Sluice with the read/write split on")
    p.add_argument("--cost", action="store_true",
                   help="only instructions per statement (callgrind), split off and on, prepared and text")
    p.add_argument("--statements", type=int, default=20_000,
                   help="--cost: statements of the larger run (sysbench events × statements per event)")
    p.add_argument("--cost-workloads", default="oltp_point_select,oltp_read_only",
                   help="--cost: which sysbench workloads")
    p.add_argument("--cost-configs", default="all-primary,split",
                   help="--cost: which targets: all-primary, split (Sluice), haproxy (the reference)")
    p.add_argument("--cost-modes", default="prepared,text", help="--cost: prepared and/or text statements")
    p.add_argument("--cache", action="store_true",
                   help="--cost: also count misses of a simulated 512 KiB cache per statement (slower)")
    return p.parse_args(argv)


def top_lines(text, limit):
    return "\n".join(text.splitlines()[:limit])


def drive(s, workload, args, log, own):
    """Runs one workload through Sluice s; returns a line saying how fast it went."""
    if workload == "churn":
        r = workloads.run_churn(args.loadclient, s, args.seconds, 8, own, log)
        return (f"{r.get('connects_per_s') or 0:,.0f} connects/s, proxy CPU "
                f"{r.get('cpu_s_per_m') or 0:.1f} s per million connects")
    r = workloads.run_sysbench(s, workload, args.threads, args.seconds, 4, 100_000, own, log)
    return f"{r.get('qps') or 0:,.0f} QPS, proxy CPU {r.get('cpu_s_per_m') or 0:.1f} s per million statements"


def callgrind(run_dir, cluster, workload, args, ports, log):
    out_file = os.path.join(run_dir, f"callgrind.{workload}.out")
    wrapper = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}", "--collect-systime=usec"]
    s = Sluice(run_dir, args.sluice, ports[0], ports[1], cluster.ports, args.workers, split=args.split,
               wrapper=wrapper)
    s.start()
    try:
        speed = drive(s, workload, args, log, lambda: [s.pid()])
    finally:
        procs.stop(s.proc, timeout=180)
    flat = subprocess.run(["callgrind_annotate", "--inclusive=no", out_file], capture_output=True, text=True)
    incl = subprocess.run(["callgrind_annotate", "--inclusive=yes", out_file], capture_output=True, text=True)
    return speed, flat.stdout, incl.stdout


def perf(run_dir, cluster, workload, args, ports, log):
    code, out = procs.run(["perf", "record", "-e", "cpu-clock", "-o", "/dev/null", "true"], timeout=30)
    if code != 0:
        return None, f"perf record does not work here:\n{out}"
    s = Sluice(run_dir, args.sluice, ports[0], ports[1], cluster.ports, args.workers, split=args.split)
    s.start()
    data = os.path.join(run_dir, f"perf.{workload}.data")
    try:
        rec = procs.spawn(["perf", "record", "-e", "cpu-clock", "-F", "999", "-g", "-p", str(s.pid()), "-o", data,
                           "--", "sleep", str(args.seconds + 2)], log_path=os.path.join(run_dir, "perf.log"))
        time.sleep(1)
        speed = drive(s, workload, args, log, lambda: [s.pid()])
        rec.wait(timeout=args.seconds + 120)
    finally:
        procs.stop(s.proc)
    report = subprocess.run(["perf", "report", "-i", data, "--stdio", "--no-children", "--sort", "dso,sym",
                             "-g", "none", "--percent-limit", "0.7"], capture_output=True, text=True)
    by_dso = subprocess.run(["perf", "report", "-i", data, "--stdio", "--no-children", "--sort", "dso", "-g", "none"],
                            capture_output=True, text=True)

    def keep(text, n):
        return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")][:n]

    return speed, "\n".join(keep(by_dso.stdout, 10) + [""] + keep(report.stdout, 45))


def main(argv):
    args = parse_args(argv)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    run_dir = tempfile.mkdtemp(prefix="sbp-", dir="/tmp")
    ports = procs.free_ports(7)
    cluster = Cluster(ROOT, os.path.join(run_dir, "db"), ports[:3], hard)
    log = open(os.path.join(run_dir, "profile.log"), "a", buffering=1)
    info = machine.describe(ROOT, args)
    ok = False
    try:
        print(f"cluster in {run_dir}", flush=True)
        cluster.up()
        # --cost counts instructions, which the data's size does not change: small data, prepared quickly.
        workloads.sysbench_prepare(cluster.primary_port, 4, cost.ROWS if args.cost else 100_000, log)
        cluster.wait_replicas()
        if args.cost:
            rows = cost.measure(run_dir, cluster, args, ports[3:5], log)
            ok = True
            print(f"callgrind files kept in {run_dir}", flush=True)
            return write_cost(args, info, rows)
        sections = []
        for w in args.workloads.split(","):
            print(f"{w}: callgrind", flush=True)
            cg = callgrind(run_dir, cluster, w, args, ports[3:5], log)
            print(f"{w}: perf", flush=True)
            pf = perf(run_dir, cluster, w, args, ports[5:7], log)
            sections.append((w, cg, pf))
        ok = True
    finally:
        with contextlib.suppress(Exception):
            cluster.down()
    path, f = open_report(args, "profile", "Sluice CPU profile", info)
    with f:
        f.write(f"- Sluice: limits.workers {args.workers}, binary {args.sluice} ({args.sluice_build})\n")
        f.write(f"- load: {args.workloads}, one at a time, {args.seconds} s each per profiler; sysbench with "
                f"{args.threads} threads on 4 tables × 100,000 rows; churn with 8 client threads (connect, "
                "SELECT 1, close); "
                + ("read/write split on" if args.split else "everything to the primary") + "\n\n")
        for w, (cg_speed, flat, incl), (pf_speed, pf) in sections:
            f.write(f"## {w}\n\n### callgrind: user-space instructions by function (self)\n\n")
            f.write(f"Under callgrind (serialised, ~50× slower; the speed means nothing): {cg_speed}\n\n")
            f.write("```\n" + top_lines(flat, 60) + "\n```\n\n")
            f.write("### callgrind: inclusive\n\n```\n" + top_lines(incl, 60) + "\n```\n\n")
            f.write("### perf record -e cpu-clock (kernel included): by shared object, then by symbol\n\n")
            if pf_speed:
                f.write(f"While sampled: {pf_speed}\n\n")
            f.write("```\n" + pf + "\n```\n\n")
    print(f"wrote {path}", flush=True)
    if ok:
        shutil.rmtree(run_dir, ignore_errors=True)
    return 0 if ok else 1


def open_report(args, kind, title, info):
    """DIR/<date>-<kind>.md, open for writing, its title and the machine's description written."""
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M")
    path = os.path.join(args.out, f"{stamp}-{kind}.md")
    os.makedirs(args.out, exist_ok=True)
    f = open(path, "w")
    f.write(f"# {title}, {datetime.date.today().isoformat()}\n\n")
    f.write("\n".join(f"- {k}: {v}" for k, v in info.items()) + "\n")
    return path, f


def write_cost(args, info, rows):
    path, f = open_report(args, "cost", "Sluice instructions per statement", info)
    with f:
        f.write(f"- Sluice: limits.workers 1, binary {args.sluice} ({args.sluice_build}); sysbench "
                f"{args.threads} threads, 4 tables × {cost.ROWS:,} rows\n\n")
        f.write(cost.markdown(rows, args.statements, args.cache))
    print(f"wrote {path}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
