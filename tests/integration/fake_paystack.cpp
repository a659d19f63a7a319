#include "fake_paystack.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <thread>
#include <vector>

#include "harness.hpp"
#include "process.hpp"

extern char** environ;

namespace b2w::test {

FakePaystack::FakePaystack(const std::string& secret) : dir_(make_temp_dir("b2w-paystack")) {
  std::string script = std::string(B2W_SOURCE_DIR) + "/tests/support/fake_paystack.py";
  std::vector<std::string> args{"/usr/bin/python3", script, secret};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string out = dir_ + "/out";
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, (dir_ + "/err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0)
    throw std::runtime_error("python3 failed");
  posix_spawn_file_actions_destroy(&actions);
  for (int i = 0; i < 500 && port_ == 0; ++i) {
    // The line counts once whole: the fake may have written "PORT " and not yet its digits.
    const auto text = read_text(out);
    const auto at = text.find("PORT ");
    const auto end = at == std::string::npos ? std::string::npos : text.find('\n', at);
    if (end != std::string::npos)
      port_ = std::stoi(text.substr(at + 5, end - at - 5));
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (port_ == 0) throw std::runtime_error("the fake Paystack did not start: " + read_text(dir_ + "/err"));
}

FakePaystack::~FakePaystack() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  remove_tree(dir_);
}

void FakePaystack::set_mode(const std::string& mode) {
  Client c(port_);
  auto r = c.request("POST", "/_mode", {{"Content-Type", "application/json"}}, "{\"mode\":\"" + mode + "\"}");
  if (!r || r->status != 200) throw std::runtime_error("cannot set the fake's mode");
}

namespace {
void control(int port, const std::string& path, const std::string& body) {
  Client c(port);
  auto r = c.request("POST", path, {{"Content-Type", "application/json"}}, body);
  if (!r || r->status != 200) throw std::runtime_error("the fake Paystack refused " + path);
}
}  // namespace

void FakePaystack::script(std::int64_t amount, const std::string& json_fields) {
  auto body = json_fields;
  body.insert(1, "\"amount\":" + std::to_string(amount) + (body.size() > 2 ? "," : ""));
  control(port_, "/_script", body);
}

void FakePaystack::set_webhook_target(const std::string& url) {
  control(port_, "/_webhook_target", "{\"url\":\"" + url + "\"}");
}

std::string FakePaystack::requests_json() {
  auto r = get(port_, "/_requests");
  return r ? r->body : "";
}

}  // namespace b2w::test
