"""What the results were measured on: hardware, versions, the command, and how busy the machine was."""

import os
import platform
import subprocess


def _first_line(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout.strip()
        return out.splitlines()[0] if out else "?"
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def _cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "?"


def _ram():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return "?"


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def git_revision(root):
    rev = _first_line(["git", "-C", root, "rev-parse", "--short=12", "HEAD"])
    dirty = subprocess.run(["git", "-C", root, "status", "--porcelain", "--untracked-files=no", "--",
                            ":!docs/benchmarks", ":!docs/benchmarks.md"],
                           capture_output=True, text=True).stdout.strip()
    branch = _first_line(["git", "-C", root, "rev-parse", "--abbrev-ref", "HEAD"])
    return f"{rev} (branch {branch}{', with uncommitted changes' if dirty else ''})"


def describe(root, args):
    return {
        "command": os.environ.get("BENCH_COMMAND", "bench/run " + " ".join(os.sys.argv[1:])),
        "CPUs (nproc)": os.cpu_count(),
        "CPU model": _cpu_model(),
        "RAM": _ram(),
        "kernel": f"{platform.system()} {platform.release()}",
        "mariadbd": _first_line(["mariadbd", "--version"]),
        "sysbench": _first_line(["sysbench", "--version"]),
        "haproxy": _first_line(["haproxy", "-v"]),
        "sluice": f"{_first_line([args.sluice, '--version'])}, git {git_revision(root)}",
        "load average at the start": loadavg() + " (the machine is shared with other work: see 'other load' "
                                                 "in the tables)",
    }
