#include "tests/integration/cluster.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace sluice::test {

std::string source_dir() {
    return SLUICE_SOURCE_DIR;
}
std::string sluice_binary() {
    return SLUICE_BINARY;
}

std::string make_temp_dir() {
    char path[] = "/tmp/slc-XXXXXX";
    if (!mkdtemp(path)) throw std::runtime_error("mkdtemp failed");
    return path;
}

void remove_tree(const std::string& dir) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

Cluster::Cluster(int nodes, const std::string& extra_server_args)
    : dir_(make_temp_dir()), extra_args_(extra_server_args) {
    std::vector<std::string> argv{source_dir() + "/scripts/cluster", "up", dir_ + "/db"};
    for (int i = 0; i < nodes; ++i) {
        int p = free_port();
        ports_.push_back(p);
        argv.push_back(std::to_string(p));
    }
    argv.push_back("--owner");
    argv.push_back(std::to_string(getpid()));
    if (!extra_server_args.empty()) setenv("CLUSTER_EXTRA_ARGS", extra_server_args.c_str(), 1);
    RunResult r = run(argv);
    unsetenv("CLUSTER_EXTRA_ARGS");
    if (r.exit_code != 0) {
        run({source_dir() + "/scripts/cluster", "down", dir_ + "/db", "--fast"});
        remove_tree(dir_);
        throw std::runtime_error("scripts/cluster up failed (" + std::to_string(r.exit_code) + "):\n" +
                                 r.output);
    }
}

Cluster::~Cluster() {
    run({source_dir() + "/scripts/cluster", "down", dir_ + "/db", "--fast"});
    remove_tree(dir_);
}

std::string Cluster::socket(int node) const {
    return dir_ + "/db/node" + std::to_string(node + 1) + "/sock";
}

ConnectOptions Cluster::app(int node) const {
    return {.port = port(node), .user = "app", .password = "app"};
}

ConnectOptions Cluster::monitor(int node) const {
    return {.port = port(node), .user = "monitor", .password = "monitor"};
}

ConnectOptions Cluster::root(int node) const {
    return {.unix_socket = socket(node), .user = "root"};
}

void Cluster::sync_replicas() const {
    Conn primary;
    connect_or_throw(primary, root(0));
    std::string pos = primary.scalar("SELECT @@gtid_binlog_pos");
    for (int i = 1; i < size(); ++i) {
        Conn replica;
        connect_or_throw(replica, root(i));
        if (replica.scalar("SELECT MASTER_GTID_WAIT('" + pos + "', 30)") != "0")
            throw std::runtime_error("replica " + std::to_string(i) + " did not reach " + pos);
    }
}

pid_t Cluster::pid(int node) const {
    std::string node_dir = dir_ + "/db/node" + std::to_string(node + 1);
    std::string text = read_file(node_dir + "/mariadbd.pid");
    if (text.empty()) return -1;
    pid_t p = static_cast<pid_t>(std::atoi(text.c_str()));
    std::string cmdline = read_file("/proc/" + std::to_string(p) + "/cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (p <= 0 || cmdline.find("--datadir=" + node_dir + "/data") == std::string::npos) return -1;
    // A zombie (nobody reaped it yet) is as good as gone.
    std::string stat = read_file("/proc/" + std::to_string(p) + "/stat");
    auto paren = stat.rfind(')');
    if (paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'Z') return -1;
    return p;
}

void Cluster::kill_node(int node, int sig) const {
    pid_t p = pid(node);
    if (p <= 0) throw std::runtime_error("node " + std::to_string(node) + " is not running");
    kill(p, sig);
    if (sig != SIGKILL && sig != SIGTERM) return;
    for (int i = 0; i < 600 && pid(node) == p; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (pid(node) == p) throw std::runtime_error("node " + std::to_string(node) + " did not exit");
}

void Cluster::start_node(int node, const std::string& extra_args) const {
    std::string args = extra_args_ + " " + extra_args;
    setenv("CLUSTER_EXTRA_ARGS", args.c_str(), 1);
    RunResult r = run({source_dir() + "/scripts/cluster", "start", dir_ + "/db", std::to_string(node + 1),
                       "--owner", std::to_string(getpid())});
    unsetenv("CLUSTER_EXTRA_ARGS");
    if (r.exit_code != 0)
        throw std::runtime_error("scripts/cluster start failed (" + std::to_string(r.exit_code) + "):\n" +
                                 r.output);
}

Cluster& shared_cluster() {
    static Cluster cluster(3);
    return cluster;
}

std::string sluice_config(const Cluster& cluster, int client_port, int admin_port,
                          const std::string& extra_yaml, const std::string& socket) {
    std::string y = "listen:\n  address: 127.0.0.1\n  port: " + std::to_string(client_port) + "\n";
    if (!socket.empty()) y += "  socket: " + socket + "\n";
    y += "admin:\n  address: 127.0.0.1\n  port: " + std::to_string(admin_port) +
         "\n  user: admin\n  password: admin\n";
    y += "backends:\n";
    for (int i = 0; i < cluster.size(); ++i)
        y += "  - name: db" + std::to_string(i + 1) +
             "\n    host: 127.0.0.1\n    port: " + std::to_string(cluster.port(i)) + "\n";
    bool own_monitor =
        extra_yaml.starts_with("monitor:") || extra_yaml.find("\nmonitor:") != std::string::npos;
    if (!own_monitor)
        y += "monitor:\n  user: monitor\n  password: monitor\n  replication_user: repl\n  "
             "replication_password: "
             "repl\n";
    return y + extra_yaml;
}

Sluice::Sluice(const Cluster& cluster, const std::string& extra_yaml, bool on_socket)
    : dir_(make_temp_dir()),
      config_path_(dir_ + "/sluice.yaml"),
      log_path_(dir_ + "/sluice.log"),
      socket_path_(on_socket ? dir_ + "/sluice.sock" : ""),
      client_port_(free_port()),
      admin_port_(free_port()) {
    write_file(config_path_, sluice_config(cluster, client_port_, admin_port_, extra_yaml, socket_path_));
    process_ =
        std::make_unique<Process>(std::vector<std::string>{sluice_binary(), "-c", config_path_}, log_path_);
    if (!wait_port(client_port_, std::chrono::seconds(10)) ||
        !wait_port(admin_port_, std::chrono::seconds(10)))
        throw std::runtime_error("sluice did not start listening:\n" + log());
}

Sluice::~Sluice() {
    if (process_->running()) process_->stop(SIGTERM);
    remove_tree(dir_);
}

std::optional<int> Sluice::stop(int sig) {
    return process_->stop(sig);
}

}  // namespace sluice::test
