#pragma once
// Fake snapshots for the pure health functions: servers described by what they would report, no sockets.
//
//   FakeCluster c;
//   c.primary("db1", 1, "0-1-10").replica("db2", 2, "db1", "0-1-10").replica("db3", 3, "db1", "0-1-8");
//   c.at("db3").failures = 3;
//   Topology t = c.derive();

#include <stdexcept>
#include <string>
#include <vector>

#include "health/derive.hpp"
#include "health/topology.hpp"

namespace sluice::health::test {

class FakeCluster {
  public:
    // A writable server replicating from nobody; its binlog state is `state` (default: `pos`).
    FakeCluster& primary(const std::string& name, std::uint32_t id, const std::string& pos,
                         const std::string& state = "") {
        add(name, id, pos, state, false);
        return *this;
    }
    // A read-only server replicating from `master`, threads running, no lag.
    FakeCluster& replica(const std::string& name, std::uint32_t id, const std::string& master,
                         const std::string& pos, const std::string& state = "") {
        add(name, id, pos, state, true);
        link(name, master);
        return *this;
    }
    // Adds (or replaces) the replication connection of `name` towards `master`.
    FakeCluster& link(const std::string& name, const std::string& master) {
        BackendState& b = at(name);
        SlaveStatus s;
        s.master_host = at(master).spec.host;
        s.master_port = at(master).spec.port;
        s.master_server_id = at(master).status ? std::optional(at(master).status->server_id) : std::nullopt;
        s.io_thread = IoThread::yes;
        s.sql_running = true;
        s.seconds_behind = 0;
        s.gtid_io_pos = b.status->gtid_current_pos;
        s.using_gtid = true;
        b.status->slaves = {s};
        return *this;
    }
    BackendState& at(const std::string& name) {
        for (BackendState& b : servers_)
            if (b.spec.name == name) return b;
        throw std::invalid_argument("no fake server " + name);
    }
    SlaveStatus& link_of(const std::string& name) { return at(name).status->slaves.at(0); }
    // Failed checks in a row (the last answer stays, as the monitor keeps it).
    FakeCluster& fail(const std::string& name, int failures) {
        at(name).failures = failures;
        return *this;
    }
    // A replica that lost its primary: IO thread Connecting with error 2003.
    FakeCluster& lost(const std::string& name) {
        link_of(name).io_thread = IoThread::connecting;
        link_of(name).last_io_errno = 2003;
        link_of(name).seconds_behind.reset();
        return *this;
    }
    const std::vector<BackendState>& observed() const { return servers_; }
    Topology derive(DeriveContext ctx = {}) const { return derive_topology(servers_, ctx); }

  private:
    void add(const std::string& name, std::uint32_t id, const std::string& pos, const std::string& state,
             bool read_only) {
        BackendState b;
        b.spec.name = name;
        b.spec.host = "127.0.0.1";
        b.spec.port = static_cast<std::uint16_t>(3311 + servers_.size());
        ServerStatus s;
        s.server_id = id;
        s.read_only = read_only;
        s.log_bin = true;
        s.log_slave_updates = true;
        s.gtid_current_pos = GtidSet::of(pos);
        s.gtid_binlog_pos = GtidSet::of(pos);
        s.gtid_binlog_state = GtidSet::of(state.empty() ? pos : state);
        if (read_only) s.gtid_slave_pos = GtidSet::of(pos);
        b.status = s;
        servers_.push_back(std::move(b));
    }
    std::vector<BackendState> servers_;
};

inline std::string roles(const Topology& t) {
    return describe(t);
}

}  // namespace sluice::health::test
