"""The issue's targets, checked against a summary: one row per target and Sluice worker count."""


def _find(rows, workload, threads, target):
    for r in rows:
        if r["workload"] == workload and r["threads"] == threads and r["target"] == target:
            return r
    return None


def _verdict(value, ok):
    if value is None:
        return None, "not measured"
    return ok, "met" if ok else "NOT met"


def evaluate(rows, sluice_targets):
    """Returns [(goal, {sluice target: (text, met or None)})]."""
    out = []

    def add(goal, fn):
        out.append((goal, {t: fn(t) for t in sluice_targets}))

    for workload in ("oltp_point_select", "oltp_read_only"):
        for threads in (8, 64):
            def qps(t, w=workload, n=threads):
                s = _find(rows, w, n, t)
                v = s and s.get("qps_x_haproxy")
                met, word = _verdict(v, v is not None and v >= 1.0)
                return (f"{v:.2f}× HAProxy — {word}" if v is not None else word), met

            def cpu(t, w=workload, n=threads):
                s, h = _find(rows, w, n, t), _find(rows, w, n, "haproxy")
                if not s or not h or s.get("cpu_s_per_m") is None or h.get("cpu_s_per_m") is None:
                    return "not measured", None
                a, b = s["cpu_s_per_m"], h["cpu_s_per_m"]
                met = a <= b
                return f"{a:.1f} vs {b:.1f} s/M stmts ({a / b:.2f}×) — {'met' if met else 'NOT met'}", met

            def p99(t, w=workload, n=threads):
                s, h = _find(rows, w, n, t), _find(rows, w, n, "haproxy")
                if not s or not h or s.get("p99_added_ms") is None or h.get("p99_added_ms") is None:
                    return "not measured", None
                a, b = s["p99_added_ms"], h["p99_added_ms"]
                met = a <= b
                return f"{a:+.2f} vs {b:+.2f} ms — {'met' if met else 'NOT met'}", met

            add(f"{workload}, {threads} threads: QPS ≥ 1.0× HAProxy", qps)
            add(f"{workload}, {threads} threads: CPU per statement ≤ HAProxy's", cpu)
            add(f"{workload}, {threads} threads: p99 added over direct ≤ HAProxy's", p99)

    def stream_tp(t):
        s = _find(rows, "stream", 1, t)
        v = s and s.get("qps_x_haproxy")
        met, word = _verdict(v, v is not None and v >= 0.9)
        return (f"{v:.2f}× HAProxy — {word}" if v is not None else word), met

    def stream_rss(t):
        s = _find(rows, "stream", 1, t)
        v = s and s.get("rss_growth_kib")
        met, word = _verdict(v, v is not None and v <= 64 * 1024)
        return (f"{v / 1024:.1f} MiB — {word}" if v is not None else word), met

    def churn(t):
        def find(name):
            return next((r for r in rows if r["workload"] == "connection_churn" and r["target"] == name), None)

        s = find(t)
        if t.endswith("-socket"):
            # Like for like: clients on Sluice's socket against clients on the primary's socket.
            d = find("direct-socket")
            a, b = (s or {}).get("connects_per_s"), (d or {}).get("connects_per_s")
            v = a / b if a is not None and b else None
            met, word = _verdict(v, v is not None and v >= 1.5)
            return (f"{v:.2f}× direct-socket — {word}" if v is not None else word), met
        v = s and s.get("qps_x_direct")
        met, word = _verdict(v, v is not None and v >= 1.5)
        return (f"{v:.2f}× direct — {word}" if v is not None else word), met

    def idle(t):
        s = next((r for r in rows if r["workload"] == "idle" and r["target"] == t), None)
        v = s and s.get("kib_per_conn")
        met, word = _verdict(v, v is not None and v <= 16)
        return (f"{v:.1f} KiB — {word}" if v is not None else word), met

    add("large result: throughput ≥ 0.9× HAProxy", stream_tp)
    add("large result: proxy RSS growth ≤ 64 MiB", stream_rss)
    add("connection churn: connects/s ≥ 1.5× direct", churn)
    add("idle connections: ≤ 16 KiB RSS each", idle)
    return out


def best_workers(rows, sluice_targets):
    """Per sysbench cell, which Sluice worker count had the most QPS and which the least CPU per statement
    (the all-primary targets only: the split target differs in more than its worker count)."""
    sluice_targets = [t for t in sluice_targets if t.startswith("sluice-w")]
    lines = []
    cells = sorted({(r["workload"], r["threads"]) for r in rows if r["workload"].startswith("oltp_")},
                   key=lambda c: (c[0], c[1]))
    for workload, threads in cells:
        cand = [r for r in rows if r["workload"] == workload and r["threads"] == threads
                and r["target"] in sluice_targets and r.get("qps")]
        if len(cand) < 2:
            continue
        fastest = max(cand, key=lambda r: r["qps"])
        with_cpu = [r for r in cand if r.get("cpu_s_per_m")]
        cheapest = min(with_cpu, key=lambda r: r["cpu_s_per_m"]) if with_cpu else None
        lines.append((workload, threads, fastest["target"], cheapest["target"] if cheapest else "—"))
    return lines
