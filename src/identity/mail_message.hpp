#pragma once
// One outgoing mail and its Internet Message Format text (RFC 5322 + MIME, RFC 2045-2047): a multipart/alternative
// with a text/plain and a text/html part, both UTF-8 in quoted-printable, so every line is 7-bit and short.
#include <chrono>
#include <string>
#include <string_view>

namespace b2w::identity {

struct MailMessage {
  std::string from;       // addr-spec only: "no-reply@bet2wealth.com"
  std::string from_name;  // display name, may be empty or non-ASCII (UTF-8)
  std::string to;         // one recipient, addr-spec
  std::string subject;    // UTF-8; RFC 2047-encoded when not plain ASCII
  std::string text_body;  // UTF-8; any line ending
  std::string html_body;  // UTF-8; any line ending
  // The Message-ID's left part ([0-9A-Za-z_.-]); empty: random. The outbox gives each mail its own id, so a mail
  // sent again after a crash carries the same Message-ID and a receiver may drop the copy.
  std::string message_id;
};

// Throws std::invalid_argument naming the field when the message cannot be sent as it is: an address that is not
// a plain ASCII local@domain (CR, LF, spaces, <, >, quotes, control characters...), a subject or name holding CR,
// LF or NUL (header injection), text that is not UTF-8, an empty body. The message's text is never in the error.
void validate_mail_message(const MailMessage& message);

// The whole message, CRLF line endings, headers Date, From, To, Subject, Message-ID (random, the sender's domain),
// MIME-Version and Content-Type. Validates first (as validate_mail_message).
std::string compose_mail(const MailMessage& message, std::chrono::system_clock::time_point now);

// RFC 2047 "B" encoded-words (UTF-8) folded onto continuation lines, for text that is not plain printable ASCII;
// the text itself otherwise. Each encoded-word holds whole UTF-8 characters and is at most 75 characters long.
// `first_line_used` is how much of the first line the header's name already takes ("Subject: " is 9).
std::string encode_header_text(std::string_view utf8, std::size_t first_line_used);

// RFC 2045 §6.7 quoted-printable of UTF-8 text: line breaks (CRLF, LF or CR) become CRLF, lines at most 76
// characters with soft breaks, '=', control and non-ASCII bytes and trailing blanks encoded.
std::string quoted_printable(std::string_view text);

// The domain of an addr-spec ("example.com" of "a@example.com").
std::string_view address_domain(std::string_view address);

}  // namespace b2w::identity
