#pragma once
// HAProxy (Debian's haproxy) in TCP mode on a free loopback port: the stand-in for
// ElastiCache's primary endpoint, which a failover repoints to another node. The runtime
// API over a stats socket repoints it and drops the sessions to the old node.
#include <sys/types.h>

#include <string>

namespace b2w::test {

class HaproxyProxy {
 public:
  explicit HaproxyProxy(int backend_port);
  ~HaproxyProxy();
  HaproxyProxy(const HaproxyProxy&) = delete;
  HaproxyProxy& operator=(const HaproxyProxy&) = delete;

  int port() const { return port_; }
  // New connections go to 127.0.0.1:backend_port; existing ones stay unless dropped.
  void repoint(int backend_port);
  // Closes every proxied connection (what a failed or demoted primary does to its clients).
  void drop_sessions();
  // One runtime API command; returns HAProxy's answer.
  std::string admin(const std::string& command) const;
  std::string log() const;

 private:
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace b2w::test
