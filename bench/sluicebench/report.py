"""Markdown and CSV files from a summary."""

import csv

from . import verdicts

CSV_FIELDS = ["workload", "threads", "target", "rounds", "rounds_ok", "qps", "tps", "connects_per_s", "mib_per_s",
              "min", "max",
              "qps_x_direct", "qps_x_haproxy", "p95_ms", "p99_ms", "p99_added_ms", "errors", "cpu_s_per_m",
              "proxy_sys_share", "cpu_s_per_gib", "cpu_x_haproxy", "proxy_rss_peak_kib", "rss_growth_kib",
              "kib_per_conn", "open", "open_seconds", "other_load_cores", "replica_share", "client_us_per_connect",
              "servers_us_per_connect", "client_us", "servers_us", "interrupts_us", "machine_us",
              "machine_x_haproxy", "client_switches", "servers_switches", "proxy_switches", "note"]


def write_csv(path, rows, fields):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: _csv_value(r.get(k)) for k in fields})


def _csv_value(v):
    if isinstance(v, float):
        return f"{v:.4g}" if abs(v) < 1000 else f"{v:.1f}"
    return "" if v is None else v


def _n(v, digits=0, suffix=""):
    if v is None:
        return "—"
    if digits == 0:
        return f"{v:,.0f}{suffix}"
    return f"{v:,.{digits}f}{suffix}"


def _signed(v):
    return "—" if v is None else f"{v:+,.2f}"


def _range(r, digits=0):
    if r.get("min") is None or r["rounds_ok"] < 2:
        return "—"
    return f"{_n(r['min'], digits)}–{_n(r['max'], digits)}"


def _x(v):
    return "—" if v is None else f"{v:.2f}×"


def _mib(kib):
    return "—" if kib is None else f"{kib / 1024:.1f}"


def _pct(v):
    return "—" if v is None else f"{v * 100:.0f} %"


def _status(r):
    if r["rounds_ok"] < r["rounds"]:
        return f" ⚠ {r['rounds'] - r['rounds_ok']} of {r['rounds']} rounds failed: {r['note']}"
    return ""


def sysbench_tables(rows, targets):
    out = []
    workloads = [w for w in ("oltp_point_select", "oltp_read_only", "oltp_read_write")
                 if any(r["workload"] == w for r in rows)]
    for w in workloads:
        unit = "QPS" if w != "oltp_read_write" else "QPS (TPS)"
        out += [f"### {w}", "",
                f"| threads | target | {unit} | QPS min–max | ×direct | ×HAProxy | p95 ms | p99 ms "
                "| p99 added over direct ms | errors | proxy CPU s / M stmts | of it in the kernel | CPU ×HAProxy "
                "| proxy peak RSS MiB | other load (cores) | answered by replicas |",
                "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for threads in sorted({r["threads"] for r in rows if r["workload"] == w}):
            for t in targets:
                r = next((x for x in rows if x["workload"] == w and x["threads"] == threads and x["target"] == t),
                         None)
                if r is None:
                    continue
                q = _n(r["qps"]) + (f" ({_n(r['tps'])})" if w == "oltp_read_write" and r["tps"] else "")
                out.append(f"| {threads} | {t} | {q}{_status(r)} | {_range(r)} | "
                           f"{_x(r.get('qps_x_direct'))} | "
                           f"{_x(r.get('qps_x_haproxy'))} | {_n(r['p95_ms'], 2)} | {_n(r['p99_ms'], 2)} | "
                           f"{_signed(r.get('p99_added_ms'))} | {_n(r['errors'])} | {_n(r['cpu_s_per_m'], 1)} | "
                           f"{_pct(r.get('proxy_sys_share'))} | "
                           f"{_x(r.get('cpu_x_haproxy'))} | {_mib(r['proxy_rss_peak_kib'])} | "
                           f"{_n(r['other_load_cores'], 2)} | {_pct(r.get('replica_share'))} |")
        out.append("")
        out += cpu_table([r for r in rows if r["workload"] == w], targets)
    return out


def cpu_table(rows, targets):
    """Where a statement's CPU goes on the whole machine, per target: with every core busy, QPS is about the
    number of cores divided by the whole machine's µs per statement, so a proxy that uses less CPU but makes
    the client, the servers or the kernel's interrupts use more does not gain QPS."""
    if not any(r.get("machine_us") is not None for r in rows):
        return []
    out = ["CPU per statement on the whole machine, µs (medians over the rounds). Each process's figure includes "
           "the kernel's work in its system calls, and with it the loopback TCP stack's receive side for what it "
           "sends, which the kernel counts as interrupt time (softirq) too; so sysbench, servers and proxy add up "
           "to the whole machine (with anything else that ran), and the interrupts are a part of that:", "",
           "| threads | target | sysbench | servers (3 `mariadbd`) | proxy | whole machine | of it interrupts "
           "| whole ×HAProxy | context switches / stmt: sysbench, servers, proxy |",
           "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for threads in sorted({r["threads"] for r in rows}):
        for t in targets:
            r = next((x for x in rows if x["threads"] == threads and x["target"] == t), None)
            if r is None or r.get("machine_us") is None:
                continue
            out.append(f"| {threads} | {t} | {_n(r.get('client_us'), 1)} | {_n(r.get('servers_us'), 1)} | "
                       f"{_n(r.get('cpu_s_per_m'), 1)} | {_n(r.get('machine_us'), 1)} | "
                       f"{_n(r.get('interrupts_us'), 1)} | {_x(r.get('machine_x_haproxy'))} | "
                       f"{_n(r.get('client_switches'), 2)}, {_n(r.get('servers_switches'), 2)}, "
                       f"{_n(r.get('proxy_switches'), 2)} |")
    out.append("")
    return out


def other_tables(rows, targets, settings):
    out = []
    churn = [r for r in rows if r["workload"] == "connection_churn"]
    if churn:
        out += [f"### Connection churn (connect, `SELECT 1`, disconnect; {settings['churn_threads']} client threads, "
                f"{settings['churn_seconds']} s per round)", "",
                "| target | connects/s | min–max | ×direct | ×HAProxy | errors | proxy CPU s / M connects "
                "| CPU ×HAProxy | client CPU µs / connect | servers CPU µs / connect | proxy peak RSS MiB "
                "| other load (cores) |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for t in targets:
            r = next((x for x in churn if x["target"] == t), None)
            if r:
                out.append(f"| {t} | {_n(r['connects_per_s'])}{_status(r)} | {_range(r)} | "
                           f"{_x(r.get('qps_x_direct'))} | "
                           f"{_x(r.get('qps_x_haproxy'))} | {_n(r['errors'])} | {_n(r['cpu_s_per_m'], 1)} | "
                           f"{_x(r.get('cpu_x_haproxy'))} | {_n(r.get('client_us_per_connect'), 1)} | "
                           f"{_n(r.get('servers_us_per_connect'), 1)} | {_mib(r['proxy_rss_peak_kib'])} | "
                           f"{_n(r['other_load_cores'], 2)} |")
        out.append("")
    stream = [r for r in rows if r["workload"] == "stream"]
    if stream:
        mib = settings["stream_rows"] * 1000 / (1 << 20)
        out += [f"### Large result ({settings['stream_rows']:,} rows × 1,000 bytes = {mib:,.0f} MiB, one client, "
                "`mysql_use_result`)", "",
                "| target | MiB/s | min–max | ×direct | ×HAProxy | proxy RSS growth MiB | proxy CPU s / GiB "
                "| CPU ×HAProxy | other load (cores) |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for t in targets:
            r = next((x for x in stream if x["target"] == t), None)
            if r:
                out.append(f"| {t} | {_n(r['mib_per_s'], 1)}{_status(r)} | {_range(r, 1)} | "
                           f"{_x(r.get('qps_x_direct'))} | "
                           f"{_x(r.get('qps_x_haproxy'))} | {_mib(r['rss_growth_kib'])} | "
                           f"{_n(r['cpu_s_per_gib'], 2)} | {_x(r.get('cpu_x_haproxy'))} | "
                           f"{_n(r['other_load_cores'], 2)} |")
        out.append("")
    idle = [r for r in rows if r["workload"] == "idle"]
    if idle:
        out += [f"### Idle connections (up to {settings['idle_count']:,} sessions opened by 16 client threads, each "
                "ran `SELECT 1`, then held)", "",
                "| target | sessions open | errors | seconds to open | RSS KiB per session | ×HAProxy | whose RSS |",
                "|---|---:|---:|---:|---:|---:|---|"]
        for t in targets:
            r = next((x for x in idle if x["target"] == t), None)
            if r:
                whose = "mariadbd (the primary), for reference" if t.startswith("direct") else "the proxy"
                out.append(f"| {t} | {_n(r['open'])}{_status(r)} | {_n(r['errors'])} | {_n(r['open_seconds'], 1)} "
                           f"| {_n(r['kib_per_conn'], 1)} | {_x(r.get('qps_x_haproxy'))} | {whose} |")
        out.append("")
    return out


def verdict_table(rows, sluice_targets):
    out = ["| issue target | " + " | ".join(sluice_targets) + " |",
           "|---|" + "---|" * len(sluice_targets)]
    for goal, per in verdicts.evaluate(rows, sluice_targets):
        out.append(f"| {goal} | " + " | ".join(per[t][0] for t in sluice_targets) + " |")
    best = verdicts.best_workers(rows, sluice_targets)
    if best:
        out += ["", "Which worker count does best (median QPS; lowest proxy CPU per statement):", "",
                "| workload | threads | most QPS | least CPU / stmt |", "|---|---:|---|---|"]
        out += [f"| {w} | {n} | {f} | {c} |" for w, n, f, c in best]
    return out


def markdown(rows, targets, sluice_targets, settings, machine, title, complete):
    out = [f"# {title}", ""]
    if not complete:
        out += ["**Incomplete run:** the harness stopped before the end (see the failures below).", ""]
    out += ["## Machine", ""]
    out += [f"- {k}: {v}" for k, v in machine.items()]
    out += ["", "## Settings", ""]
    out += [f"- {k}: {v}" for k, v in settings["describe"].items()]
    out += ["", "Targets:", ""]
    out += [f"- `{name}`: {label}" for name, label in settings["target_labels"]]
    out += [""]
    out += ["Every figure is the median over the rounds (errors: the sum). Rounds are interleaved: each round "
            "runs every target once, and the order rotates from round to round.", ""]
    out += ["## Results", ""] + sysbench_tables(rows, targets) + other_tables(rows, targets, settings)
    out += ["## Against the issue's targets", ""] + verdict_table(rows, sluice_targets) + [""]
    return "\n".join(out)
