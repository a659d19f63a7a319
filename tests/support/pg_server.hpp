#pragma once
// A real PostgreSQL server (Debian's postgresql package) on 127.0.0.1 with a
// throwaway data directory, stopped and removed by the destructor.
#include <string>
#include <vector>

namespace b2w::test {

class PgServer {
 public:
  struct Options {
    bool tls = false;  // ssl=on with a CA and a server certificate for "localhost" made here
    // Roles that must log in over TCP with their SCRAM password (the others are trusted).
    std::vector<std::string> password_roles;
  };
  PgServer() : PgServer(Options{}) {}
  explicit PgServer(const Options& options);
  ~PgServer();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  int port() const { return port_; }
  // A URL for `database` (created on demand by create_database).
  std::string url(const std::string& database = "postgres") const;
  // With TLS: a verify-full URL trusting `ca_file` (default: the server's own CA).
  std::string tls_url(const std::string& database, const std::string& ca_file = "") const;
  std::string ca_file() const { return dir_ + "/ca.crt"; }
  // A CA that did not sign the server's certificate.
  std::string other_ca_file() const { return dir_ + "/other-ca.crt"; }
  void create_database(const std::string& name);
  // Runs SQL through psql as the superuser; returns psql's exit status.
  int psql(const std::string& database, const std::string& sql) const;

  void stop();  // immediate shutdown (like a crash)
  void start();
  void restart() {
    stop();
    start();
  }
  std::string bin_dir() const { return bin_; }
  // The server's own log (what auto_explain writes, for example).
  std::string log_file() const { return dir_ + "/postgres.log"; }

 private:
  int as_postgres(const std::vector<std::string>& argv) const;
  std::string dir_, bin_;
  int port_ = 0;
  bool running_ = false;
};

}  // namespace b2w::test
