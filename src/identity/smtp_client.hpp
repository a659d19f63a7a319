#pragma once
// An SMTP submission client over Boost.Asio (RFC 5321), with STARTTLS (RFC 3207) or implicit TLS (RFC 8314),
// AUTH PLAIN / LOGIN (RFC 4954). One connection per message; every step is bounded by a timeout and the whole
// exchange by a deadline, so a slow or silent server costs bounded time. src/identity/README.md lists what is
// verified against the RFCs and what is assumed.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>

#include "identity/mail_message.hpp"

namespace b2w::identity {

enum class SmtpSecurity {
  plain,         // no TLS at all: loopback tests only (credentials, if any, travel in clear)
  starttls,      // plain connect, then STARTTLS; refused if the server does not offer it (no silent downgrade)
  implicit_tls,  // TLS from the first byte (port 465)
};

struct SmtpConfig {
  std::string host;
  std::uint16_t port = 587;
  SmtpSecurity security = SmtpSecurity::starttls;
  std::string user;      // empty: no AUTH
  std::string password;  // never logged, never in an error message
  std::string helo_name = "localhost";
  std::string ca_file;  // PEM CA bundle to trust instead of the system's (tests with their own CA)
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds step_timeout{std::chrono::seconds(30)};  // each read or write (RFC 5321 §4.5.3.2)
  std::chrono::milliseconds total_timeout{std::chrono::minutes(2)};  // the whole exchange, whatever the steps take
};

// The step an SMTP exchange failed at. Steps up to auth concern the server and our configuration (every message
// would fail alike); mail_from onwards concern this message.
enum class SmtpStep { compose, connect, tls, greeting, hello, starttls, auth, mail_from, rcpt_to, data, message };

// Why a message was not sent, and whether sending it again may help.
class SmtpError : public std::runtime_error {
 public:
  enum class Kind {
    transient,  // 4xx, network, TLS, timeout, a protocol surprise: retry later
    permanent,  // 5xx or a message that cannot be sent as it is: retrying the same message will fail the same way
  };
  SmtpError(Kind kind, SmtpStep step, int reply_code, bool maybe_delivered, const std::string& message)
      : std::runtime_error(message),
        kind_(kind),
        step_(step),
        reply_code_(reply_code),
        maybe_delivered_(maybe_delivered) {}

  Kind kind() const { return kind_; }
  bool permanent() const { return kind_ == Kind::permanent; }
  SmtpStep step() const { return step_; }
  int reply_code() const { return reply_code_; }  // the server's, 0 when there was none
  // The whole message went out but its acceptance (250 after the final dot) never came back: the server may have
  // queued it, so a retry may deliver it twice (RFC 1047). The caller decides whether a duplicate is worse.
  bool maybe_delivered() const { return maybe_delivered_; }

 private:
  Kind kind_;
  SmtpStep step_;
  int reply_code_;
  bool maybe_delivered_;
};

class SmtpClient {
 public:
  explicit SmtpClient(SmtpConfig config);

  // Delivers one message to its recipient through the configured server; throws SmtpError. Runs on the caller's
  // executor. The message is taken by value: the coroutine keeps it in its frame.
  boost::asio::awaitable<void> send(MailMessage message);

  const SmtpConfig& config() const { return config_; }

 private:
  boost::asio::ssl::context& tls();

  SmtpConfig config_;
  std::once_flag tls_once_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
};

// The DATA payload for a composed message: line endings made CRLF, lines starting with '.' doubled (RFC 5321
// §4.5.2), a final CRLF ensured and the terminating ".\r\n" added.
std::string smtp_data_payload(std::string_view message);

}  // namespace b2w::identity
