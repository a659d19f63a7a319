#pragma once
// Test harness: runs the real bet2wealth binary and talks raw HTTP/1.1 to it over loopback.
#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace b2w::test {

using Env = std::map<std::string, std::string>;

class ServerProcess {
 public:
  // Starts the binary with `env` on top of test defaults (PORT=0 on 127.0.0.1,
  // short shutdown) and waits for its "listening" line.
  explicit ServerProcess(Env env = {}, const std::vector<std::string>& args = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  bool started() const { return port_ > 0; }
  void signal(int signo) const;
  // Waits for exit; returns the exit status, or nullopt on timeout.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  std::string stdout_text() const;
  std::string stderr_text() const;
  // Waits until stdout contains `needle`.
  bool wait_for_log(const std::string& needle, std::chrono::milliseconds timeout) const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  bool exited_ = false;
  std::string dir_;
};

// Runs the binary to completion (for CLI and config-error tests).
struct RunResult {
  int status = -1;
  std::string out;
  std::string err;
};
RunResult run_binary(const Env& env, const std::vector<std::string>& args, std::chrono::milliseconds timeout,
                     const std::string& stdin_text = "");

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string header(const std::string& name) const;
};

class Client {
 public:
  // receive_buffer > 0 shrinks the socket's receive buffer (a slow reader makes the server wait to write).
  explicit Client(int port, std::chrono::milliseconds timeout = std::chrono::seconds(5), int receive_buffer = 0);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return fd_ >= 0; }
  bool send(const std::string& data);
  // Half-closes: the server reads the end of the stream after what was sent.
  void shutdown_send();
  // Reads one response; nullopt when the connection closed or timed out first.
  // `head` says the response has no body whatever its Content-Length says.
  std::optional<HttpResponse> read_response(bool head = false);
  // True when the server closes the connection within `timeout`.
  bool closed_by_peer(std::chrono::milliseconds timeout);
  // Everything that arrives (beyond the responses already read) until the server closes the
  // connection; nullopt when it is still open after `timeout`.
  std::optional<std::string> rest_until_closed(std::chrono::milliseconds timeout);
  std::optional<HttpResponse> request(const std::string& method, const std::string& target,
                                      const std::map<std::string, std::string>& headers = {},
                                      const std::string& body = "");

 private:
  bool fill(std::chrono::steady_clock::time_point deadline);
  int fd_ = -1;
  std::string buf_;
  std::chrono::milliseconds timeout_;
};

// One GET on a fresh connection.
std::optional<HttpResponse> get(int port, const std::string& target,
                                const std::map<std::string, std::string>& headers = {});

}  // namespace b2w::test
