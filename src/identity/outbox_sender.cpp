#include "identity/outbox_sender.hpp"

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>

#include "identity/mail_templates.hpp"
#include "observability/log.hpp"

namespace b2w::identity {

namespace {

constexpr int kBatch = 10;

enum class Outcome { sent, retry, failed };

// The mail for the outbox row; throws std::invalid_argument when it cannot be made (then it never can).
MailMessage message_for(const store::OutboxMail& mail, const SenderOptions& options) {
  boost::system::error_code ec;
  const auto params = boost::json::parse(mail.params, ec);
  if (ec || !params.is_object()) throw std::invalid_argument("unreadable params");
  auto rendered = render_mail(mail.template_name, params.get_object());
  MailMessage message{.from = options.from,
                      .from_name = options.from_name,
                      .to = mail.recipient,
                      .subject = std::move(rendered.subject),
                      .text_body = std::move(rendered.text_body),
                      .html_body = std::move(rendered.html_body),
                      .message_id = mail.id};
  validate_mail_message(message);
  return message;
}

}  // namespace

std::chrono::milliseconds retry_delay(int attempts) {
  const int doublings = std::clamp(attempts - 1, 0, 7);
  return std::min<std::chrono::milliseconds>(std::chrono::seconds(30) * (1 << doublings), std::chrono::hours(1));
}

store::Awaitable<void> send_outbox(store::MailOutbox& outbox, SmtpClient& smtp, SenderOptions options) {
  auto ex = co_await boost::asio::this_coro::executor;
  const auto lease = std::chrono::duration_cast<std::chrono::microseconds>(options.lease).count();
  for (;;) {
    std::vector<store::OutboxMail> due;
    try {
      due = co_await outbox.claim_due(lease, kBatch);
    } catch (const std::exception& e) {
      log::warn("mail outbox unreadable").str("error", e.what());
    }
    for (const auto& mail : due) {
      Outcome outcome = Outcome::sent;
      std::string error;
      try {
        co_await smtp.send(message_for(mail, options));
      } catch (const std::invalid_argument& e) {
        outcome = Outcome::failed;
        error = e.what();
      } catch (const SmtpError& e) {
        // Refusals of this message are final; the server's or our configuration's problems may pass.
        const bool about_this_mail = e.step() >= SmtpStep::mail_from;
        outcome = e.permanent() && about_this_mail ? Outcome::failed : Outcome::retry;
        error = "SMTP " + std::to_string(e.reply_code()) + " at step " + std::to_string(static_cast<int>(e.step()));
      }
      if (outcome == Outcome::retry && mail.attempts >= options.max_attempts) outcome = Outcome::failed;
      try {
        if (outcome == Outcome::sent) {
          co_await outbox.mark_sent(mail.id);
          log::info("mail sent").str("mail", mail.id).str("template", mail.template_name);
        } else if (outcome == Outcome::retry) {
          const auto delay = std::chrono::duration_cast<std::chrono::microseconds>(retry_delay(mail.attempts));
          co_await outbox.retry_at(mail.id, store::now_micros() + delay.count(), error);
          log::warn("mail not sent; will retry").str("mail", mail.id).str("error", error).num("attempt", mail.attempts);
        } else {
          co_await outbox.mark_failed(mail.id, error);
          log::error("mail failed").str("mail", mail.id).str("error", error).num("attempts", mail.attempts);
        }
      } catch (const std::exception& e) {
        // Its lease ends and it is claimed again.
        log::warn("mail outcome not recorded").str("mail", mail.id).str("error", e.what());
      }
    }
    if (static_cast<int>(due.size()) == kBatch) continue;  // more may be due
    boost::asio::steady_timer timer(ex, options.poll_interval);
    co_await timer.async_wait(boost::asio::use_awaitable);
  }
}

}  // namespace b2w::identity
