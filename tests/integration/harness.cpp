#include "harness.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

namespace b2w::test {
namespace {

using Clock = std::chrono::steady_clock;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string make_temp_dir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "b2w-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

pid_t spawn(const Env& env, const std::vector<std::string>& args, const std::string& out_path,
            const std::string& err_path, const std::string& in_path = "/dev/null") {
  std::vector<std::string> argv_s{B2W_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_s;
  for (const auto& [k, v] : env) env_s.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("posix_spawn failed: " + std::string(std::strerror(rc)));
  return pid;
}

std::optional<int> wait_pid(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    }
    if (Clock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

Env with_defaults(const Env& env) {
  Env base{
      {"PORT", "0"},       {"BIND_ADDRESS", "127.0.0.1"}, {"SHUTDOWN_DRAIN_SECONDS", "0"}, {"SHUTDOWN_TIMEOUT", "10s"},
      {"IO_THREADS", "2"}, {"PATH", "/usr/bin:/bin"}};
  for (auto& [k, v] : env) base[k] = v;
  return base;
}

}  // namespace

ServerProcess::ServerProcess(Env env, const std::vector<std::string>& args) : dir_(make_temp_dir()) {
  env.try_emplace("DATA_DIR", dir_ + "/data");  // each server its own embedded database
  pid_ = spawn(with_defaults(env), args, dir_ + "/stdout", dir_ + "/stderr");
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline) {
    const auto out = stdout_text();
    const auto at = out.find("\"msg\":\"listening\"");
    if (at != std::string::npos) {
      const auto p = out.find("\"port\":", at);
      if (p != std::string::npos) {
        port_ = std::atoi(out.c_str() + p + 7);
        return;
      }
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

ServerProcess::~ServerProcess() {
  if (!exited_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    wait_pid(pid_, std::chrono::seconds(5));
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void ServerProcess::signal(int signo) const {
  ::kill(pid_, signo);
}

std::optional<int> ServerProcess::wait_exit(std::chrono::milliseconds timeout) {
  auto r = wait_pid(pid_, timeout);
  if (r) exited_ = true;
  return r;
}

std::string ServerProcess::stdout_text() const {
  return read_file(dir_ + "/stdout");
}
std::string ServerProcess::stderr_text() const {
  return read_file(dir_ + "/stderr");
}

bool ServerProcess::wait_for_log(const std::string& needle, std::chrono::milliseconds timeout) const {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (stdout_text().find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

RunResult run_binary(const Env& env, const std::vector<std::string>& args, std::chrono::milliseconds timeout,
                     const std::string& stdin_text) {
  const std::string dir = make_temp_dir();
  {
    std::ofstream in(dir + "/stdin");
    in << stdin_text;
  }
  RunResult result;
  Env full{{"PATH", "/usr/bin:/bin"}, {"DATA_DIR", dir + "/data"}};
  for (const auto& [k, v] : env) full[k] = v;
  const pid_t pid = spawn(full, args, dir + "/stdout", dir + "/stderr", dir + "/stdin");
  auto status = wait_pid(pid, timeout);
  if (!status) {
    ::kill(pid, SIGKILL);
    wait_pid(pid, std::chrono::seconds(5));
  }
  result.status = status.value_or(-1);
  result.out = read_file(dir + "/stdout");
  result.err = read_file(dir + "/stderr");
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return result;
}

std::string HttpResponse::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

Client::Client(int port, std::chrono::milliseconds timeout, int receive_buffer) : timeout_(timeout) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (receive_buffer > 0) setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd_);
    fd_ = -1;
    return;
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

Client::~Client() {
  if (fd_ >= 0) ::close(fd_);
}

bool Client::send(const std::string& data) {
  std::size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

void Client::shutdown_send() {
  ::shutdown(fd_, SHUT_WR);
}

bool Client::fill(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  if (left <= 0) return false;
  pollfd pfd{fd_, POLLIN, 0};
  if (::poll(&pfd, 1, static_cast<int>(left)) <= 0) return false;
  char chunk[65536];
  const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  buf_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

std::optional<HttpResponse> Client::read_response(bool head) {
  const auto deadline = Clock::now() + timeout_;
  std::size_t end;
  while ((end = buf_.find("\r\n\r\n")) == std::string::npos)
    if (!fill(deadline)) return std::nullopt;
  HttpResponse res;
  std::istringstream lines(buf_.substr(0, end));
  std::string line;
  std::getline(lines, line);
  if (line.size() < 12) return std::nullopt;
  res.status = std::atoi(line.c_str() + 9);
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    res.headers[name] = value;
  }
  buf_.erase(0, end + 4);
  const std::size_t length = head ? 0 : std::strtoull(res.header("content-length").c_str(), nullptr, 10);
  while (buf_.size() < length)
    if (!fill(deadline)) return std::nullopt;
  res.body = buf_.substr(0, length);
  buf_.erase(0, length);
  return res;
}

bool Client::closed_by_peer(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd pfd{fd_, POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(left)) <= 0) return false;
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return true;  // EOF or reset
  }
}

std::optional<std::string> Client::rest_until_closed(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return std::nullopt;
    pollfd pfd{fd_, POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(left)) <= 0) return std::nullopt;
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return std::exchange(buf_, std::string());  // EOF or reset
    buf_.append(chunk, static_cast<std::size_t>(n));
  }
}

std::optional<HttpResponse> Client::request(const std::string& method, const std::string& target,
                                            const std::map<std::string, std::string>& headers,
                                            const std::string& body) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST") req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  if (!send(req)) return std::nullopt;
  return read_response(method == "HEAD");
}

std::optional<HttpResponse> get(int port, const std::string& target,
                                const std::map<std::string, std::string>& headers) {
  Client c(port);
  if (!c.connected()) return std::nullopt;
  return c.request("GET", target, headers);
}

}  // namespace b2w::test
