// The SMTP client against a real SMTP server (aiosmtpd, tests/support/smtp_sink.py) on loopback; what the server
// received is read back with Python's email package (tests/support/parse_mail.py), not with our own code.
#include "identity/smtp_client.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <exception>
#include <filesystem>
#include <optional>
#include <string>

#include "process.hpp"
#include "smtp_sink.hpp"

namespace asio = boost::asio;
namespace json = boost::json;
using b2w::identity::MailMessage;
using b2w::identity::SmtpClient;
using b2w::identity::SmtpConfig;
using b2w::identity::SmtpError;
using b2w::identity::SmtpSecurity;
using b2w::identity::SmtpStep;
using b2w::test::SmtpSink;
using namespace std::chrono_literals;

namespace {

// Wide, for a loaded 2-core machine, except in the tests where a timeout is the point.
constexpr auto kWait = 30s;

MailMessage sample_message() {
  MailMessage m;
  m.from = "no-reply@bet2wealth.test";
  m.from_name = "Bet2wealth";
  m.to = "ada@example.com";
  m.subject = "Verify your email address";
  m.text_body = "Hello Ada,\n\nOpen this link to verify your address:\nhttps://bet2wealth.test/verify?t=abc\n";
  m.html_body = "<p>Hello Ada,</p>\n<p><a href=\"https://bet2wealth.test/verify?t=abc\">Verify</a></p>\n";
  return m;
}

SmtpConfig plain_config(int port) {
  SmtpConfig config;
  config.host = "127.0.0.1";
  config.port = static_cast<std::uint16_t>(port);
  config.security = SmtpSecurity::plain;
  config.helo_name = "backend.bet2wealth.test";
  config.connect_timeout = kWait;
  config.step_timeout = kWait;
  config.total_timeout = 2 * kWait;
  return config;
}

// Runs one send to completion on a fresh io_context; the SmtpError it threw, if any.
std::optional<SmtpError> send(SmtpClient& client, const MailMessage& message) {
  asio::io_context io;
  std::exception_ptr failure;
  asio::co_spawn(io, client.send(message), [&](std::exception_ptr e) { failure = std::move(e); });
  io.run();
  if (!failure) return std::nullopt;
  try {
    std::rethrow_exception(failure);
  } catch (const SmtpError& e) {
    return e;
  }
}

::testing::AssertionResult sent(SmtpClient& client, const MailMessage& message) {
  auto error = send(client, message);
  if (!error) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "not sent: " << error->what();
}

std::string str(const json::value& v) {
  return std::string(v.as_string());
}

// Python's email package gives bodies with "\n" line ends (and exactly the text sent: the CRLF before a boundary
// belongs to the boundary, RFC 2046 §5.1.1).
std::string unix_lines(std::string text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += '\n';
    } else {
      out += text[i];
    }
  }
  return out;
}

json::value delivered(const SmtpSink& sink, int n = 1) {
  auto path = sink.wait_for_message(n, kWait);
  if (!path) throw std::runtime_error("the sink received no message");
  return b2w::test::parse_mail(*path);
}

// A loopback port that accepts connections (the kernel completes them) and never says a word.
class SilentServer {
 public:
  SilentServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 8) != 0)
      throw std::runtime_error("cannot listen on loopback");
    socklen_t length = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &length);
    port_ = ntohs(addr.sin_port);
  }
  ~SilentServer() { ::close(fd_); }
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace

TEST(SmtpClient, DeliversBothPartsWithCorrectHeaders) {
  SmtpSink sink;
  SmtpClient client(plain_config(sink.port()));
  const auto message = sample_message();
  ASSERT_TRUE(sent(client, message));

  const auto envelope = sink.envelope(1);
  EXPECT_EQ(str(envelope.at("mail_from")), "no-reply@bet2wealth.test");
  ASSERT_EQ(envelope.at("rcpt_tos").as_array().size(), 1U);
  EXPECT_EQ(str(envelope.at("rcpt_tos").as_array()[0]), "ada@example.com");
  EXPECT_FALSE(envelope.at("tls").as_bool());

  const auto mail = delivered(sink);
  EXPECT_TRUE(mail.at("defects").as_array().empty()) << json::serialize(mail.at("defects"));
  const auto& headers = mail.at("headers").as_object();
  EXPECT_EQ(str(headers.at("From")), "Bet2wealth <no-reply@bet2wealth.test>");
  EXPECT_EQ(str(headers.at("To")), "ada@example.com");
  EXPECT_EQ(str(headers.at("Subject")), "Verify your email address");
  EXPECT_EQ(str(headers.at("MIME-Version")), "1.0");
  EXPECT_TRUE(mail.at("date_ok").as_bool());
  const auto message_id = str(headers.at("Message-ID"));
  EXPECT_EQ(message_id.front(), '<');
  EXPECT_TRUE(message_id.ends_with("@bet2wealth.test>")) << message_id;
  EXPECT_GE(message_id.size(), 32U);  // a random part of 32 hex digits
  EXPECT_EQ(str(mail.at("content_type")), "multipart/alternative");

  const auto& parts = mail.at("parts").as_array();
  ASSERT_EQ(parts.size(), 2U);
  EXPECT_EQ(str(parts[0].at("content_type")), "text/plain");
  EXPECT_EQ(str(parts[1].at("content_type")), "text/html");
  for (const auto& part : parts) {
    EXPECT_EQ(str(part.at("charset")), "utf-8");
    EXPECT_EQ(str(part.at("transfer_encoding")), "quoted-printable");
  }
  EXPECT_EQ(str(parts[0].at("body")), message.text_body);
  EXPECT_EQ(str(parts[1].at("body")), message.html_body);
}

TEST(SmtpClient, MessageIdsDiffer) {
  SmtpSink sink;
  SmtpClient client(plain_config(sink.port()));
  ASSERT_TRUE(sent(client, sample_message()));
  ASSERT_TRUE(sent(client, sample_message()));
  EXPECT_NE(str(delivered(sink, 1).at("headers").at("Message-ID")),
            str(delivered(sink, 2).at("headers").at("Message-ID")));
}

TEST(SmtpClient, DotStuffsLinesStartingWithADot) {
  SmtpSink sink;
  SmtpClient client(plain_config(sink.port()));
  auto message = sample_message();
  // A lone "." would end DATA early; ".." and ".x" would lose their first dot without transparency.
  message.text_body = "first line\r\n.\r\n..two dots\n.hidden\rlast line without an end";
  message.html_body = ".<p>dot first</p>\n.\n";
  ASSERT_TRUE(sent(client, message));
  const auto mail = delivered(sink);
  const auto& parts = mail.at("parts").as_array();
  ASSERT_EQ(parts.size(), 2U);
  EXPECT_EQ(str(parts[0].at("body")), unix_lines(message.text_body));
  EXPECT_EQ(str(parts[1].at("body")), unix_lines(message.html_body));
}

TEST(SmtpClient, EncodesNonAsciiSubjectNameAndBody) {
  SmtpSink sink;
  SmtpClient client(plain_config(sink.port()));
  auto message = sample_message();
  message.from_name = "Bet2wealth Caisse — équipe";
  // Long enough for several encoded-words, with 2-, 3- and 4-byte characters to split between them.
  message.subject = "Vérifiez votre adresse électronique ✓ — Bet2wealth Naïra ₦ 🎉 encore une fois, s'il vous plaît";
  message.text_body = "Bonjour Zoë, ₦5 000 crédités 🎉\nA line with = and trailing space \n" + std::string(200, 'x');
  message.html_body = "<p>Bonjour Zoë — ₦</p>";
  ASSERT_TRUE(sent(client, message));
  const auto mail = delivered(sink);
  EXPECT_TRUE(mail.at("defects").as_array().empty()) << json::serialize(mail.at("defects"));
  EXPECT_EQ(str(mail.at("headers").at("Subject")), message.subject);
  EXPECT_EQ(str(mail.at("headers").at("From")), message.from_name + " <no-reply@bet2wealth.test>");
  const auto& parts = mail.at("parts").as_array();
  ASSERT_EQ(parts.size(), 2U);
  EXPECT_EQ(str(parts[0].at("body")), message.text_body);
  EXPECT_EQ(str(parts[1].at("body")), message.html_body);
}

// Both mechanisms: PLAIN when offered, LOGIN when only it is.
TEST(SmtpClient, AuthenticatesWithPlainOrLogin) {
  for (const bool only_login : {false, true}) {
    SmtpSink sink({.user = "mailer", .password = "correct horse battery", .only_login = only_login});
    auto config = plain_config(sink.port());
    config.user = "mailer";
    config.password = "correct horse battery";
    SmtpClient client(config);
    ASSERT_TRUE(sent(client, sample_message())) << only_login;
    delivered(sink);
    EXPECT_EQ(str(sink.envelope(1).at("authenticated_as")), "mailer") << only_login;
  }
}

TEST(SmtpClient, WrongPasswordIsPermanentAndNotInTheError) {
  for (const bool only_login : {false, true}) {
    SmtpSink sink({.user = "mailer", .password = "correct horse battery", .only_login = only_login});
    auto config = plain_config(sink.port());
    config.user = "mailer";
    config.password = "Tr0ub4dor&3-wrong";
    SmtpClient client(config);
    auto error = send(client, sample_message());
    ASSERT_TRUE(error);
    EXPECT_TRUE(error->permanent());
    EXPECT_EQ(error->step(), SmtpStep::auth);
    EXPECT_EQ(error->reply_code(), 535);
    EXPECT_FALSE(error->maybe_delivered());
    const std::string what = error->what();
    EXPECT_EQ(what.find("Tr0ub4dor"), std::string::npos) << what;
    EXPECT_EQ(what.find("VHIwdWI0ZG9y"), std::string::npos) << what;  // nor its base64
    EXPECT_EQ(sink.message_count(), 0);
  }
}

TEST(SmtpClient, NoCredentialsWhereAuthIsRequiredIsPermanent) {
  SmtpSink sink({.user = "mailer", .password = "correct horse battery"});
  SmtpClient client(plain_config(sink.port()));
  auto error = send(client, sample_message());
  ASSERT_TRUE(error);
  EXPECT_TRUE(error->permanent());
  EXPECT_EQ(error->step(), SmtpStep::mail_from);
  EXPECT_EQ(error->reply_code(), 530);
}

TEST(SmtpClient, RecipientRefusalsAreClassifiedByTheirCode) {
  SmtpSink sink;
  SmtpClient client(plain_config(sink.port()));
  auto message = sample_message();
  message.to = "reject@example.com";
  auto refused = send(client, message);
  ASSERT_TRUE(refused);
  EXPECT_TRUE(refused->permanent());
  EXPECT_EQ(refused->step(), SmtpStep::rcpt_to);
  EXPECT_EQ(refused->reply_code(), 550);
  EXPECT_NE(std::string(refused->what()).find("No such user"), std::string::npos) << refused->what();

  message.to = "busy@example.com";
  auto busy = send(client, message);
  ASSERT_TRUE(busy);
  EXPECT_FALSE(busy->permanent());
  EXPECT_EQ(busy->reply_code(), 451);
  EXPECT_EQ(sink.message_count(), 0);
}

TEST(SmtpClient, RefusalAfterTheFinalDotIsAnAnswerNotALostReply) {
  SmtpSink sink;
  SmtpClient client(plain_config(sink.port()));
  auto message = sample_message();
  message.to = "spam@example.com";
  auto error = send(client, message);
  ASSERT_TRUE(error);
  EXPECT_TRUE(error->permanent());
  EXPECT_EQ(error->step(), SmtpStep::message);
  EXPECT_EQ(error->reply_code(), 554);
  EXPECT_FALSE(error->maybe_delivered());
}

TEST(SmtpClient, RefusesHeaderInjectionBeforeConnecting) {
  SmtpSink sink;
  SmtpClient client(plain_config(sink.port()));
  auto with_subject = sample_message();
  with_subject.subject = "Hello\r\nBcc: everyone@example.com";
  auto with_to = sample_message();
  with_to.to = "ada@example.com\r\nRCPT TO:<eve@example.com>";
  auto with_from = sample_message();
  with_from.from = "no-reply@bet2wealth.test>\r\nBcc: eve@example.com";
  auto with_name = sample_message();
  with_name.from_name = "Bet2wealth\nBcc: eve@example.com";
  auto with_lf_subject = sample_message();
  with_lf_subject.subject = "Hello\nBcc: everyone@example.com";
  for (const auto& message : {with_subject, with_to, with_from, with_name, with_lf_subject}) {
    auto error = send(client, message);
    ASSERT_TRUE(error);
    EXPECT_TRUE(error->permanent());
    EXPECT_EQ(error->step(), SmtpStep::compose);
    EXPECT_EQ(std::string(error->what()).find("Bcc"), std::string::npos);  // the text is not echoed
  }
  EXPECT_EQ(sink.message_count(), 0);
}

TEST(SmtpClient, ServerDownIsTransientAndQuick) {
  auto config = plain_config(b2w::test::free_port());  // nothing listens there
  config.connect_timeout = 5s;
  SmtpClient client(config);
  const auto started = std::chrono::steady_clock::now();
  auto error = send(client, sample_message());
  ASSERT_TRUE(error);
  EXPECT_FALSE(error->permanent());
  EXPECT_EQ(error->step(), SmtpStep::connect);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST(SmtpClient, SilentServerCostsOneStepTimeout) {
  SilentServer server;
  auto config = plain_config(server.port());
  config.step_timeout = 300ms;
  SmtpClient client(config);
  const auto started = std::chrono::steady_clock::now();
  auto error = send(client, sample_message());
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(error);
  EXPECT_FALSE(error->permanent());
  EXPECT_EQ(error->step(), SmtpStep::greeting);
  EXPECT_NE(std::string(error->what()).find("timed out"), std::string::npos) << error->what();
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 10s);  // the point is that it ends; the bound is wide for a loaded machine
}

TEST(SmtpClient, TotalTimeoutBoundsTheWholeExchange) {
  SilentServer server;
  auto config = plain_config(server.port());
  config.step_timeout = 60s;
  config.total_timeout = 300ms;
  SmtpClient client(config);
  const auto started = std::chrono::steady_clock::now();
  auto error = send(client, sample_message());
  ASSERT_TRUE(error);
  EXPECT_FALSE(error->permanent());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
}

class SmtpClientTls : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = b2w::test::make_temp_dir("b2w-smtp-certs");
    certs_ = b2w::test::make_test_certs(dir_, "DNS:localhost,IP:127.0.0.1");
  }
  void TearDown() override { b2w::test::remove_tree(dir_); }

  SmtpConfig tls_config(int port, SmtpSecurity security) const {
    auto config = plain_config(port);
    config.host = "localhost";  // the name in the certificate, checked
    config.security = security;
    config.ca_file = certs_.ca_cert;
    return config;
  }

  std::string dir_;
  b2w::test::TestCerts certs_;
};

TEST_F(SmtpClientTls, StartTlsWithAuth) {
  SmtpSink sink({.user = "mailer",
                 .password = "correct horse battery",
                 .tls = SmtpSink::Tls::starttls,
                 .cert = certs_.server_cert,
                 .key = certs_.server_key});
  auto config = tls_config(sink.port(), SmtpSecurity::starttls);
  config.user = "mailer";
  config.password = "correct horse battery";
  SmtpClient client(config);
  ASSERT_TRUE(sent(client, sample_message()));
  const auto mail = delivered(sink);
  EXPECT_EQ(mail.at("parts").as_array().size(), 2U);
  EXPECT_TRUE(sink.envelope(1).at("tls").as_bool());
  EXPECT_EQ(str(sink.envelope(1).at("authenticated_as")), "mailer");
}

TEST_F(SmtpClientTls, ImplicitTls) {
  SmtpSink sink({.tls = SmtpSink::Tls::implicit, .cert = certs_.server_cert, .key = certs_.server_key});
  SmtpClient client(tls_config(sink.port(), SmtpSecurity::implicit_tls));
  ASSERT_TRUE(sent(client, sample_message()));
  delivered(sink);
}

TEST_F(SmtpClientTls, UntrustedCertificateIsRefused) {
  SmtpSink sink({.tls = SmtpSink::Tls::starttls, .cert = certs_.server_cert, .key = certs_.server_key});
  auto config = tls_config(sink.port(), SmtpSecurity::starttls);
  config.ca_file = certs_.other_ca_cert;
  SmtpClient client(config);
  auto error = send(client, sample_message());
  ASSERT_TRUE(error);
  EXPECT_FALSE(error->permanent());
  EXPECT_EQ(error->step(), SmtpStep::tls);
  EXPECT_EQ(sink.message_count(), 0);
}

TEST_F(SmtpClientTls, WrongHostNameIsRefused) {
  // Signed by the trusted CA, but for another name than the one the client dialled.
  const std::string other_dir = dir_ + "/elsewhere";
  std::filesystem::create_directory(other_dir);
  const auto elsewhere = b2w::test::make_test_certs(other_dir, "DNS:mail.elsewhere.test");
  SmtpSink sink({.tls = SmtpSink::Tls::implicit, .cert = elsewhere.server_cert, .key = elsewhere.server_key});
  auto config = tls_config(sink.port(), SmtpSecurity::implicit_tls);
  config.ca_file = elsewhere.ca_cert;
  SmtpClient client(config);
  auto error = send(client, sample_message());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->step(), SmtpStep::tls);
}

TEST_F(SmtpClientTls, NoStartTlsOfferedMeansNothingSent) {
  SmtpSink sink;  // plain only
  SmtpClient client(tls_config(sink.port(), SmtpSecurity::starttls));
  auto error = send(client, sample_message());
  ASSERT_TRUE(error);
  EXPECT_FALSE(error->permanent());
  EXPECT_EQ(error->step(), SmtpStep::starttls);
  EXPECT_EQ(sink.message_count(), 0);
}
