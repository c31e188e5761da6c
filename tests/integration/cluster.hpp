#pragma once
// Real MariaDB clusters and a real sluice binary for the integration tests.
//
// Cluster: N mariadbd processes (node 0 the primary, the others GTID replicas) on free loopback ports in a
// fresh temp dir, made by scripts/cluster, stopped by PID and removed when the object goes — or, should the
// test binary crash, by the watchdog tied to its PID. shared_cluster() gives one to every test of a binary
// that does not disturb it; a test that breaks servers makes its own.
//
// Sluice: the binary started with a generated config in front of a cluster, stopped with SIGTERM.

#include <signal.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/integration/process.hpp"
#include "tests/integration/sql.hpp"

namespace sluice::test {

std::string source_dir();
std::string sluice_binary();
// A fresh directory under /tmp (short: unix socket paths are limited), removed by the caller.
std::string make_temp_dir();
void remove_tree(const std::string& dir);

class Cluster {
  public:
    explicit Cluster(int nodes, const std::string& extra_server_args = "");
    ~Cluster();
    Cluster(const Cluster&) = delete;
    Cluster& operator=(const Cluster&) = delete;

    int size() const { return static_cast<int>(ports_.size()); }
    int port(int node) const { return ports_.at(static_cast<std::size_t>(node)); }
    const std::string& dir() const { return dir_; }
    std::string socket(int node) const;

    ConnectOptions app(int node) const;      // app/app over TCP
    ConnectOptions monitor(int node) const;  // monitor/monitor over TCP
    ConnectOptions root(int node) const;     // root over the node's unix socket

    // Waits until every replica has applied everything the primary has binlogged.
    void sync_replicas() const;

    // For tests that break servers. pid(): node's mariadbd PID from its pid file (checked against /proc), -1
    // when it is not running. kill_node(): sends `sig`; for SIGKILL and SIGTERM waits until the process is
    // gone. start_node(): starts a stopped node again with the options `up` gave it (node 0 writable, the
    // others read_only; a server keeps its replication settings across restarts) plus `extra_args`, and waits
    // until it answers; the watchdog covers it too.
    pid_t pid(int node) const;
    void kill_node(int node, int sig = SIGKILL) const;
    void start_node(int node, const std::string& extra_args = "") const;

  private:
    std::string dir_;
    std::vector<int> ports_;
    std::string extra_args_;
};

Cluster& shared_cluster();

class Sluice {
  public:
    // `extra_yaml` is appended to the generated config (top-level sections not generated: limits, logging,
    // ...). With `on_socket`, clients may also connect on a Unix socket (listen.socket) in its temp dir.
    Sluice(const Cluster& cluster, const std::string& extra_yaml = "", bool on_socket = false);
    ~Sluice();
    Sluice(const Sluice&) = delete;
    Sluice& operator=(const Sluice&) = delete;

    int client_port() const { return client_port_; }
    int admin_port() const { return admin_port_; }
    const std::string& config_path() const { return config_path_; }
    const std::string& socket_path() const { return socket_path_; }  // empty without on_socket
    std::string log() const { return read_file(log_path_); }
    pid_t pid() const { return process_->pid(); }
    // SIGTERM (or `sig`) and the exit code.
    std::optional<int> stop(int sig);

  private:
    std::string dir_;
    std::string config_path_;
    std::string log_path_;
    std::string socket_path_;
    int client_port_;
    int admin_port_;
    std::unique_ptr<Process> process_;
};

// The config text Sluice is started with, for tests that want to run the binary on a variant of it.
// `socket`: listen.socket ("" = none).
std::string sluice_config(const Cluster& cluster, int client_port, int admin_port,
                          const std::string& extra_yaml, const std::string& socket = "");

}  // namespace sluice::test
