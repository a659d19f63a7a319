#pragma once
// Runs tests/support/smtp_sink.py (aiosmtpd, a real SMTP server) on a free loopback port for the lifetime of the
// object, and reads back the messages it accepted.
#include <sys/types.h>

#include <boost/json/value.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "python_fake.hpp"

namespace b2w::test {

enum class SmtpSinkTls { none, starttls, implicit };
// At namespace scope: GCC 12 refuses a nested class with member initializers as a default argument of its own
// enclosing class.
struct SmtpSinkOptions {
  std::string user;  // with a password: AUTH required
  std::string password;
  bool only_login = false;  // AUTH LOGIN offered, not PLAIN
  SmtpSinkTls tls = SmtpSinkTls::none;
  std::string cert, key;  // for TLS
};

class SmtpSink {
 public:
  using Tls = SmtpSinkTls;
  using Options = SmtpSinkOptions;

  explicit SmtpSink(const Options& options = {});
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  int port() const { return process_->port(); }
  // How many messages it has accepted so far.
  int message_count() const;
  // The path of the n-th accepted message (1-based), once it is whole; nullopt after `timeout`.
  std::optional<std::string> wait_for_message(int n, std::chrono::milliseconds timeout) const;
  // The envelope of the n-th message: {"mail_from", "rcpt_tos", "authenticated_as", "tls"}.
  boost::json::value envelope(int n) const;

 private:
  std::string dir_;  // where the sink saves what it accepts
  std::unique_ptr<PythonFake> process_;
};

// The n-th message as Python's email package parses it (tests/support/parse_mail.py): {"headers", "content_type",
// "defects", "date_ok", "parts": [{"content_type", "charset", "transfer_encoding", "body"}]}.
boost::json::value parse_mail(const std::string& path);

}  // namespace b2w::test
