#include "haproxy_proxy.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "process.hpp"

namespace b2w::test {

using Clock = std::chrono::steady_clock;

HaproxyProxy::HaproxyProxy(int backend_port) : dir_(make_temp_dir("b2w-haproxy")) {
  for (int attempt = 0;; ++attempt) {
    port_ = free_port();
    const std::string cfg =
        "global\n"
        "  maxconn 4096\n"
        "  stats socket " +
        dir_ +
        "/admin.sock mode 600 level admin\n"
        "defaults\n"
        "  mode tcp\n"
        "  timeout connect 1s\n"
        "  timeout client 1h\n"
        "  timeout server 1h\n"
        "frontend redis_in\n"
        "  bind 127.0.0.1:" +
        std::to_string(port_) +
        "\n"
        "  default_backend redis_primary\n"
        "backend redis_primary\n"
        "  server primary 127.0.0.1:" +
        std::to_string(backend_port) + "\n";
    write_file(dir_ + "/haproxy.cfg", cfg);
    pid_ = spawn_process({"/usr/sbin/haproxy", "-db", "-f", dir_ + "/haproxy.cfg"}, dir_ + "/haproxy.log");
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    bool up = false;
    while (Clock::now() < deadline) {
      if (wait_process(pid_, std::chrono::milliseconds(0))) break;
      if (port_open(port_) && std::filesystem::exists(dir_ + "/admin.sock")) {
        up = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (up) return;
    stop_process(pid_, std::chrono::seconds(2));
    pid_ = -1;
    if (attempt >= 4) {
      const auto text = log();
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
      throw std::runtime_error("haproxy did not start: " + text);
    }
  }
}

HaproxyProxy::~HaproxyProxy() {
  stop_process(pid_, std::chrono::seconds(5));
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string HaproxyProxy::admin(const std::string& command) const {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string path = dir_ + "/admin.sock";
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot reach the haproxy runtime API");
  }
  const std::string line = command + "\n";
  if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
    ::close(fd);
    throw std::runtime_error("cannot write to the haproxy runtime API");
  }
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

void HaproxyProxy::repoint(int backend_port) {
  const auto answer = admin("set server redis_primary/primary addr 127.0.0.1 port " + std::to_string(backend_port));
  if (answer.find("changed") == std::string::npos && answer.find("no need to change") == std::string::npos)
    throw std::runtime_error("haproxy refused to repoint: " + answer);
}

void HaproxyProxy::drop_sessions() {
  admin("shutdown sessions server redis_primary/primary");
}

std::string HaproxyProxy::log() const {
  return read_text(dir_ + "/haproxy.log");
}

}  // namespace b2w::test
