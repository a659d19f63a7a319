#include "redis_server.hpp"

#include <signal.h>

#include <filesystem>
#include <stdexcept>
#include <thread>

namespace b2w::test {

using Clock = std::chrono::steady_clock;

namespace {
constexpr const char* kRedisServer = "/usr/bin/redis-server";
constexpr const char* kRedisCli = "/usr/bin/redis-cli";

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}
}  // namespace

RedisServer::RedisServer(Options options) : options_(std::move(options)), dir_(make_temp_dir("b2w-redis")) {
  try {
    if (options_.tls) certs_ = make_test_certs(dir_, options_.tls_san);
    // A free port may be taken between the probe and the bind: try a few.
    for (int attempt = 0;; ++attempt) {
      port_ = free_port();
      try {
        start();
        return;
      } catch (const std::exception&) {
        if (attempt >= 4) throw;
      }
    }
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    throw;
  }
}

RedisServer::~RedisServer() {
  if (pid_ > 0) {
    ::kill(pid_, SIGCONT);
    stop_process(pid_, std::chrono::seconds(5));
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void RedisServer::write_config() const {
  std::string c;
  c += "bind 127.0.0.1\n";
  c += "protected-mode no\n";
  c += "daemonize no\n";
  c += "dir " + dir_ + "\n";
  c += "logfile \"\"\n";
  c += "save \"\"\n";
  c += "appendonly no\n";
  c += "databases 4\n";
  // Tests start replicas one at a time: no 5 s wait for more before a full sync, no wait on shutdown.
  c += "repl-diskless-sync-delay 0\n";
  c += "shutdown-timeout 0\n";
  if (options_.tls) {
    c += "port 0\n";
    c += "tls-port " + std::to_string(port_) + "\n";
    c += "tls-cert-file " + certs_.server_cert + "\n";
    c += "tls-key-file " + certs_.server_key + "\n";
    c += "tls-ca-cert-file " + certs_.ca_cert + "\n";
    c += "tls-auth-clients no\n";
    c += "tls-replication yes\n";
  } else {
    c += "port " + std::to_string(port_) + "\n";
  }
  if (!options_.password.empty()) {
    c += "requirepass " + options_.password + "\n";
    c += "masterauth " + options_.password + "\n";
  }
  if (options_.replica_of > 0) c += "replicaof 127.0.0.1 " + std::to_string(options_.replica_of) + "\n";
  write_file(dir_ + "/redis.conf", c);
}

void RedisServer::start() {
  if (pid_ > 0) return;
  write_config();
  pid_ = spawn_process({kRedisServer, dir_ + "/redis.conf"}, dir_ + "/redis.log");
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline) {
    if (wait_process(pid_, std::chrono::milliseconds(0))) {
      pid_ = -1;
      throw std::runtime_error("redis-server exited at start: " + log());
    }
    if (port_open(port_)) {
      try {
        if (cli({"PING"}) == "PONG") return;
      } catch (const std::exception&) {
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stop_process(pid_, std::chrono::seconds(2));
  pid_ = -1;
  throw std::runtime_error("redis-server did not start: " + log());
}

void RedisServer::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGCONT);
  stop_process(pid_, std::chrono::seconds(5));
  pid_ = -1;
}

void RedisServer::kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  wait_process(pid_, std::chrono::seconds(5));
  pid_ = -1;
}

void RedisServer::pause() {
  if (pid_ > 0) ::kill(pid_, SIGSTOP);
}

void RedisServer::resume() {
  if (pid_ > 0) ::kill(pid_, SIGCONT);
}

std::string RedisServer::url(const std::string& host) const {
  return url_with_password(options_.password, host);
}

std::string RedisServer::url_with_password(const std::string& password, const std::string& host,
                                           const std::string& user) const {
  std::string u = options_.tls ? "rediss://" : "redis://";
  if (!password.empty()) u += user + ":" + password + "@";
  return u + host + ":" + std::to_string(port_);
}

std::string RedisServer::cli(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{kRedisCli, "-h", "127.0.0.1", "-p", std::to_string(port_)};
  if (options_.tls) {
    argv.insert(argv.end(), {"--tls", "--cacert", certs_.ca_cert});
  }
  argv.insert(argv.end(), args.begin(), args.end());
  std::map<std::string, std::string> env;
  if (!options_.password.empty()) env["REDISCLI_AUTH"] = options_.password;
  auto r = run_process(argv, std::chrono::seconds(10), env);
  if (r.status != 0) throw std::runtime_error("redis-cli failed: " + r.out);
  return trim(r.out);
}

void RedisServer::wait_synced(std::chrono::milliseconds timeout) const {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    const auto info = cli({"INFO", "replication"});
    if (info.find("master_link_status:up") != std::string::npos &&
        info.find("master_sync_in_progress:0") != std::string::npos)
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("replica did not sync");
}

std::string RedisServer::log() const {
  return read_text(dir_ + "/redis.log");
}

}  // namespace b2w::test
