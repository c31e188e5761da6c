"""bench/run's body: bring everything up, run the plan interleaved, write the results, stop everything."""

import argparse
import contextlib
import datetime
import os
import resource
import shutil
import signal
import sys
import tempfile
import time

from . import machine, procs, report, stats, workloads
from .targets import Cluster, Direct, Floor, HAProxy, OverSocket, ReplicaPort, Sluice, serves

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

MODES = {
    "full": dict(threads=[1, 8, 64, 512], seconds=10, rounds=5, tables=4, table_size=100_000,
                 churn_seconds=10, stream_rows=1_048_576, idle_count=10_000, warmup=20),
    "quick": dict(threads=[8], seconds=3, rounds=1, tables=2, table_size=10_000,
                  churn_seconds=3, stream_rows=65_536, idle_count=1_000, warmup=2),
}
WORKLOADS = ["oltp_point_select", "oltp_read_only", "oltp_read_write"]
EXTRAS = ["churn", "stream", "idle"]
CHURN_THREADS = 8


def parse_args(argv):
    p = argparse.ArgumentParser(prog="bench/run", description="Sluice vs direct vs HAProxy, interleaved.")
    p.add_argument("--quick", action="store_true", help="a few seconds per cell, 8 threads, 1 round (CI)")
    p.add_argument("--out", default=os.path.join(ROOT, "docs", "benchmarks"), help="where results go")
    p.add_argument("--sluice", required=True, help="the sluice binary")
    p.add_argument("--sluice-build", default="", help="how that binary was built (for the report)")
    p.add_argument("--loadclient", required=True, help="bench/loadclient.c, built")
    p.add_argument("--workers", default="1,2",
                   help="all-primary Sluice targets (read_write_split: false), one per limits.workers value (1,2)")
    p.add_argument("--worker-scheduling", default="auto",
                   help="limits.worker_scheduling of the all-primary targets; a comma list "
                        "(auto,normal,batch,adaptive) gives one target per value and worker count, named "
                        "sluice-wN-normal etc. (auto)")
    p.add_argument("--split-workers", type=int, default=2,
                   help="limits.workers of the read/write split target, sluice-rwsplit (2; 0: no such target)")
    p.add_argument("--socket-targets", action="store_true",
                   help="also direct-socket (the primary's Unix socket) and, for the first all-primary Sluice target, "
                        "the same process with its clients on its Unix socket (listen.socket), e.g. sluice-w1-socket")
    p.add_argument("--floor-target", action="store_true",
                   help="also `floor` in the churn cells: bench/floor.c, which answers the login and SELECT 1 from "
                        "memory with no database behind it (the cost floor of any proxy that terminates TCP)")
    p.add_argument("--floor", help="bench/floor.c, built (bench/run passes it)")
    p.add_argument("--haproxy-threads", type=int, default=os.cpu_count(), help="HAProxy nbthread (nproc)")
    p.add_argument("--threads", help="sysbench thread counts, e.g. 8,64")
    p.add_argument("--time", type=int, dest="seconds", help="seconds per sysbench cell")
    p.add_argument("--rounds", type=int)
    p.add_argument("--only", help="comma list of workloads to run: " + ",".join(WORKLOADS + EXTRAS))
    p.add_argument("--keep", action="store_true", help="keep the temp dir (logs, configs) after the run")
    a = p.parse_args(argv)
    a.mode = "quick" if a.quick else "full"
    plan = dict(MODES[a.mode])
    if a.threads:
        plan["threads"] = [int(x) for x in a.threads.split(",")]
    if a.seconds:
        plan["seconds"] = a.seconds
    if a.rounds:
        plan["rounds"] = a.rounds
    plan["only"] = a.only.split(",") if a.only else WORKLOADS + EXTRAS
    unknown = set(plan["only"]) - set(WORKLOADS + EXTRAS)
    if unknown:
        p.error(f"unknown workloads: {', '.join(sorted(unknown))}")
    a.plan = plan
    a.worker_counts = [int(x) for x in a.workers.split(",")]
    a.schedulings = a.worker_scheduling.split(",")
    if set(a.schedulings) - {"auto", "normal", "batch", "adaptive"}:
        p.error(f"--worker-scheduling: one or more of auto, normal, batch, adaptive, not {a.worker_scheduling}")
    a.sluice_variants = [(w, s) for w in a.worker_counts for s in a.schedulings]
    if a.floor_target and not a.floor:
        p.error("--floor-target needs --floor (the built bench/floor.c; bench/run passes it)")
    return a


def idle_count_for(target, requested, nofile):
    """The idle test's session count for one target: as many as the descriptor limit allows (some room left)."""
    return min(requested, (nofile - 200) // target.descriptors_per_session)


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


class Run:
    def __init__(self, args, workdir):
        self.args, self.plan, self.workdir = args, args.plan, workdir
        self.records = []
        self.failures = []
        self.log = open(os.path.join(workdir, "bench.log"), "a", buffering=1)
        self.started = time.monotonic()

    def say(self, text):
        elapsed = int(time.monotonic() - self.started)
        print(f"[{elapsed // 60:3d}:{elapsed % 60:02d}] {text}", flush=True)

    def own_pids(self):
        pids = list(self.cluster.pids())
        pids += [t.pid() for t in self.targets if t.is_proxy and t.proc is not None and t.proc.poll() is None]
        return list(dict.fromkeys(pids))  # a Sluice and its OverSocket view are one process

    def ensure_alive(self, t):
        """A proxy that died mid-run is a result (and a failure); restart it so the other cells still run."""
        if t.is_proxy and (t.proc is None or t.proc.poll() is not None):
            code = None if t.proc is None else t.proc.returncode
            self.failures.append(f"{t.name} exited (code {code}); restarted")
            self.say(f"!! {t.name} exited (code {code}); restarting it")
            t.start()

    def record(self, workload, threads, target, rnd, sample):
        rec = {"workload": workload, "threads": threads, "target": target.name, "round": rnd}
        rec.update(sample)
        self.records.append(rec)
        if not sample.get("ok"):
            self.failures.append(f"{workload} {threads} {target.name} round {rnd}: {sample.get('failure', '')}")
        return rec

    def rounds(self, workload):
        """(round, the targets that serve the workload, in this round's order): the order rotates so no target
        always goes first."""
        targets = [t for t in self.targets if serves(t, workload)]
        n = len(targets)
        for r in range(self.plan["rounds"]):
            k = r % n
            yield r + 1, targets[k:] + targets[:k]

    def setup(self, nofile):
        self.nofile = nofile
        split = self.args.split_workers > 0
        ports = procs.free_ports(4 + 2 * len(self.args.sluice_variants) + (2 if split else 0)
                                 + (1 if self.args.floor_target else 0))
        self.cluster = Cluster(ROOT, os.path.join(self.workdir, "db"), ports[:3], nofile)
        self.say(f"cluster: primary 127.0.0.1:{ports[0]}, replicas {ports[1]}, {ports[2]} (in {self.workdir})")
        self.cluster.up()
        # HAProxy needs 2 descriptors per connection; leave room for its own.
        maxconn = min(12000, (nofile - 200) // 2)
        self.targets = [Direct(self.cluster),
                        HAProxy(self.workdir, ports[3], ports[0], self.args.haproxy_threads, maxconn)]
        for i, (w, scheduling) in enumerate(self.args.sluice_variants):
            self.targets.append(Sluice(self.workdir, self.args.sluice, ports[4 + 2 * i], ports[5 + 2 * i],
                                       ports[:3], w, scheduling=scheduling))
        if split:
            first = 4 + 2 * len(self.args.sluice_variants)
            self.targets.append(Sluice(self.workdir, self.args.sluice, ports[first], ports[first + 1], ports[:3],
                                       self.args.split_workers, split=True))
        if self.args.floor_target:
            self.targets.append(Floor(self.workdir, self.args.floor, ports[-1]))
        if self.args.socket_targets:
            self.targets.insert(1, Direct(self.cluster, on_socket=True))
            first = next(t for t in self.targets if isinstance(t, Sluice) and not t.split)
            self.targets.insert(self.targets.index(first) + 1, OverSocket(first))
        for t in self.targets:
            t.start()
            where = t.socket or f"127.0.0.1:{t.port}"
            self.say(f"target {t.name} on {where}" + (f" (pid {t.pid()})" if t.pid() else ""))
        p = self.plan
        self.say(f"sysbench prepare: {p['tables']} tables × {p['table_size']:,} rows")
        workloads.sysbench_prepare(self.cluster.primary_port, p["tables"], p["table_size"], self.log)
        self.say(f"warm-up: oltp_read_only direct, 8 threads, {p['warmup']} s")
        workloads.run_sysbench(self.targets[0], "oltp_read_only", 8, p["warmup"], p["tables"], p["table_size"],
                               self.own_pids, self.log)
        if split:
            # The split target reads on the replicas: they must hold the data, and their buffer pools be warm.
            self.cluster.wait_replicas()
            for port in self.cluster.ports[1:]:
                self.say(f"warm-up: oltp_read_only on the replica at {port}, 8 threads, {p['warmup']} s")
                workloads.run_sysbench(ReplicaPort(port), "oltp_read_only", 8, p["warmup"], p["tables"],
                                       p["table_size"], self.own_pids, self.log)

    def run_sysbench_cells(self):
        p = self.plan
        for workload in [w for w in WORKLOADS if w in p["only"]]:
            for threads in p["threads"]:
                for rnd, order in self.rounds(workload):
                    for t in order:
                        self.ensure_alive(t)
                        s = workloads.run_sysbench(t, workload, threads, p["seconds"], p["tables"],
                                                   p["table_size"], self.own_pids, self.log, self.cluster.pids())
                        self.record(workload, threads, t, rnd, s)
                        self.say(f"{workload:18s} {threads:4d} thr  round {rnd}  {t.name:16s} "
                                 + (f"{s['qps']:10,.0f} qps  p99 {s['p99_ms']} ms  errors {s['errors']:.0f}"
                                    if s["ok"] else f"FAILED: {s.get('failure')}"))

    def run_extras(self):
        p = self.plan
        if "churn" in p["only"]:
            for rnd, order in self.rounds("churn"):
                for t in order:
                    self.ensure_alive(t)
                    s = workloads.run_churn(self.args.loadclient, t, p["churn_seconds"], CHURN_THREADS,
                                            self.own_pids, self.log, self.cluster.pids())
                    self.record("connection_churn", CHURN_THREADS, t, rnd, s)
                    self.say(f"churn  round {rnd}  {t.name:16s} " + (
                        f"{s['connects_per_s']:8,.0f} connects/s  errors {s['errors']}" if s["ok"]
                        else f"FAILED: {s.get('failure')}"))
        if "stream" in p["only"]:
            for rnd, order in self.rounds("stream"):
                for t in order:
                    s = workloads.run_stream(self.args.loadclient, t, p["stream_rows"], self.own_pids, self.log)
                    self.record("stream", 1, t, rnd, s)
                    growth = s.get("rss_growth_kib")
                    self.say(f"stream round {rnd}  {t.name:16s} " + (
                        f"{s['mib_per_s']:8,.1f} MiB/s" + (f"  RSS +{growth / 1024:.1f} MiB" if growth is not None
                                                            else "") if s["ok"] else f"FAILED: {s.get('failure')}"))
        if "idle" in p["only"]:
            baseline = self.cluster.threads_connected() or 0
            for rnd, order in self.rounds("idle"):
                for t in order:
                    self.cluster.wait_sessions_below(baseline + 100, 300)
                    s = workloads.run_idle(self.args.loadclient, t, idle_count_for(t, p["idle_count"], self.nofile),
                                           self.own_pids, self.log)
                    self.record("idle", 16, t, rnd, s)
                    self.say(f"idle   round {rnd}  {t.name:16s} " + (
                        f"{s['open']:,} open, {s['errors']} errors, {s.get('kib_per_conn', 0):.1f} KiB each"
                        if s["ok"] else f"FAILED: {s.get('failure')}"))

    def stop(self):
        for t in getattr(self, "targets", []):
            with contextlib.suppress(Exception):
                t.stop()
        if hasattr(self, "cluster"):
            with contextlib.suppress(Exception):
                self.cluster.down()


def _sigterm(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def settings_for(args, nofile):
    p = args.plan
    idle_count = min(p["idle_count"], (nofile - 200) // 2)
    split_idle = min(p["idle_count"], (nofile - 200) // 3)
    return {
        "churn_threads": CHURN_THREADS, "churn_seconds": p["churn_seconds"], "stream_rows": p["stream_rows"],
        "idle_count": idle_count,
        "describe": {
            "mode": args.mode,
            "sysbench": f"{p['tables']} tables × {p['table_size']:,} rows; "
                        f"threads {', '.join(map(str, p['threads']))}; {p['seconds']} s per cell; "
                        f"{p['rounds']} round(s); --db-ps-mode=auto (prepared statements), default rand-type; "
                        "percentiles from sysbench's histogram",
            "connection churn": f"{CHURN_THREADS} client threads × {p['churn_seconds']} s per round "
                                "(bench/loadclient.c)",
            "large result": f"{p['stream_rows']:,} rows of 1,000 bytes, read row by row with mysql_use_result",
            "idle connections": f"{idle_count:,} sessions (requested {p['idle_count']:,}; RLIMIT_NOFILE hard limit "
                                f"{nofile:,}, 2 descriptors per proxied session: the client's and the backend's)"
                                + (f"; sluice-rwsplit {split_idle:,} (3 descriptors: the client's, the primary's "
                                   "from the login, the replica's that ran SELECT 1)"
                                   if args.split_workers > 0 and split_idle < idle_count else ""),
            "servers": "scripts/cluster (1 primary + 2 GTID replicas, row binlog, log_slave_updates), plus "
                       f"`{Cluster(ROOT, '', [], nofile).extra}`",
            "sluice binary": f"{args.sluice} ({args.sluice_build})",
            "sluice config": "generated: 3 backends, users fetched from the backends, auto_failover off, "
                             "max_client/backend_connections 12000, logging warn; `routing: {read_write_split: "
                             "false}` for sluice-wN, the default (true, consistency session, max_replication_lag "
                             "30s) for sluice-rwsplit",
            "transactions": "oltp_read_only runs with --skip_trx=on for every target (its reads in autocommit, "
                            "which the split may send to a replica); oltp_read_write keeps BEGIN/COMMIT",
        },
    }


def main(argv):
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _sigterm)
    nofile = raise_nofile()
    os.makedirs(args.out, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="sb-", dir="/tmp")
    run = Run(args, workdir)
    info = machine.describe(ROOT, args)
    complete = False
    try:
        run.setup(nofile)
        run.run_sysbench_cells()
        run.run_extras()
        complete = True
    except KeyboardInterrupt as e:
        run.failures.append(f"interrupted ({e or 'SIGINT'})")
        run.say("interrupted: stopping everything")
    except Exception as e:  # the harness itself broke: say so, clean up, exit non-zero
        run.failures.append(f"harness error: {e}")
        run.say(f"ERROR: {e}")
    finally:
        run.stop()
    info["load average at the end"] = machine.loadavg()
    info["duration"] = f"{int(time.monotonic() - run.started)} s"
    paths = write_results(run, args, info, complete, settings_for(args, nofile))
    for path in paths:
        run.say(f"wrote {path}")
    if run.failures:
        run.say("failures:\n  " + "\n  ".join(run.failures))
        run.say(f"logs and configs kept in {workdir}")
        return 1
    if args.keep:
        run.say(f"logs and configs kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def write_results(run, args, info, complete, settings):
    if not run.records:
        return []
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M")
    base = os.path.join(args.out, f"{stamp}-{args.mode}")
    rows = stats.summarize(run.records)
    targets = [t.name for t in getattr(run, "targets", [])] or sorted({r["target"] for r in run.records})
    sluice_targets = [t for t in targets if t.startswith("sluice")]
    settings["target_labels"] = [(t.name, t.label) for t in getattr(run, "targets", [])]
    title = f"Sluice benchmark, {datetime.date.today().isoformat()}, {args.mode} mode"
    md = report.markdown(rows, targets, sluice_targets, settings, info, title, complete)
    if run.failures:
        md += "\n## Failures\n\n" + "\n".join(f"- {f}" for f in run.failures) + "\n"
    with open(base + ".md", "w") as f:
        f.write(md)
    report.write_csv(base + ".csv", rows, report.CSV_FIELDS)
    raw_fields = ["workload", "threads", "target", "round", "ok"] + sorted(
        {k for r in run.records for k in r} - {"workload", "threads", "target", "round", "ok"})
    report.write_csv(base + "-rounds.csv", run.records, raw_fields)
    return [base + ".md", base + ".csv", base + "-rounds.csv"]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
