#include "pg_server.hpp"

#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <vector>

#include "process.hpp"

namespace b2w::test {
namespace {

std::string find_bin_dir() {
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql")) {
    auto bin = entry.path() / "bin";
    if (std::filesystem::exists(bin / "pg_ctl")) return bin.string();
  }
  throw std::runtime_error("PostgreSQL server binaries not found (scripts/deps.sh test installs postgresql)");
}

}  // namespace

PgServer::PgServer(const Options& options) : dir_(make_temp_dir("b2w-pg")), bin_(find_bin_dir()) {
  if (geteuid() == 0) {
    // PostgreSQL refuses to run as root: hand the directory to the postgres user.
    const passwd* pw = getpwnam("postgres");
    if (!pw) throw std::runtime_error("no postgres user");
    for (const auto& p : {dir_}) {
      if (chown(p.c_str(), pw->pw_uid, pw->pw_gid) != 0) throw std::runtime_error("chown failed");
    }
  }
  if (as_postgres(
          {bin_ + "/initdb", "-D", dir_ + "/data", "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"}) != 0)
    throw std::runtime_error("initdb failed: " + read_text(dir_ + "/server.log"));
  std::string conf = "listen_addresses = '127.0.0.1'\nunix_socket_directories = '" + dir_ +
                     "'\nfsync = off\nfull_page_writes = off\nmax_connections = 200\n";
  if (options.tls) {
    make_test_certs(dir_, "DNS:localhost,IP:127.0.0.1");
    if (geteuid() == 0) {
      const passwd* pw = getpwnam("postgres");
      for (const char* f : {"/server.key", "/server.crt", "/ca.crt"})
        if (chown((dir_ + f).c_str(), pw->pw_uid, pw->pw_gid) != 0) throw std::runtime_error("chown failed");
    }
    std::filesystem::permissions(dir_ + "/server.key",
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    conf += "ssl = on\nssl_cert_file = '" + dir_ + "/server.crt'\nssl_key_file = '" + dir_ + "/server.key'\n";
    write_file(dir_ + "/data/pg_hba.conf",
               "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n");
  }
  if (!options.password_roles.empty()) {
    std::string hba = "local all all trust\n";
    for (const auto& role : options.password_roles) hba += "host all " + role + " 127.0.0.1/32 scram-sha-256\n";
    write_file(dir_ + "/data/pg_hba.conf", hba + "host all all 127.0.0.1/32 trust\n");
  }
  write_file(dir_ + "/data/postgresql.auto.conf", conf);
  start();
}

PgServer::~PgServer() {
  stop();
  remove_tree(dir_);
}

int PgServer::as_postgres(const std::vector<std::string>& argv) const {
  std::vector<std::string> cmd;
  if (geteuid() == 0) cmd = {"runuser", "-u", "postgres", "--"};
  cmd.insert(cmd.end(), argv.begin(), argv.end());
  return run_command(cmd, dir_ + "/server.log");
}

void PgServer::start() {
  if (running_) return;
  if (port_ == 0) port_ = free_port();
  if (as_postgres({bin_ + "/pg_ctl", "-D", dir_ + "/data", "-l", dir_ + "/postgres.log", "-w", "-t", "30", "-o",
                   // fsync off: a throwaway server survives its own crash (the OS keeps what it wrote) and the
                   // tests never crash the OS; syncing every commit only made contention tests slow on a busy disk.
                   "-p " + std::to_string(port_) + " -c fsync=off", "start"}) != 0)
    throw std::runtime_error("postgres did not start: " + read_text(dir_ + "/postgres.log"));
  running_ = true;
}

void PgServer::stop() {
  if (!running_) return;
  as_postgres({bin_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "immediate", "-w", "stop"});
  running_ = false;
}

std::string PgServer::url(const std::string& database) const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string PgServer::tls_url(const std::string& database, const std::string& ca_file) const {
  return "postgresql://postgres@localhost:" + std::to_string(port_) + "/" + database +
         "?sslmode=verify-full&sslrootcert=" + (ca_file.empty() ? this->ca_file() : ca_file);
}

int PgServer::psql(const std::string& database, const std::string& sql) const {
  return as_postgres({bin_ + "/psql", "-h", dir_, "-p", std::to_string(port_), "-U", "postgres", "-d", database, "-v",
                      "ON_ERROR_STOP=1", "-qc", sql});
}

void PgServer::create_database(const std::string& name) {
  if (psql("postgres", "CREATE DATABASE \"" + name + "\"") != 0) throw std::runtime_error("CREATE DATABASE failed");
}

}  // namespace b2w::test
