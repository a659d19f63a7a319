#pragma once
#include <chrono>
#include <string>

#include "identity/smtp_client.hpp"
#include "store/mail_outbox.hpp"

namespace b2w::identity {

struct SenderOptions {
  std::string from;       // MAIL_FROM
  std::string from_name;  // MAIL_FROM_NAME
  std::chrono::milliseconds poll_interval{std::chrono::seconds(1)};
  std::chrono::milliseconds lease{std::chrono::minutes(5)};  // MAIL_SEND_LEASE
  int max_attempts = 10;                                     // then the mail is marked failed
};

// When a mail that failed `attempts` times (transiently) is tried again: 30 s, doubling, at most an hour.
std::chrono::milliseconds retry_delay(int attempts);

// Sends the outbox's due mails, a few at a time, until its executor stops: each claimed (leased, so a mail is sent
// by one task), rendered, sent over SMTP, marked sent. A transient failure (4xx, network, the server or our
// credentials refusing for now) is retried later with backoff; a permanent one (the message refused, 5xx after
// MAIL FROM) or too many attempts marks it failed. A crash between the server's acceptance and the mark sends it
// again once its lease ends, with the same Message-ID.
store::Awaitable<void> send_outbox(store::MailOutbox& outbox, SmtpClient& smtp, SenderOptions options);

}  // namespace b2w::identity
