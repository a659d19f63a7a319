#include "smtp_sink.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <boost/json/parse.hpp>
#include <stdexcept>
#include <thread>
#include <vector>

#include "process.hpp"

namespace b2w::test {

namespace {

bool exists(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0;
}

}  // namespace

SmtpSink::SmtpSink(const Options& options) : dir_(make_temp_dir("b2w-smtp")) {
  std::vector<std::string> args{"/usr/bin/python3", std::string(B2W_SOURCE_DIR) + "/tests/support/smtp_sink.py", dir_};
  if (!options.user.empty()) {
    args.insert(args.end(), {"--user", options.user, "--password", options.password});
    if (options.only_login) args.emplace_back("--only-login");
  }
  if (options.tls == Tls::starttls) args.insert(args.end(), {"--starttls", options.cert, options.key});
  if (options.tls == Tls::implicit) args.insert(args.end(), {"--implicit-tls", options.cert, options.key});
  const std::string log = dir_ + "/sink.log";
  pid_ = spawn_process(args, log);
  // The line counts once whole: the sink may have written "PORT " and not yet its digits.
  for (int i = 0; i < 1000 && port_ == 0; ++i) {
    const auto text = read_text(log);
    const auto at = text.find("PORT ");
    const auto end = at == std::string::npos ? std::string::npos : text.find('\n', at);
    if (end != std::string::npos)
      port_ = std::stoi(text.substr(at + 5, end - at - 5));
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (port_ == 0) {
    stop_process(pid_, std::chrono::seconds(1));
    throw std::runtime_error("the SMTP sink did not start: " + read_text(log));
  }
}

SmtpSink::~SmtpSink() {
  if (pid_ > 0) stop_process(pid_, std::chrono::seconds(2));
  remove_tree(dir_);
}

int SmtpSink::message_count() const {
  int n = 0;
  while (exists(dir_ + "/" + std::to_string(n + 1) + ".json")) ++n;
  return n;
}

std::optional<std::string> SmtpSink::wait_for_message(int n, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const std::string base = dir_ + "/" + std::to_string(n);
  // The sink writes the .json after the .eml, so a present .json means a whole message.
  while (!exists(base + ".json")) {
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return base + ".eml";
}

boost::json::value SmtpSink::envelope(int n) const {
  return boost::json::parse(read_text(dir_ + "/" + std::to_string(n) + ".json"));
}

boost::json::value parse_mail(const std::string& path) {
  auto result = run_process({"/usr/bin/python3", std::string(B2W_SOURCE_DIR) + "/tests/support/parse_mail.py", path},
                            std::chrono::seconds(60));
  if (result.status != 0) throw std::runtime_error("parse_mail.py failed: " + result.out);
  return boost::json::parse(result.out);
}

}  // namespace b2w::test
