#include "tests/integration/process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace sluice::test {

namespace {

using Clock = std::chrono::steady_clock;

pid_t spawn(const std::vector<std::string>& argv, int out_fd) {
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        // Die with the test process, whatever way it ends.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(127);
        dup2(out_fd, STDOUT_FILENO);
        dup2(out_fd, STDERR_FILENO);
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, STDIN_FILENO);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        std::fprintf(stderr, "exec %s: %s\n", args[0], std::strerror(errno));
        _exit(127);
    }
    return pid;
}

int decode_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

}  // namespace

RunResult run(const std::vector<std::string>& argv, std::chrono::seconds timeout) {
    char path[] = "/tmp/slc-run-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    RunResult r;
    {
        Process p(argv, path);
        auto code = p.stop(0, timeout);  // signal 0: only wait
        if (!code) code = p.stop(SIGKILL);
        r.exit_code = code.value_or(-1);
    }
    close(fd);
    r.output = read_file(path);
    unlink(path);
    return r;
}

Process::Process(const std::vector<std::string>& argv, const std::string& log_path) {
    int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error("cannot open " + log_path + ": " + std::strerror(errno));
    pid_ = spawn(argv, fd);
    close(fd);
}

Process::~Process() {
    if (running()) stop(SIGKILL);
}

bool Process::running() {
    if (status_) return false;
    int st = 0;
    pid_t r = waitpid(pid_, &st, WNOHANG);
    if (r == pid_) status_ = decode_status(st);
    return !status_;
}

std::optional<int> Process::wait_for(std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (running()) {
        if (Clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return status_;
}

std::optional<int> Process::stop(int sig, std::chrono::milliseconds timeout) {
    if (running() && sig != 0) kill(pid_, sig);
    return wait_for(timeout);
}

namespace {
int unused_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        close(fd);
        throw std::runtime_error("cannot find a free port");
    }
    close(fd);
    return ntohs(a.sin_port);
}
}  // namespace

int free_port() {
    // The kernel may hand the same ephemeral port out twice in a row; never give one to two users of a test
    // run.
    static std::set<int> given;
    for (;;) {
        int p = unused_port();
        if (given.insert(p).second) return p;
    }
}

bool port_open(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    close(fd);
    return ok;
}

bool wait_port(int port, std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (!port_open(port)) {
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace sluice::test

namespace sluice::test {

int connect_raw(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static std::string recv_loop(int fd, int timeout_ms, bool until_closed) {
    std::string out;
    char buf[4096];
    auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (Clock::now() < deadline) {
        pollfd p{fd, POLLIN, 0};
        int wait = until_closed || out.empty() ? 50 : 100;
        if (poll(&p, 1, wait) <= 0) {
            if (!until_closed && !out.empty()) break;
            continue;
        }
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

std::string recv_some(int fd, int timeout_ms) {
    return recv_loop(fd, timeout_ms, false);
}
std::string recv_until_closed(int fd, int timeout_ms) {
    return recv_loop(fd, timeout_ms, true);
}

bool closed_by_peer(int fd) {
    char c;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 0) <= 0) return false;
    return recv(fd, &c, 1, MSG_PEEK) == 0;
}

}  // namespace sluice::test
