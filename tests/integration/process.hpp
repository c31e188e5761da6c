#pragma once
// Child processes for the integration tests: started with fork/exec, tied to the test process (they get
// SIGKILL if it dies), and stopped by PID.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace sluice::test {

struct RunResult {
    int exit_code = -1;  // -1 when killed by a signal
    std::string output;  // stdout and stderr together
};

// Runs a command to completion (killed after `timeout`) and returns its exit code and output.
RunResult run(const std::vector<std::string>& argv, std::chrono::seconds timeout = std::chrono::seconds(120));

class Process {
  public:
    // Starts argv[0] with stdout and stderr appended to `log_path`.
    Process(const std::vector<std::string>& argv, const std::string& log_path);
    ~Process();  // SIGKILL if still running
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    pid_t pid() const { return pid_; }
    bool running();
    // Sends `sig` and waits for the exit; returns the exit code (128+signal when killed), nullopt on timeout.
    std::optional<int> stop(int sig, std::chrono::milliseconds timeout = std::chrono::seconds(10));

  private:
    std::optional<int> wait_for(std::chrono::milliseconds timeout);

    pid_t pid_ = -1;
    std::optional<int> status_;
};

// A loopback port that nothing listens on right now (bound and released at once).
int free_port();
// True when something accepts TCP connections on 127.0.0.1:port.
bool port_open(int port);
// Polls until port_open(port) or the timeout; false on timeout.
bool wait_port(int port, std::chrono::milliseconds timeout);

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& text);

}  // namespace sluice::test

namespace sluice::test {
// Raw TCP for malformed-input tests.
int connect_raw(int port);
std::string recv_some(int fd, int timeout_ms);          // what arrives before a short silence
std::string recv_until_closed(int fd, int timeout_ms);  // everything until EOF or the timeout
bool closed_by_peer(int fd);
}  // namespace sluice::test
