"""The cluster and the things a client can connect to: the primary directly, HAProxy, Sluice."""

import os
import time

from . import procs

USER, PASSWORD, DB = "app", "app", "sbtest"

# Server options for every node, on top of scripts/cluster's own (which come first; the last one wins):
# a buffer pool that holds the data set, connection and file limits for 512 sysbench threads and 10,000 idle
# sessions, enough prepared statements for 512 threads × 4 tables, and no fsync per commit (the disk is shared
# with other work; all targets pay the same).
SERVER_OPTIONS = [
    "--innodb-buffer-pool-size=1G",
    "--max-connections=12000",
    "--open-files-limit={nofile}",
    "--table-open-cache=1000",
    "--max-prepared-stmt-count=200000",
    "--innodb-flush-log-at-trx-commit=2",
    "--back-log=4096",
]


def mariadb_cli(port, sql, timeout=30, socket=None):
    where = [f"-S{socket}"] if socket else ["-h127.0.0.1", f"-P{port}"]
    return procs.run(["mariadb", "--no-defaults", *where, f"-u{USER}", f"-p{PASSWORD}",
                      "--batch", "--skip-column-names", "-e", sql], timeout=timeout)


def wait_login(port, what, seconds=60, socket=None):
    """A real login and statement through the target, not only an open port."""
    deadline = time.monotonic() + seconds
    out = ""
    while time.monotonic() < deadline:
        code, out = mariadb_cli(port, "SELECT 1", timeout=10, socket=socket)
        if code == 0 and out.strip() == "1":
            return
        time.sleep(0.3)
    raise RuntimeError(f"cannot log in through {what} on {socket or f'port {port}'}: {out.strip()}")


def endpoint(target):
    """(host, port) for a client: 127.0.0.1 and the target's TCP port, or its Unix socket's path and 0
    (bench/loadclient takes a host that starts with '/' as a socket)."""
    return (target.socket, 0) if target.socket else ("127.0.0.1", target.port)


class Cluster:
    """1 primary + 2 GTID replicas, started with scripts/cluster in DIR."""

    def __init__(self, root, dir, ports, nofile):
        self.root, self.dir, self.ports = root, dir, ports
        self.script = os.path.join(root, "scripts", "cluster")
        self.extra = " ".join(o.format(nofile=nofile) for o in SERVER_OPTIONS)

    def up(self):
        env = dict(os.environ, CLUSTER_EXTRA_ARGS=self.extra)
        code, out = procs.run([self.script, "up", self.dir, *map(str, self.ports), "--owner", str(os.getpid())],
                              timeout=300, env=env)
        if code != 0:
            raise RuntimeError(f"scripts/cluster up failed:\n{out}")

    def down(self):
        procs.run([self.script, "down", self.dir, "--fast"], timeout=120)

    def pids(self):
        pids = []
        for i in range(len(self.ports)):
            with open(os.path.join(self.dir, f"node{i + 1}", "mariadbd.pid")) as f:
                pids.append(int(f.read().strip()))
        return pids

    def threads_connected(self):
        """Sessions open on the primary (over root's socket), or None when it does not answer."""
        code, out = procs.run(["mariadb", "--no-defaults", "-uroot", "-S", os.path.join(self.dir, "node1", "sock"),
                               "--batch", "--skip-column-names", "--connect-timeout=10",
                               "-e", "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
                                     "WHERE VARIABLE_NAME='THREADS_CONNECTED'"], timeout=30)
        return int(out.strip()) if code == 0 and out.strip().isdigit() else None

    def wait_sessions_below(self, limit, seconds):
        """Thousands of closed sessions take a loaded server a while to tear down; the next measurement waits."""
        deadline = time.monotonic() + seconds
        n = None
        while time.monotonic() < deadline:
            n = self.threads_connected()
            if n is not None and n <= limit:
                return n
            time.sleep(1.0)
        raise RuntimeError(f"the primary still has {n} sessions {seconds} s after the clients closed them")

    def wait_replicas(self, seconds=600):
        """Every replica has applied what the primary logged so far (the split target reads the data there)."""
        code, pos = self._root_sql(1, "SELECT @@gtid_binlog_pos")
        if code != 0:
            raise RuntimeError(f"cannot read the primary's GTID position: {pos.strip()}")
        for node in range(2, len(self.ports) + 1):
            code, out = self._root_sql(node, f"SELECT MASTER_GTID_WAIT('{pos.strip()}', {seconds})",
                                       timeout=seconds + 30)
            if code != 0 or out.strip() != "0":
                raise RuntimeError(f"replica node{node} did not reach GTID {pos.strip()} in {seconds} s: "
                                   f"{out.strip()}")

    def _root_sql(self, node, sql, timeout=30):
        return procs.run(["mariadb", "--no-defaults", "-uroot", "-S", os.path.join(self.dir, f"node{node}", "sock"),
                          "--batch", "--skip-column-names", "-e", sql], timeout=timeout)

    @property
    def primary_port(self):
        return self.ports[0]


class OwnProcess:
    """A target that is a process of the harness's own (self.proc): start() is the target's; stopping is by PID."""

    proc = None

    def restart(self):
        self.stop()
        self.start()

    def stop(self):
        procs.stop(self.proc)
        self.proc = None

    def pid(self):
        return self.proc.pid


class Direct:
    is_proxy = False
    descriptors_per_session = 2  # the client's (loadclient) and the server's

    def __init__(self, cluster, on_socket=False):
        """on_socket: clients connect on the primary's Unix socket instead of its TCP port."""
        self.cluster = cluster
        self.port = cluster.primary_port
        self.socket = os.path.join(cluster.dir, "node1", "sock") if on_socket else None
        self.name = "direct-socket" if on_socket else "direct"
        self.label = "direct to the primary" + (", on its Unix socket" if on_socket else "")

    def start(self):
        wait_login(self.port, self.name, socket=self.socket)

    def restart(self):
        pass

    def stop(self):
        pass

    def pid(self):
        return None

    def server_pid(self):
        return self.cluster.pids()[0]


class Floor(OwnProcess):
    """bench/floor.c: accepts loopback TCP clients and answers the churn loop's login and SELECT 1 from memory,
    with no database behind it: what any proxy that terminates the client's connection pays per connect before
    it does any work of its own. Churn only (it serves nothing else)."""

    name = "floor"
    is_proxy = True
    socket = None
    workloads = ("churn",)
    label = "bench/floor.c: login and SELECT 1 answered from memory, no database (churn only)"

    def __init__(self, workdir, binary, port):
        self.binary, self.port = binary, port
        self.log = os.path.join(workdir, "floor.log")

    def start(self):
        self.proc = procs.spawn([self.binary, str(self.port)], log_path=self.log)
        procs.wait_listening(self.port, self.proc, 30, self.name)
        wait_login(self.port, self.name)


def serves(target, workload):
    """Whether a target takes part in a workload's cells (the floor serves churn only)."""
    return workload in getattr(target, "workloads", (workload,))


class ReplicaPort:
    """A replica reached directly: only for warming its buffer pool before the split target reads there."""

    is_proxy = False
    socket = None

    def __init__(self, port):
        self.port = port
        self.name = f"replica-{port}"

    def pid(self):
        return None


class HAProxy(OwnProcess):
    name = "haproxy"
    is_proxy = True
    descriptors_per_session = 2
    socket = None

    def __init__(self, workdir, port, primary_port, threads, maxconn, wrapper=()):
        self.workdir, self.port, self.threads = workdir, port, threads
        self.wrapper = list(wrapper)  # e.g. valgrind --tool=callgrind, for bench/profile --cost
        self.label = f"HAProxy mode tcp, nbthread {threads}"
        self.config = os.path.join(workdir, "haproxy.cfg")
        self.log = os.path.join(workdir, "haproxy.log")
        with open(self.config, "w") as f:
            f.write(haproxy_config(port, primary_port, threads, maxconn))

    def start(self):
        self.proc = procs.spawn(self.wrapper + ["haproxy", "-f", self.config, "-db"], log_path=self.log)
        procs.wait_listening(self.port, self.proc, 60, "haproxy")
        wait_login(self.port, self.name)


def haproxy_config(port, primary_port, threads, maxconn):
    return f"""# Generated by bench/run: plain TCP forwarding to the primary, as the issue's baseline.
global
    nbthread {threads}
    maxconn {maxconn}

defaults
    mode tcp
    timeout connect 10s
    timeout client 1h
    timeout server 1h

frontend mysql
    bind 127.0.0.1:{port} backlog 4096
    default_backend primary

backend primary
    server db1 127.0.0.1:{primary_port}
"""


class Sluice(OwnProcess):
    """One Sluice process. split=False: `routing: {read_write_split: false}`, every statement to the primary;
    split=True: the default read/write split (plain autocommit reads to the replicas)."""

    is_proxy = True
    socket = None  # clients connect on the TCP port; the process also listens on socket_path (OverSocket)

    def __init__(self, workdir, binary, port, admin_port, backend_ports, workers, split=False, wrapper=(),
                 scheduling="auto"):
        self.wrapper = list(wrapper)  # e.g. valgrind --tool=callgrind, for bench/profile
        self.split = split
        # limits.worker_scheduling; a target with another than the default says so in its name
        suffix = "" if scheduling == "auto" else f"-{scheduling}"
        if split:
            self.name = f"sluice-rwsplit{suffix}"
            self.label = f"Sluice with read/write split, limits.workers {workers}"
        else:
            self.name = f"sluice-w{workers}{suffix}"
            self.label = f"Sluice, limits.workers {workers}, every statement to the primary"
        self.label += f", limits.worker_scheduling {scheduling}"
        # Descriptors per idle session: the client's, the primary's (the login) and, with the split, the
        # replica's that ran its SELECT 1.
        self.descriptors_per_session = 3 if split else 2
        self.binary, self.port, self.admin_port, self.workers = binary, port, admin_port, workers
        self.config = os.path.join(workdir, f"{self.name}.yaml")
        self.log = os.path.join(workdir, f"{self.name}.log")
        self.socket_path = os.path.join(workdir, f"{self.name}.sock")
        with open(self.config, "w") as f:
            f.write(sluice_config(port, admin_port, backend_ports, workers, split, scheduling, self.socket_path))

    def start(self):
        code, out = procs.run([self.binary, "--check-config", self.config], timeout=30)
        if code != 0:
            raise RuntimeError(f"{self.name}: bad generated config:\n{out}")
        self.proc = procs.spawn(self.wrapper + [self.binary, "-c", self.config], log_path=self.log)
        procs.wait_listening(self.port, self.proc, 60, self.name)
        wait_login(self.port, self.name)

    def stats(self):
        """SHOW STATS on the admin port as {name: int}, or {} when it does not answer."""
        code, out = procs.run(["mariadb", "--no-defaults", "-h127.0.0.1", f"-P{self.admin_port}", "-uadmin",
                               "-padmin", "--batch", "--skip-column-names", "-e", "SHOW STATS"], timeout=30)
        if code != 0:
            return {}
        pairs = (line.split("\t") for line in out.splitlines())
        return {p[0]: int(p[1]) for p in pairs if len(p) == 2 and p[1].isdigit()}


class OverSocket:
    """A Sluice target's clients on its Unix socket (listen.socket) instead of its TCP port: the same process,
    measured in its own cells."""

    def __init__(self, base):
        self.base, self.socket = base, base.socket_path
        self.name, self.label = f"{base.name}-socket", f"{base.label}, clients on its Unix socket"
        self.is_proxy, self.port = base.is_proxy, base.port
        self.descriptors_per_session = base.descriptors_per_session

    @property
    def proc(self):
        return self.base.proc

    def start(self):
        if self.base.proc is None or self.base.proc.poll() is not None:
            self.base.start()
        wait_login(self.port, self.name, socket=self.socket)

    def restart(self):
        self.base.restart()

    def stop(self):
        pass  # the base target stops the process

    def pid(self):
        return self.base.pid()

    def stats(self):
        return self.base.stats()


def sluice_config(port, admin_port, backend_ports, workers, split, scheduling="auto", socket=None):
    backends = "".join(f"  - {{ name: db{i + 1}, host: 127.0.0.1, port: {p} }}\n" for i, p in enumerate(backend_ports))
    # Automatic failover is off and the monitor is patient: with 512 sysbench threads on 2 cores a health check
    # can take seconds, and a promotion in the middle of a run would measure something else.
    return f"""# Generated by bench/run.
listen: {{ address: 127.0.0.1, port: {port}{f", socket: {socket}" if socket else ""} }}
admin: {{ address: 127.0.0.1, port: {admin_port}, user: admin, password: admin }}
backends:
{backends}monitor:
  user: monitor
  password: monitor
  interval: 1s
  connect_timeout: 10s
  read_timeout: 10s
  write_timeout: 10s
  failcount: 10
  auto_failover: false
  auto_rejoin: false
users:
  fetch_from_backends: true
limits:
  workers: {workers}
  worker_scheduling: {scheduling}
  max_client_connections: 12000
  max_backend_connections: 12000
  connect_timeout: 30s
  handshake_timeout: 60s
routing:
  read_write_split: {"true" if split else "false"}
logging:
  level: warn
"""
