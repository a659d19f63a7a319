#pragma once
// Process, file and certificate helpers for tests that run real servers from Debian packages.
#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace b2w::test {

struct ProcessResult {
  int status = -1;  // exit status; 128+signal; -1 on timeout (the process is killed)
  std::string out;  // stdout and stderr
};

// Runs argv[0] (an absolute path) to completion with `env` added to a minimal environment.
ProcessResult run_process(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                          const std::map<std::string, std::string>& env = {});
// Starts argv[0] in the background, stdout and stderr appended to `log_path`.
pid_t spawn_process(const std::vector<std::string>& argv, const std::string& log_path);
// Waits for the child's exit; nullopt on timeout.
std::optional<int> wait_process(pid_t pid, std::chrono::milliseconds timeout);
// SIGTERM, then SIGKILL after `grace`; waits for the exit.
void stop_process(pid_t pid, std::chrono::milliseconds grace);

// A loopback TCP port that was free a moment ago.
int free_port();
// True when something accepts TCP connections on 127.0.0.1:port.
bool port_open(int port);
std::string make_temp_dir(const std::string& prefix);
void write_file(const std::string& path, const std::string& text);
std::string read_text(const std::string& path);
void remove_tree(const std::string& path);
// Runs a command (found on PATH) to completion with the test's environment; output appended to
// `log_file` when given. Returns the exit status.
int run_command(const std::vector<std::string>& argv, const std::string& log_file = "");

// A throwaway CA and a server certificate signed by it, plus a second, unrelated CA.
struct TestCerts {
  std::string ca_cert, server_cert, server_key, other_ca_cert;
};
// `san` like "DNS:localhost,IP:127.0.0.1". Uses the openssl CLI.
TestCerts make_test_certs(const std::string& dir, const std::string& san);

}  // namespace b2w::test
