#include "identity/mail_message.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <stdexcept>

#include "security/base64url.hpp"

namespace b2w::identity {
namespace {

constexpr std::size_t kMaxLocalPart = 64;  // RFC 5321 §4.5.3.1.1
constexpr std::size_t kMaxAddress = 254;   // RFC 5321 §4.5.3.1.3 path (256) less the angle brackets
constexpr std::size_t kMaxEncodedLine = 76;
constexpr std::size_t kMaxEncodedWord = 75;  // RFC 2047 §2
constexpr std::string_view kWordPrefix = "=?UTF-8?B?";
constexpr std::string_view kWordSuffix = "?=";

bool is_atext(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// dot-atom: atext runs separated by single dots (RFC 5322 §3.2.3).
bool is_dot_atom(std::string_view text, bool (*allowed)(char)) {
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '.') {
      if (text[i + 1] == '.') return false;
    } else if (!allowed(text[i])) {
      return false;
    }
  }
  return true;
}

bool is_domain_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

// Plain mailboxes only: no quoted local parts, address literals or UTF-8 (SMTPUTF8), which this client never needs.
// What passes holds no character that could end a header or an SMTP command.
bool is_plain_address(std::string_view address) {
  const auto at = address.find('@');
  if (at == std::string_view::npos || address.size() > kMaxAddress) return false;
  const auto local = address.substr(0, at);
  const auto domain = address.substr(at + 1);
  return local.size() <= kMaxLocalPart && is_dot_atom(local, is_atext) && is_dot_atom(domain, is_domain_char);
}

bool is_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      length = 2;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    constexpr std::array<std::uint32_t, 5> kSmallest{0, 0, 0x80, 0x800, 0x10000};
    if (code < kSmallest[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

bool breaks_header(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

bool is_printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1)
    throw std::runtime_error("no random bytes for a Message-ID");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

// RFC 5322 §3.3 date-time, always in UTC.
std::string rfc5322_date(std::chrono::system_clock::time_point now) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  static constexpr std::array<const char*, 7> kDays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::array<char, 64> text{};
  std::snprintf(text.data(), text.size(), "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays.at(utc.tm_wday), utc.tm_mday,
                kMonths.at(utc.tm_mon), utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
  return text.data();
}

std::string from_header(const MailMessage& message) {
  constexpr std::size_t kName = 6;  // "From: "
  if (message.from_name.empty()) return message.from;
  if (is_printable_ascii(message.from_name) && message.from_name.find("=?") == std::string::npos) {
    std::string quoted = "\"";
    for (char c : message.from_name) {
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c;
    }
    return quoted + "\" <" + message.from + ">";
  }
  return encode_header_text(message.from_name, kName) + " <" + message.from + ">";
}

void append_part(std::string& out, std::string_view boundary, std::string_view type, std::string_view body) {
  out += "--";
  out += boundary;
  out += "\r\nContent-Type: ";
  out += type;
  out += "; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
  out += quoted_printable(body);
  out += "\r\n";
}

}  // namespace

std::string_view address_domain(std::string_view address) {
  const auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view{} : address.substr(at + 1);
}

void validate_mail_message(const MailMessage& message) {
  if (!is_plain_address(message.from)) throw std::invalid_argument("invalid sender address");
  if (!is_plain_address(message.to)) throw std::invalid_argument("invalid recipient address");
  if (breaks_header(message.subject) || !is_utf8(message.subject))
    throw std::invalid_argument("invalid subject (line breaks or not UTF-8)");
  if (breaks_header(message.from_name) || !is_utf8(message.from_name))
    throw std::invalid_argument("invalid sender name (line breaks or not UTF-8)");
  if (message.text_body.empty() || !is_utf8(message.text_body))
    throw std::invalid_argument("invalid text body (empty or not UTF-8)");
  if (message.html_body.empty() || !is_utf8(message.html_body))
    throw std::invalid_argument("invalid HTML body (empty or not UTF-8)");
  const bool id_ok = std::all_of(message.message_id.begin(), message.message_id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
  });
  if (!id_ok || message.message_id.size() > 64) throw std::invalid_argument("invalid message id");
}

std::string encode_header_text(std::string_view utf8, std::size_t first_line_used) {
  // "=?" could be read as the start of an encoded-word, so text holding it is encoded too (RFC 2047 §5).
  if (is_printable_ascii(utf8) && utf8.find("=?") == std::string_view::npos && first_line_used + utf8.size() <= 900)
    return std::string(utf8);
  constexpr std::size_t kOverhead = kWordPrefix.size() + kWordSuffix.size();
  std::string out;
  std::size_t used = first_line_used;
  while (!utf8.empty()) {
    const std::size_t room = std::min(kMaxEncodedWord, kMaxEncodedLine > used ? kMaxEncodedLine - used : 0);
    // Base64 turns 3 bytes into 4 characters; at least one 4-byte character fits in any word.
    std::size_t take = std::max<std::size_t>(room > kOverhead ? (room - kOverhead) / 4 * 3 : 0, 6);
    take = std::min(take, utf8.size());
    // Whole characters only: step back off UTF-8 continuation bytes (RFC 2047 §5 rule 3).
    std::size_t whole = take;
    while (whole < utf8.size() && whole > 0 && (static_cast<unsigned char>(utf8[whole]) & 0xC0) == 0x80) --whole;
    if (whole > 0) take = whole;  // 0 only for text that is not UTF-8: cut anywhere rather than loop
    if (!out.empty()) out += "\r\n ";
    out += kWordPrefix;
    out += security::base64_encode(utf8.substr(0, take));
    out += kWordSuffix;
    utf8.remove_prefix(take);
    used = 1;  // continuation lines start with one space
  }
  return out;
}

std::string quoted_printable(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  std::size_t line_length = 0;
  auto emit = [&](std::string_view token) {
    // Room is left for the '=' of a soft line break.
    if (line_length + token.size() > kMaxEncodedLine - 1) {
      out += "=\r\n";
      line_length = 0;
    }
    out += token;
    line_length += token.size();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += "\r\n";
      line_length = 0;
      continue;
    }
    const bool at_line_end = i + 1 == text.size() || text[i + 1] == '\r' || text[i + 1] == '\n';
    const auto byte = static_cast<unsigned char>(c);
    const bool literal = (byte >= 33 && byte <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_line_end);
    if (literal) {
      emit(std::string_view(&c, 1));
    } else {
      const std::array<char, 3> encoded{'=', kHex[byte >> 4], kHex[byte & 15]};
      emit(std::string_view(encoded.data(), encoded.size()));
    }
  }
  return out;
}

std::string compose_mail(const MailMessage& message, std::chrono::system_clock::time_point now) {
  validate_mail_message(message);
  // "=_" never occurs in quoted-printable text ('=' is always followed by hex digits or a line break), so the
  // boundary cannot appear inside a part (RFC 2046 §5.1.1).
  const std::string boundary = "=_b2w_" + random_hex(16);
  std::string out;
  out += "Date: " + rfc5322_date(now) + "\r\n";
  out += "From: " + from_header(message) + "\r\n";
  out += "To: " + message.to + "\r\n";
  out += "Subject: " + encode_header_text(message.subject, 9) + "\r\n";
  const std::string id = message.message_id.empty() ? random_hex(16) : message.message_id;
  out += "Message-ID: <" + id + "@" + std::string(address_domain(message.from)) + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n";
  out += "\r\n";
  append_part(out, boundary, "text/plain", message.text_body);
  append_part(out, boundary, "text/html", message.html_body);
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace b2w::identity
