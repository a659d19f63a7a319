#include "python_fake.hpp"

#include <chrono>
#include <stdexcept>
#include <thread>

#include "harness.hpp"
#include "process.hpp"

namespace b2w::test {

PythonFake::PythonFake(const std::string& script, const std::vector<std::string>& args)
    : dir_(make_temp_dir("b2w-fake")) {
  std::vector<std::string> argv{"/usr/bin/python3", std::string(B2W_SOURCE_DIR) + "/tests/support/" + script};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string out = dir_ + "/out";
  pid_ = spawn_process(argv, out);
  for (int i = 0; i < 1000 && port_ == 0; ++i) {
    // The line counts once whole: the fake may have written "PORT " and not yet its digits.
    const auto text = read_text(out);
    const auto at = text.find("PORT ");
    const auto end = at == std::string::npos ? std::string::npos : text.find('\n', at);
    if (end != std::string::npos)
      port_ = std::stoi(text.substr(at + 5, end - at - 5));
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (port_ == 0) {
    const auto log = read_text(out);
    stop_process(pid_, std::chrono::milliseconds(100));
    remove_tree(dir_);
    throw std::runtime_error(script + " did not start: " + log);
  }
}

PythonFake::~PythonFake() {
  if (pid_ > 0) stop_process(pid_, std::chrono::milliseconds(100));
  remove_tree(dir_);
}

void PythonFake::control(const std::string& path, const std::string& body) const {
  call(path, body);
}

std::string PythonFake::call(const std::string& path, const std::string& body) const {
  Client c(port_, std::chrono::seconds(30));
  auto r = c.request("POST", path, {{"Content-Type", "application/json"}}, body);
  if (!r || r->status != 200) throw std::runtime_error("the fake refused " + path);
  return r->body;
}

std::string PythonFake::read(const std::string& path) const {
  auto r = get(port_, path);
  return r ? r->body : "";
}

}  // namespace b2w::test
