#include "smtp_sink.hpp"

#include <sys/stat.h>

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

std::vector<std::string> sink_args(const std::string& dir, const SmtpSinkOptions& options) {
  std::vector<std::string> args{dir};
  if (!options.user.empty()) {
    args.insert(args.end(), {"--user", options.user, "--password", options.password});
    if (options.only_login) args.emplace_back("--only-login");
  }
  if (options.tls == SmtpSinkTls::starttls) args.insert(args.end(), {"--starttls", options.cert, options.key});
  if (options.tls == SmtpSinkTls::implicit) args.insert(args.end(), {"--implicit-tls", options.cert, options.key});
  return args;
}

}  // namespace

SmtpSink::SmtpSink(const Options& options)
    : dir_(make_temp_dir("b2w-smtp")),
      process_(std::make_unique<PythonFake>("smtp_sink.py", sink_args(dir_, options))) {}

SmtpSink::~SmtpSink() {
  process_.reset();
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
