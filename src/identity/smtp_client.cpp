#include "identity/smtp_client.hpp"

#include <openssl/evp.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <cctype>
#include <optional>
#include <vector>

#include "security/base64url.hpp"

namespace b2w::identity {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

SmtpClient::SmtpClient(SmtpConfig config) : config_(std::move(config)) {}

asio::ssl::context& SmtpClient::tls() {
  std::call_once(tls_once_, [this] {
    auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    if (config_.ca_file.empty())
      ctx->set_default_verify_paths();
    else
      ctx->load_verify_file(config_.ca_file);
    ctx->set_verify_mode(asio::ssl::verify_peer);
    SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
    tls_ = std::move(ctx);
  });
  return *tls_;
}

std::string smtp_data_payload(std::string_view message) {
  std::string out;
  out.reserve(message.size() + message.size() / 64 + 8);
  bool line_start = true;
  for (std::size_t i = 0; i < message.size(); ++i) {
    const char c = message[i];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < message.size() && message[i + 1] == '\n') ++i;
      out += "\r\n";
      line_start = true;
      continue;
    }
    // Transparency (RFC 5321 §4.5.2): the server removes one leading dot of every line.
    if (line_start && c == '.') out += '.';
    out += c;
    line_start = false;
  }
  if (!line_start) out += "\r\n";
  out += ".\r\n";
  return out;
}

namespace {

constexpr std::size_t kMaxReplyBytes = 64 * 1024;  // an EHLO list is a few hundred bytes
constexpr std::size_t kMaxQuotedReply = 200;

struct Reply {
  int code = 0;
  std::vector<std::string> lines;  // the text after "NNN-" or "NNN "
};

struct Capabilities {
  bool starttls = false;
  bool auth_plain = false;
  bool auth_login = false;
};

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

Capabilities parse_ehlo(const Reply& reply) {
  Capabilities caps;
  // The first line is the server's name and greeting; each further line one extension (RFC 5321 §4.1.1.1).
  for (std::size_t i = 1; i < reply.lines.size(); ++i) {
    const std::string line = upper(reply.lines[i]);
    if (line == "STARTTLS") caps.starttls = true;
    // "AUTH=..." is the pre-RFC 4954 spelling some servers still send beside "AUTH ...".
    if (line.rfind("AUTH ", 0) == 0 || line.rfind("AUTH=", 0) == 0) {
      const std::string mechanisms = " " + line.substr(5) + " ";
      if (mechanisms.find(" PLAIN ") != std::string::npos) caps.auth_plain = true;
      if (mechanisms.find(" LOGIN ") != std::string::npos) caps.auth_login = true;
    }
  }
  return caps;
}

// The server's words for an error message: printable ASCII, bounded.
std::string quote_reply(const Reply& reply) {
  std::string text = std::to_string(reply.code);
  for (const auto& line : reply.lines) {
    text += ' ';
    for (char c : line)
      if (c >= 0x20 && c <= 0x7e && text.size() < kMaxQuotedReply) text += c;
  }
  return text;
}

std::string_view step_name(SmtpStep step) {
  switch (step) {
    case SmtpStep::compose:
      return "composing the message";
    case SmtpStep::connect:
      return "connecting";
    case SmtpStep::tls:
      return "the TLS handshake";
    case SmtpStep::greeting:
      return "the greeting";
    case SmtpStep::hello:
      return "EHLO";
    case SmtpStep::starttls:
      return "STARTTLS";
    case SmtpStep::auth:
      return "AUTH";
    case SmtpStep::mail_from:
      return "MAIL FROM";
    case SmtpStep::rcpt_to:
      return "RCPT TO";
    case SmtpStep::data:
      return "DATA";
    case SmtpStep::message:
      return "the message";
  }
  return "SMTP";
}

// One connection to the server, for one message.
class Session {
 public:
  Session(const asio::any_io_executor& executor, const SmtpConfig& config)
      : config_(config), tcp_(executor), deadline_(std::chrono::steady_clock::now() + config.total_timeout) {}

  asio::awaitable<void> connect() {
    auto resolver = std::make_shared<tcp::resolver>(tcp_.get_executor());
    // The resolver has no expiry of its own: a timer cancels it (a lookup already inside getaddrinfo still ends
    // only when the system resolver gives up, by its resolv.conf timeout and attempts).
    asio::steady_timer timer(tcp_.get_executor());
    timer.expires_at(step_expiry(config_.connect_timeout));
    timer.async_wait([weak = std::weak_ptr<tcp::resolver>(resolver)](boost::system::error_code ec) {
      if (auto r = weak.lock(); r && !ec) r->cancel();
    });
    const std::string port = std::to_string(config_.port);
    auto [resolve_ec, endpoints] = co_await resolver->async_resolve(config_.host, port, use_tuple);
    timer.cancel();
    if (resolve_ec) fail_transient(SmtpStep::connect, "cannot resolve the SMTP host: " + resolve_ec.message());

    tcp_.expires_at(step_expiry(config_.connect_timeout));
    auto [connect_ec, endpoint] = co_await tcp_.async_connect(endpoints, use_tuple);
    if (connect_ec) fail_io(SmtpStep::connect, connect_ec);
  }

  asio::awaitable<void> start_tls(asio::ssl::context& context) {
    if (!buffer_.empty())  // plain-text bytes sent before the handshake must not be read as if protected (RFC 3207 §6)
      fail_transient(SmtpStep::starttls, "the server sent data before the TLS handshake");
    tls_.emplace(tcp_, context);
    if (!SSL_set_tlsext_host_name(tls_->native_handle(), config_.host.c_str()))
      fail_transient(SmtpStep::tls, "cannot set the TLS server name");
    tls_->set_verify_callback(asio::ssl::host_name_verification(config_.host));
    tcp_.expires_at(step_expiry(config_.step_timeout));
    auto [ec] = co_await tls_->async_handshake(asio::ssl::stream_base::client, use_tuple);
    if (ec) fail_io(SmtpStep::tls, ec);
  }

  // One reply, however many lines (RFC 5321 §4.2.1: "NNN-text" continues, "NNN text" or "NNN" ends it).
  asio::awaitable<Reply> read_reply(SmtpStep step) {
    Reply reply;
    for (;;) {
      const std::size_t limit = kMaxReplyBytes;
      boost::system::error_code ec;
      std::size_t length = 0;
      tcp_.expires_at(step_expiry(config_.step_timeout));
      if (tls_) {
        auto [read_ec, n] =
            co_await asio::async_read_until(*tls_, asio::dynamic_buffer(buffer_, limit), "\n", use_tuple);
        ec = read_ec;
        length = n;
      } else {
        auto [read_ec, n] =
            co_await asio::async_read_until(tcp_, asio::dynamic_buffer(buffer_, limit), "\n", use_tuple);
        ec = read_ec;
        length = n;
      }
      if (ec == asio::error::not_found) fail_transient(step, "the server's reply is too long");
      if (ec) fail_io(step, ec);
      std::string line = buffer_.substr(0, length);
      buffer_.erase(0, length);
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
      const bool well_formed = line.size() >= 3 && std::isdigit(static_cast<unsigned char>(line[0])) &&
                               std::isdigit(static_cast<unsigned char>(line[1])) &&
                               std::isdigit(static_cast<unsigned char>(line[2])) &&
                               (line.size() == 3 || line[3] == ' ' || line[3] == '-');
      const int code = well_formed ? std::stoi(line.substr(0, 3)) : 0;
      if (!well_formed || code < 200 || code > 599 || (reply.code != 0 && code != reply.code))
        fail_transient(step, "the server's reply is not SMTP");
      reply.code = code;
      reply.lines.push_back(line.size() > 4 ? line.substr(4) : std::string());
      if (line.size() == 3 || line[3] == ' ') co_return reply;
    }
  }

  asio::awaitable<void> write(std::string text, SmtpStep step) {
    tcp_.expires_at(step_expiry(config_.step_timeout));
    boost::system::error_code ec;
    if (tls_) {
      auto [write_ec, n] = co_await asio::async_write(*tls_, asio::buffer(text), use_tuple);
      ec = write_ec;
    } else {
      auto [write_ec, n] = co_await asio::async_write(tcp_, asio::buffer(text), use_tuple);
      ec = write_ec;
    }
    if (ec) fail_io(step, ec);
  }

  // Sends one command line and reads its reply. Error messages name the step, never the line (it may hold
  // credentials).
  asio::awaitable<Reply> command(std::string line, SmtpStep step) {
    line += "\r\n";
    co_await write(std::move(line), step);
    Reply reply = co_await read_reply(step);
    co_return reply;
  }

  // Throws unless the reply's code is in the class `expected_class` (2 for 2xx, 3 for 3xx). `quote` says whether
  // the server's text may go into the error.
  void expect(const Reply& reply, int expected_class, SmtpStep step, bool quote = true) const {
    if (reply.code / 100 == expected_class) return;
    const auto kind = reply.code / 100 == 5 ? SmtpError::Kind::permanent : SmtpError::Kind::transient;
    const std::string said = quote ? quote_reply(reply) : std::to_string(reply.code);
    // A refusal is an answer: even after the final dot, the server has said it did not take the message.
    throw SmtpError(kind, step, reply.code, false,
                    "the SMTP server refused " + std::string(step_name(step)) + ": " + said);
  }

  [[noreturn]] void fail_transient(SmtpStep step, const std::string& why) const {
    throw SmtpError(SmtpError::Kind::transient, step, 0, maybe_delivered(step), why);
  }

  [[noreturn]] void fail_io(SmtpStep step, const boost::system::error_code& ec) const {
    const bool timed_out = ec == beast::error::timeout;
    fail_transient(step, std::string(timed_out ? "timed out at " : "connection failed at ") +
                             std::string(step_name(step)) + (timed_out ? "" : ": " + ec.message()));
  }

  void close() {
    boost::system::error_code ignored;
    tcp_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    tcp_.close();
  }

 private:
  // The whole message went out once the final dot did; only then can a lost or garbled reply mean a delivered
  // message.
  static bool maybe_delivered(SmtpStep step) { return step == SmtpStep::message; }

  std::chrono::steady_clock::time_point step_expiry(std::chrono::milliseconds step) const {
    return std::min(std::chrono::steady_clock::now() + step, deadline_);
  }

  const SmtpConfig& config_;
  beast::tcp_stream tcp_;
  std::optional<asio::ssl::stream<beast::tcp_stream&>> tls_;
  std::string buffer_;  // bytes read past the last reply line
  std::chrono::steady_clock::time_point deadline_;
};

asio::awaitable<Capabilities> hello(Session& session, const SmtpConfig& config) {
  Reply reply = co_await session.command("EHLO " + config.helo_name, SmtpStep::hello);
  // An old server without ESMTP (RFC 5321 §3.2): HELO is enough when neither TLS nor AUTH is wanted.
  if (reply.code / 100 == 5 && config.security == SmtpSecurity::plain && config.user.empty()) {
    Reply helo = co_await session.command("HELO " + config.helo_name, SmtpStep::hello);
    session.expect(helo, 2, SmtpStep::hello);
    co_return Capabilities{};
  }
  session.expect(reply, 2, SmtpStep::hello);
  co_return parse_ehlo(reply);
}

asio::awaitable<void> authenticate(Session& session, const SmtpConfig& config, const Capabilities& caps) {
  // The server's text is left out of AUTH errors: nothing the server echoes can carry a credential into a log.
  constexpr bool kQuote = false;
  if (caps.auth_plain) {
    // RFC 4616: authorization id (empty), authentication id, password, NUL-separated.
    std::string credentials;
    credentials += '\0';
    credentials += config.user;
    credentials += '\0';
    credentials += config.password;
    Reply reply = co_await session.command("AUTH PLAIN " + security::base64_encode(credentials), SmtpStep::auth);
    session.expect(reply, 2, SmtpStep::auth, kQuote);
    co_return;
  }
  if (caps.auth_login) {
    Reply reply = co_await session.command("AUTH LOGIN", SmtpStep::auth);
    session.expect(reply, 3, SmtpStep::auth, kQuote);
    reply = co_await session.command(security::base64_encode(config.user), SmtpStep::auth);
    session.expect(reply, 3, SmtpStep::auth, kQuote);
    reply = co_await session.command(security::base64_encode(config.password), SmtpStep::auth);
    session.expect(reply, 2, SmtpStep::auth, kQuote);
    co_return;
  }
  session.fail_transient(SmtpStep::auth, "the SMTP server offers neither AUTH PLAIN nor AUTH LOGIN");
}

}  // namespace

asio::awaitable<void> SmtpClient::send(MailMessage message) {
  std::string payload;
  try {
    payload = smtp_data_payload(compose_mail(message, std::chrono::system_clock::now()));
  } catch (const std::invalid_argument& e) {
    throw SmtpError(SmtpError::Kind::permanent, SmtpStep::compose, 0, false, e.what());
  }
  asio::ssl::context* tls_context = nullptr;
  if (config_.security != SmtpSecurity::plain) {
    try {
      tls_context = &tls();
    } catch (const std::exception&) {
      throw SmtpError(SmtpError::Kind::transient, SmtpStep::tls, 0, false, "cannot load the TLS CA certificates");
    }
  }

  auto executor = co_await asio::this_coro::executor;
  Session session(executor, config_);
  co_await session.connect();
  if (config_.security == SmtpSecurity::implicit_tls) co_await session.start_tls(*tls_context);
  Reply greeting = co_await session.read_reply(SmtpStep::greeting);
  session.expect(greeting, 2, SmtpStep::greeting);

  Capabilities caps = co_await hello(session, config_);
  if (config_.security == SmtpSecurity::starttls) {
    if (!caps.starttls) session.fail_transient(SmtpStep::starttls, "the SMTP server does not offer STARTTLS");
    Reply ready = co_await session.command("STARTTLS", SmtpStep::starttls);
    session.expect(ready, 2, SmtpStep::starttls);
    co_await session.start_tls(*tls_context);
    // What the server said before TLS is forgotten (RFC 3207 §4.2): ask again, now protected.
    caps = co_await hello(session, config_);
  }
  if (!config_.user.empty()) co_await authenticate(session, config_, caps);

  Reply reply = co_await session.command("MAIL FROM:<" + message.from + ">", SmtpStep::mail_from);
  session.expect(reply, 2, SmtpStep::mail_from);
  reply = co_await session.command("RCPT TO:<" + message.to + ">", SmtpStep::rcpt_to);
  session.expect(reply, 2, SmtpStep::rcpt_to);
  reply = co_await session.command("DATA", SmtpStep::data);
  session.expect(reply, 3, SmtpStep::data);
  co_await session.write(std::move(payload), SmtpStep::data);
  reply = co_await session.read_reply(SmtpStep::message);
  session.expect(reply, 2, SmtpStep::message);

  // The message is accepted: nothing after this may turn into an error and a second delivery.
  try {
    co_await session.command("QUIT", SmtpStep::message);
  } catch (const SmtpError&) {  // NOLINT(bugprone-empty-catch): a lost QUIT changes nothing
  }
  session.close();
}

}  // namespace b2w::identity
