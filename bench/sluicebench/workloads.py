"""One measurement of one workload against one target. Each returns a dict of figures (a "sample")."""

import re
import subprocess
import threading
import time

from . import procs
from .targets import DB, PASSWORD, USER, endpoint


class Meter:
    """CPU seconds and peak RSS of the proxy, and the CPU the rest of the machine used, over one measurement."""

    def __init__(self, proxy_pid, own_pids, server_pids=()):
        # Every process of this harness still running (servers and proxies) except the measured proxy, which is
        # counted on its own (self.cpu).
        self.pid = proxy_pid
        self.own_pids = [p for p in own_pids() if p != proxy_pid]
        self.server_pids = list(server_pids)  # the database servers, whose CPU is reported on its own
        self.rss_peak = -1
        self._stop = threading.Event()

    def __enter__(self):
        self.t0 = time.monotonic()
        self.user0, self.sys0 = procs.cpu_split(self.pid) if self.pid else (0.0, 0.0)
        self.cpu0 = self.user0 + self.sys0
        self.children0 = procs.children_cpu_seconds()  # the harness's children that have exited and been waited for
        self.own0 = sum(procs.cpu_seconds(p) for p in self.own_pids)  # the harness's processes still running
        self.servers0 = sum(procs.cpu_seconds(p) for p in self.server_pids)
        self.machine0 = procs.machine_cpu_seconds()
        self.switches0 = self._switches()
        if self.pid:
            self.rss_before = procs.rss_kib(self.pid)
            self.rss_peak = self.rss_before
            self._sampler = threading.Thread(target=self._sample, daemon=True)
            self._sampler.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.2):
            try:
                self.rss_peak = max(self.rss_peak, procs.rss_kib(self.pid))
            except OSError:
                return

    def __exit__(self, *exc):
        self._stop.set()
        if self.pid:
            self._sampler.join()
        self.seconds = time.monotonic() - self.t0
        self.cpu = self.sys = None
        if self.pid:
            user, sys_ = procs.cpu_split(self.pid)
            self.cpu = user + sys_ - self.cpu0
            self.sys = sys_ - self.sys0
        self.servers_cpu = sum(procs.cpu_seconds(p) for p in self.server_pids) - self.servers0
        # The client run during the measurement (sysbench, loadclient) has exited by now: its CPU is the
        # children's.
        self.client_cpu = procs.children_cpu_seconds() - self.children0
        own = sum(procs.cpu_seconds(p) for p in self.own_pids) - self.own0 + self.client_cpu
        if self.pid:
            own += self.cpu
        machine = procs.machine_cpu_seconds()
        self.busy = machine.busy - self.machine0.busy
        self.interrupts = machine.interrupts - self.machine0.interrupts
        self.switches = [b - a for a, b in zip(self.switches0, self._switches())]
        # Cores kept busy by processes this harness did not start (other people's builds and tests).
        self.foreign_cores = max(0.0, (self.busy - own) / self.seconds)
        return False

    def _switches(self):
        """Context switches so far: (the client's children, the servers, the proxy); a thread blocking and being
        woken costs both sides CPU, which is what a proxy adds to the others' share."""
        return (procs.children_context_switches(), sum(procs.context_switches(p) for p in self.server_pids),
                procs.context_switches(self.pid) if self.pid else 0)

    def per_statement(self, n):
        """Where the machine's CPU went, in µs per statement (or per connect): the client, the database servers
        (when given), the whole machine (/proc/stat: user, system, irq and softirq of all cores) and the
        interrupts' part of it. A process's figure includes the softirq work done in its context (the loopback
        TCP stack's receive side of what it sends), so the processes add up to the whole machine. On a
        saturated machine, QPS is about cores ÷ the whole machine's µs per statement."""
        if not n:
            return {}
        out = {"client_us": self.client_cpu / n * 1e6, "interrupts_us": self.interrupts / n * 1e6,
               "machine_us": (self.busy + self.interrupts) / n * 1e6}
        if self.server_pids:
            out["servers_us"] = self.servers_cpu / n * 1e6
            out["servers_switches"] = self.switches[1] / n
        out["client_switches"] = self.switches[0] / n
        if self.pid:
            out["proxy_switches"] = self.switches[2] / n
        return out

    def figures(self):
        return {
            "proxy_cpu_s": self.cpu,
            # The kernel's part of the proxy's CPU (its system calls: loopback TCP sends and receives, epoll).
            "proxy_sys_share": (self.sys / self.cpu) if self.cpu else None,
            "proxy_rss_peak_kib": self.rss_peak if self.pid else None,
            "other_load_cores": round(self.foreign_cores, 2),
        }


# Workloads whose events sysbench wraps in BEGIN/COMMIT unless told not to. Their reads run in autocommit for
# every target (--skip_trx=on): inside a transaction the split would send them to the primary, as it must, and
# the split target would measure nothing of its own. oltp_read_write keeps its transactions (writes).
SKIP_TRX = {"oltp_read_only"}


def sysbench_argv(workload, port, threads, seconds, tables, table_size, action="run", socket=None):
    where = [f"--mysql-socket={socket}"] if socket else ["--mysql-host=127.0.0.1", f"--mysql-port={port}"]
    argv = ["sysbench", workload, "--db-driver=mysql", *where, f"--mysql-user={USER}", f"--mysql-password={PASSWORD}",
            f"--mysql-db={DB}", f"--tables={tables}", f"--table-size={table_size}", f"--threads={threads}"]
    if action == "run":
        argv += [f"--time={seconds}", "--report-interval=0", "--histogram=on", "--percentile=99"]
        if workload in SKIP_TRX:
            argv.append("--skip_trx=on")
    return argv + [action]


def sysbench_prepare(port, tables, table_size, log):
    argv = sysbench_argv("oltp_read_write", port, min(tables, 4), 0, tables, table_size, action="prepare")
    code, out = procs.run(argv, timeout=1800)
    log.write(" ".join(argv) + "\n" + out + "\n")
    if code != 0:
        raise RuntimeError(f"sysbench prepare failed:\n{out[-2000:]}")


def histogram_percentile(hist, p):
    """The smallest latency (ms) at or below which p % of the events fall, from sysbench's histogram."""
    total = sum(c for _, c in hist)
    if total == 0:
        return None
    need = total * p / 100.0
    seen = 0
    for value, count in hist:
        seen += count
        if seen >= need:
            return value
    return hist[-1][0]


def parse_sysbench(out):
    def number(pattern):
        m = re.search(pattern, out)
        return float(m.group(1)) if m else None

    hist = []
    in_hist = False
    for line in out.splitlines():
        if "distribution" in line and "value" in line:
            in_hist = True
            continue
        if in_hist:
            m = re.match(r"\s*([0-9.]+)\s*\|\**\s+(\d+)\s*$", line)
            if not m:
                if hist:
                    in_hist = False
                continue
            hist.append((float(m.group(1)), int(m.group(2))))
    return {
        "transactions": number(r"transactions:\s+(\d+)"),
        "tps": number(r"transactions:\s+\d+\s+\(([0-9.]+) per sec"),
        "statements": number(r"queries:\s+(\d+)"),
        "qps": number(r"queries:\s+\d+\s+\(([0-9.]+) per sec"),
        "errors": (number(r"ignored errors:\s+(\d+)") or 0) + (number(r"reconnects:\s+(\d+)") or 0),
        "p95_ms": histogram_percentile(hist, 95),
        "p99_ms": histogram_percentile(hist, 99),
        "sysbench_p99_ms": number(r"99th percentile:\s+([0-9.]+)"),
    }


def replica_share(before, after):
    """Of the statements Sluice answered between two SHOW STATS, the fraction replicas served."""
    if not before or not after:
        return None
    n = after.get("statements", 0) - before.get("statements", 0)
    return (after.get("replica_reads", 0) - before.get("replica_reads", 0)) / n if n > 0 else None


def run_sysbench(target, workload, threads, seconds, tables, table_size, own_pids, log, server_pids=()):
    argv = sysbench_argv(workload, target.port, threads, seconds, tables, table_size, socket=target.socket)
    stats = getattr(target, "stats", None)
    before = stats() if stats else None
    with Meter(target.pid(), own_pids, server_pids) as m:
        code, out = procs.run(argv, timeout=seconds + 300)
    share = replica_share(before, stats()) if stats else None
    log.write(f"=== {target.name} {workload} {threads} threads\n{' '.join(argv)}\n{out}\n")
    sample = {"ok": code == 0 and "FATAL" not in out, "exit": code}
    sample.update(parse_sysbench(out))
    sample.update(m.figures())
    sample["replica_share"] = share
    if sample["qps"] is None:
        sample["ok"] = False
    if sample["ok"] and m.cpu is not None and sample["statements"]:
        sample["cpu_s_per_m"] = m.cpu / sample["statements"] * 1e6
    if sample["ok"]:
        sample.update(m.per_statement(sample["statements"]))
    if not sample["ok"]:
        sample["failure"] = (out.strip().splitlines() or ["no output"])[-1][:200]
    return sample


def parse_pairs(line):
    return {k: v.strip('"') for k, v in re.findall(r'(\w+)=("[^"]*"|\S+)', line)}


def run_churn(loadclient, target, seconds, threads, own_pids, log, server_pids=()):
    """Also splits the CPU of a connect between the client, the database servers and the proxy: on one machine
    the client's and the servers' shares bound what any proxy can reach."""
    host, port = endpoint(target)
    argv = [loadclient, "churn", host, str(port), USER, PASSWORD, DB, str(seconds), str(threads)]
    with Meter(target.pid(), own_pids, server_pids) as m:
        code, out = procs.run(argv, timeout=seconds + 120)
    log.write(f"=== {target.name} churn\n{' '.join(argv)}\n{out}\n")
    kv = parse_pairs(out.strip().splitlines()[-1] if out.strip() else "")
    sample = {"ok": code == 0 and "connects" in kv, "exit": code}
    if not sample["ok"]:
        sample["failure"] = out.strip()[-200:]
        return sample
    connects = int(kv["connects"])
    sample.update({"connects_per_s": float(kv["per_second"]), "connects": connects, "errors": int(kv["errors"]),
                   "first_error": kv.get("first_error", "")})
    sample.update(m.figures())
    if m.cpu is not None and connects:
        sample["cpu_s_per_m"] = m.cpu / connects * 1e6
    if connects:
        sample["client_us_per_connect"] = float(kv.get("client_cpu_s", "nan")) / connects * 1e6
        if server_pids:
            sample["servers_us_per_connect"] = m.servers_cpu / connects * 1e6
    return sample


def run_stream(loadclient, target, rows, own_pids, log):
    """A fresh proxy process streams the result, so its RSS growth is not hidden by memory freed earlier."""
    target.restart()
    time.sleep(1.0)
    watch = target.pid() or 0
    host, port = endpoint(target)
    argv = [loadclient, "stream", host, str(port), USER, PASSWORD, DB, str(rows), str(watch)]
    with Meter(target.pid(), own_pids) as m:
        code, out = procs.run(argv, timeout=1200)
    log.write(f"=== {target.name} stream\n{' '.join(argv)}\n{out}\n")
    kv = parse_pairs(out.strip().splitlines()[-1] if out.strip() else "")
    sample = {"ok": code == 0 and "bytes" in kv, "exit": code}
    if not sample["ok"]:
        sample["failure"] = out.strip()[-200:]
        return sample
    nbytes = int(kv["bytes"])
    sample.update({"mib_per_s": float(kv["mib_per_s"]), "bytes": nbytes, "errors": 0})
    sample.update(m.figures())
    if watch:
        sample["rss_before_kib"] = int(kv["rss_before_kib"])
        sample["rss_growth_kib"] = int(kv["rss_peak_kib"]) - int(kv["rss_before_kib"])
        sample["cpu_s_per_gib"] = m.cpu / (nbytes / (1 << 30))
    return sample


def run_idle(loadclient, target, count, own_pids, log, settle=2.0):
    """COUNT sessions opened and left idle; the RSS they cost a fresh proxy (or, for direct, the server)."""
    target.restart()
    time.sleep(1.0)
    pid = target.pid() or target.server_pid()
    before = procs.rss_kib(pid)
    host, port = endpoint(target)
    argv = [loadclient, "idle", host, str(port), USER, PASSWORD, DB, str(count), "16"]
    p = procs.spawn(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, new_session=False)
    try:
        deadline = time.monotonic() + 600
        line = b""
        while not line and time.monotonic() < deadline and p.poll() is None:
            line = p.stdout.readline()
        time.sleep(settle)
        after = procs.rss_kib(pid)
        p.stdin.write(b"close\n")
        p.stdin.flush()
        p.wait(timeout=300)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    # Sluice keeps the backend sessions of departed clients in its pool (thousands of them here); a fresh process
    # gives them back so the next measurement starts from the same server state.
    target.restart()
    text = line.decode(errors="replace").strip()
    log.write(f"=== {target.name} idle\n{' '.join(argv)}\n{text}\n")
    kv = parse_pairs(text)
    sample = {"ok": p.returncode == 0 and "open" in kv, "exit": p.returncode}
    if not sample["ok"]:
        sample["failure"] = text[-200:] or f"loadclient idle exited {p.returncode}"
        return sample
    opened = int(kv["open"])
    sample.update({"open": opened, "errors": int(kv["errors"]), "open_seconds": float(kv["seconds"]),
                   "first_error": kv.get("first_error", ""), "rss_before_kib": before, "rss_after_kib": after,
                   "measured": "proxy" if target.pid() else "mariadbd (primary)"})
    if opened:
        sample["kib_per_conn"] = (after - before) / opened
    return sample
