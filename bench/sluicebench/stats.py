"""From per-round samples to one summary row per (workload, threads, target), with ratios."""

import statistics

NUMERIC = ["qps", "tps", "p95_ms", "p99_ms", "errors", "cpu_s_per_m", "proxy_rss_peak_kib", "other_load_cores",
           "connects_per_s", "mib_per_s", "rss_growth_kib", "cpu_s_per_gib", "kib_per_conn", "open",
           "open_seconds", "replica_share", "client_us_per_connect", "servers_us_per_connect",
           "proxy_sys_share", "client_us", "servers_us", "interrupts_us", "machine_us",
           "client_switches", "servers_switches", "proxy_switches"]


# The figure whose spread over the rounds the tables show, per workload.
MAIN_METRIC = {"connection_churn": "connects_per_s", "stream": "mib_per_s", "idle": "kib_per_conn"}


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarize(records):
    """records: dicts with workload, threads, target, round, ok and figures. Returns summary rows in order."""
    groups = {}
    for r in records:
        groups.setdefault((r["workload"], r["threads"], r["target"]), []).append(r)
    rows = []
    for (workload, threads, target), rs in groups.items():
        ok = [r for r in rs if r.get("ok")]
        row = {"workload": workload, "threads": threads, "target": target, "rounds": len(rs),
               "rounds_ok": len(ok)}
        for key in NUMERIC:
            row[key] = median([r.get(key) for r in ok])
        main = [r.get(MAIN_METRIC.get(workload, "qps")) for r in ok]
        main = [v for v in main if v is not None]
        row["min"], row["max"] = (min(main), max(main)) if main else (None, None)
        # Errors are summed over rounds, not a median: one error anywhere should show.
        row["errors"] = sum(r.get("errors") or 0 for r in ok) if ok else None
        failures = sorted({r.get("failure", "") for r in rs if not r.get("ok")} - {""})
        row["note"] = "; ".join(failures)
        rows.append(row)
    add_ratios(rows)
    return rows


def _ratio(a, b):
    return a / b if a is not None and b else None


def add_ratios(rows):
    by = {(r["workload"], r["threads"], r["target"]): r for r in rows}
    for r in rows:
        direct = by.get((r["workload"], r["threads"], "direct"), {})
        haproxy = by.get((r["workload"], r["threads"], "haproxy"), {})
        if r["workload"].startswith("oltp_"):
            r["qps_x_direct"] = _ratio(r["qps"], direct.get("qps"))
            r["qps_x_haproxy"] = _ratio(r["qps"], haproxy.get("qps"))
            if r["p99_ms"] is not None and direct.get("p99_ms") is not None and r["target"] != "direct":
                r["p99_added_ms"] = r["p99_ms"] - direct["p99_ms"]
            r["cpu_x_haproxy"] = _ratio(r["cpu_s_per_m"], haproxy.get("cpu_s_per_m"))
            r["machine_x_haproxy"] = _ratio(r.get("machine_us"), haproxy.get("machine_us"))
        elif r["workload"] == "connection_churn":
            r["qps_x_direct"] = _ratio(r["connects_per_s"], direct.get("connects_per_s"))
            r["qps_x_haproxy"] = _ratio(r["connects_per_s"], haproxy.get("connects_per_s"))
            r["cpu_x_haproxy"] = _ratio(r["cpu_s_per_m"], haproxy.get("cpu_s_per_m"))
        elif r["workload"] == "stream":
            r["qps_x_direct"] = _ratio(r["mib_per_s"], direct.get("mib_per_s"))
            r["qps_x_haproxy"] = _ratio(r["mib_per_s"], haproxy.get("mib_per_s"))
            r["cpu_x_haproxy"] = _ratio(r["cpu_s_per_gib"], haproxy.get("cpu_s_per_gib"))
        elif r["workload"] == "idle":
            r["qps_x_haproxy"] = _ratio(r["kib_per_conn"], haproxy.get("kib_per_conn"))
