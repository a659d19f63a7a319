#pragma once
// A real redis-server (Debian's redis-server package) on a free loopback port with a
// throwaway directory: plain, with a password, with TLS (a CA and server certificate
// generated here), or as a replica. Stopped and removed by the destructor.
#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "process.hpp"

namespace b2w::test {

class RedisServer {
 public:
  struct Options {
    std::string password;  // requirepass (the default user's password)
    bool tls = false;      // TLS only (port 0, tls-port), certificate for `tls_san`
    std::string tls_san = "DNS:localhost,IP:127.0.0.1";
    int replica_of = 0;  // the primary's port: start as its replica
  };
  RedisServer() : RedisServer(Options{}) {}
  explicit RedisServer(Options options);
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  int port() const { return port_; }
  // redis://[:password@]host:port, or rediss:// with TLS. `password` overrides the server's.
  std::string url(const std::string& host = "127.0.0.1") const;
  std::string url_with_password(const std::string& password, const std::string& host = "127.0.0.1",
                                const std::string& user = "") const;
  std::string ca_file() const { return certs_.ca_cert; }
  std::string other_ca_file() const { return certs_.other_ca_cert; }
  bool running() const { return pid_ > 0; }

  void start();  // on the same port as before (data is not kept)
  void stop();   // SIGTERM: a clean shutdown, no save
  void kill();   // SIGKILL: a crash
  void restart() {
    stop();
    start();
  }
  void pause();   // SIGSTOP: the process hangs, connections stay open
  void resume();  // SIGCONT

  // Runs a command through redis-cli; returns its output (trimmed). Throws when redis-cli fails.
  std::string cli(const std::vector<std::string>& args) const;
  void promote() { cli({"REPLICAOF", "NO", "ONE"}); }
  void replicate_from(int primary_port) { cli({"REPLICAOF", "127.0.0.1", std::to_string(primary_port)}); }
  // Waits until this replica's link to its primary is up and caught up (or throws).
  void wait_synced(std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  std::string log() const;

 private:
  void write_config() const;
  Options options_;
  std::string dir_;
  TestCerts certs_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace b2w::test
