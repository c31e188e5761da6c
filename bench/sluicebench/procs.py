"""Processes the benchmark starts, and what it reads about them from /proc.

Every child gets PR_SET_PDEATHSIG (it dies with the harness) and is stopped by PID; nothing here looks up
processes by name, because other people's servers and proxies run on the same machine.
"""

import ctypes
import glob
import os
import random
import resource
import signal
import socket
import subprocess
import time
from typing import NamedTuple

_libc = ctypes.CDLL("libc.so.6", use_errno=True)
_PR_SET_PDEATHSIG = 1
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _die_with_parent():
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def spawn(argv, log_path=None, stdin=subprocess.DEVNULL, stdout=None, env=None, new_session=True):
    """Starts argv as a child that is SIGKILLed when the harness dies."""
    out = open(log_path, "ab") if log_path else stdout
    try:
        return subprocess.Popen(argv, stdin=stdin, stdout=out, stderr=subprocess.STDOUT if log_path else None,
                                env=env, preexec_fn=_die_with_parent, start_new_session=new_session)
    finally:
        if log_path:
            out.close()


def run(argv, timeout, env=None):
    """Runs argv to completion (bounded by timeout); returns (exit code, output). Killed on any exception."""
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         env=env, preexec_fn=_die_with_parent)
    try:
        out, _ = p.communicate(timeout=timeout)
        return p.returncode, out.decode(errors="replace")
    except BaseException:
        p.kill()
        p.wait()
        raise


def stop(p, timeout=15.0):
    """SIGTERM, then SIGKILL after timeout; p is a Popen this harness started."""
    if p is None or p.poll() is not None:
        return
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


def cpu_split(pid):
    """(utime, stime) of a whole process (all threads), from /proc/PID/stat: user space and the kernel's work
    on its behalf (system calls, and the loopback TCP stack they run)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) / CLOCK_TICKS, int(fields[12]) / CLOCK_TICKS


def cpu_seconds(pid):
    """utime + stime of a whole process (all threads)."""
    return sum(cpu_split(pid))


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def context_switches(pid):
    """Voluntary + involuntary context switches of all the threads a process has now (/proc/PID/task/*/status);
    a thread that ended takes its count with it."""
    n = 0
    for status in glob.glob(f"/proc/{pid}/task/*/status"):
        try:
            with open(status) as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:")):
                        n += int(line.split()[1])
        except OSError:
            continue  # the thread ended meanwhile
    return n


def children_context_switches():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_nvcsw + r.ru_nivcsw


class MachineCpu(NamedTuple):
    busy: float  # user + nice + system
    interrupts: float  # irq + softirq


def machine_cpu_seconds():
    """CPU time of all cores so far, from the first line of /proc/stat: busy (user, nice and system time) and
    interrupts (irq and softirq time; loopback packet processing lands there, ~0.4 cores under sysbench). The two
    do not overlap, but part of the interrupt time is also in the stime (/proc/PID/stat) of the process in whose
    context it ran: a loopback send runs the receiver's TCP stack in the sender's system call."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq = v[:7]
    return MachineCpu((user + nice + system) / CLOCK_TICKS, (irq + softirq) / CLOCK_TICKS)


def children_cpu_seconds():
    r = os.times()
    return r.children_user + r.children_system


def port_free(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def free_ports(n):
    """n ports that nobody listens on, below the ephemeral range so churned client sockets never collide."""
    base = random.randrange(20000, 29000, 100)
    found = []
    for port in range(base, base + 1000):
        if port_free(port):
            found.append(port)
            if len(found) == n:
                return found
    raise RuntimeError(f"no {n} free ports in {base}-{base + 999}")


def listening(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(1.0)
    try:
        s.connect(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def wait_listening(port, p, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if p is not None and p.poll() is not None:
            raise RuntimeError(f"{what} exited during start-up (exit {p.returncode})")
        if listening(port):
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} is not listening on 127.0.0.1:{port} after {seconds} s")
