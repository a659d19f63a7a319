#pragma once
// Runs a provider's fake (a Python script in tests/support that prints "PORT <n>" once listening) on a free
// loopback port for the lifetime of the object.
#include <sys/types.h>

#include <string>
#include <vector>

namespace b2w::test {

class PythonFake {
 public:
  PythonFake(const std::string& script, const std::vector<std::string>& args);
  ~PythonFake();
  PythonFake(const PythonFake&) = delete;
  PythonFake& operator=(const PythonFake&) = delete;

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // POST `body` (JSON) to a control path of the fake; throws unless it answers 200.
  void control(const std::string& path, const std::string& body) const;
  // control(), returning the answer's body.
  std::string call(const std::string& path, const std::string& body) const;
  // GET a control path's body ("" when it does not answer).
  std::string read(const std::string& path) const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string dir_;
};

}  // namespace b2w::test
