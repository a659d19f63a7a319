#include "identity/mail_message.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "identity/smtp_client.hpp"

using namespace b2w::identity;

namespace {

MailMessage sample() {
  MailMessage m;
  m.from = "no-reply@bet2wealth.test";
  m.to = "ada@example.com";
  m.subject = "Hello";
  m.text_body = "text";
  m.html_body = "<p>html</p>";
  return m;
}

std::vector<std::string> crlf_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (auto at = text.find("\r\n"); at != std::string::npos; at = text.find("\r\n", start)) {
    lines.push_back(text.substr(start, at - start));
    start = at + 2;
  }
  lines.push_back(text.substr(start));
  return lines;
}

std::string base64_decode(const std::string& text) {
  std::string out(text.size(), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  out.resize(static_cast<std::size_t>(n) - std::count(text.end() - 2, text.end(), '='));
  return out;
}

}  // namespace

TEST(MailMessage, RefusesHeaderInjectionAndBadAddresses) {
  auto expect_refused = [](const MailMessage& m) { EXPECT_THROW(validate_mail_message(m), std::invalid_argument); };
  for (const char* subject : {"a\r\nBcc: x@y.z", "a\nb", "a\rb"}) {
    auto m = sample();
    m.subject = subject;
    expect_refused(m);
  }
  auto nul = sample();
  nul.subject = std::string("a\0b", 3);
  expect_refused(nul);
  auto name = sample();
  name.from_name = "Team\r\nBcc: x@y.z";
  expect_refused(name);
  for (const char* address :
       {"", "ada", "@example.com", "ada@", "ada@@example.com", "ada example@x.com",
        "ada@example.com\r\nRCPT TO:<eve@x.com>", "<ada@example.com>", "ada@exa mple.com", "\"ada\"@example.com",
        "ada..b@example.com", ".ada@example.com", "ada@example..com", "adà@example.com", "ada@[127.0.0.1]"}) {
    auto to = sample();
    to.to = address;
    expect_refused(to);
    auto from = sample();
    from.from = address;
    expect_refused(from);
  }
  auto bad_utf8 = sample();
  bad_utf8.subject = "\xc3\x28";
  expect_refused(bad_utf8);
  auto overlong = sample();
  overlong.text_body = "\xc0\xaf";
  expect_refused(overlong);
  auto empty = sample();
  empty.html_body.clear();
  expect_refused(empty);
  EXPECT_NO_THROW(validate_mail_message(sample()));
  auto fancy = sample();
  fancy.to = "o'brien+bets/x=y@mail.example-domain.ng";
  EXPECT_NO_THROW(validate_mail_message(fancy));
}

TEST(MailMessage, QuotedPrintable) {
  EXPECT_EQ(quoted_printable("a=b"), "a=3Db");
  EXPECT_EQ(quoted_printable("caf\xc3\xa9"), "caf=C3=A9");
  EXPECT_EQ(quoted_printable("trailing \nspace\t"), "trailing=20\r\nspace=09");
  EXPECT_EQ(quoted_printable("a\nb\rc\r\nd"), "a\r\nb\r\nc\r\nd");
  EXPECT_EQ(quoted_printable(".dot\n."), ".dot\r\n.");  // dots are the transport's business
  const auto long_line = quoted_printable(std::string(200, 'x') + std::string(50, '='));
  for (const auto& line : crlf_lines(long_line)) {
    EXPECT_LE(line.size(), 76U) << line;
    // A soft break never splits an =XX escape.
    const auto eq = line.rfind('=');
    if (eq != std::string::npos) {
      EXPECT_TRUE(eq == line.size() - 1 || eq + 3 <= line.size()) << line;
    }
  }
}

TEST(MailMessage, EncodesHeaderTextAsWholeCharacters) {
  EXPECT_EQ(encode_header_text("Plain ASCII subject", 9), "Plain ASCII subject");
  EXPECT_EQ(encode_header_text("=?looks?like?a word", 9).rfind("=?UTF-8?B?", 0), 0U);
  const std::string subject = "Vérifiez votre adresse ✓ ₦ 🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉 fin";
  const auto encoded = encode_header_text(subject, 9);
  std::string decoded;
  const auto lines = crlf_lines(encoded);
  ASSERT_GT(lines.size(), 1U);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string word = lines[i];
    if (i > 0) {
      ASSERT_EQ(word.front(), ' ');  // folded: continuation lines start with white space
      word.erase(0, 1);
    }
    EXPECT_LE(word.size(), 75U);
    EXPECT_LE(word.size() + (i == 0 ? 9 : 1), 76U);
    ASSERT_EQ(word.rfind("=?UTF-8?B?", 0), 0U);
    ASSERT_TRUE(word.ends_with("?="));
    const auto part = base64_decode(word.substr(10, word.size() - 12));
    // Each word decodes to whole characters: a valid UTF-8 string by itself.
    auto alone = sample();
    alone.subject = part;
    EXPECT_NO_THROW(validate_mail_message(alone)) << i;
    decoded += part;
  }
  EXPECT_EQ(decoded, subject);
}

TEST(MailMessage, ComposesSevenBitCrlfText) {
  auto m = sample();
  m.from_name = "Bet2wealth \"Team\"";
  m.subject = "Naïra";
  m.text_body = "line one\nline two é\n.dot";
  const auto text = compose_mail(m, std::chrono::system_clock::from_time_t(1'780'000'000));
  EXPECT_EQ(text.find('\n'), text.find("\r\n") + 1);  // the first LF is part of a CRLF...
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    ASSERT_LT(c, 0x80) << i;  // ...the whole text is 7-bit, every LF ends a CRLF and every CR starts one
    if (c == '\n') {
      ASSERT_EQ(text[i - 1], '\r') << i;
    }
    if (c == '\r') {
      ASSERT_EQ(text[i + 1], '\n') << i;
    }
  }
  for (const auto& line : crlf_lines(text)) EXPECT_LE(line.size(), 998U);
  EXPECT_NE(text.find("Date: Thu, 28 May 2026 20:26:40 +0000\r\n"), std::string::npos) << text;
  EXPECT_NE(text.find("From: \"Bet2wealth \\\"Team\\\"\" <no-reply@bet2wealth.test>\r\n"), std::string::npos);
  EXPECT_NE(text.find("To: ada@example.com\r\n"), std::string::npos);
  EXPECT_NE(text.find("Subject: =?UTF-8?B?TmHDr3Jh?=\r\n"), std::string::npos) << text;
  EXPECT_NE(text.find("@bet2wealth.test>\r\nMIME-Version: 1.0\r\n"), std::string::npos);
  EXPECT_NE(text.find("line two =C3=A9\r\n.dot\r\n"), std::string::npos);
  EXPECT_NE(compose_mail(m, std::chrono::system_clock::now()), compose_mail(m, std::chrono::system_clock::now()));
}

TEST(SmtpData, DotStuffsAndTerminates) {
  EXPECT_EQ(smtp_data_payload("a\r\n.b\r\n"), "a\r\n..b\r\n.\r\n");
  EXPECT_EQ(smtp_data_payload("a\n.\nb"), "a\r\n..\r\nb\r\n.\r\n");
  EXPECT_EQ(smtp_data_payload(".first\rx.y\r\n"), "..first\r\nx.y\r\n.\r\n");
  EXPECT_EQ(smtp_data_payload(""), ".\r\n");
}

TEST(MailMessage, AddressDomain) {
  EXPECT_EQ(address_domain("a@example.com"), "example.com");
  EXPECT_EQ(address_domain("nodomain"), "");
}
