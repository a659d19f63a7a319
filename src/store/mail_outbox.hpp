#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "store/db/database.hpp"

namespace b2w::store {

struct OutboxMail {
  std::string id;
  std::string recipient;
  std::string template_name;  // identity/mail_templates
  std::string params;         // JSON object
  int attempts = 0;           // including the one this claim starts
};

// The mail outbox: written in the transaction of the change that needs the mail, sent later by any task
// (identity/outbox_sender). A claim leases a mail to one sender for a while: a sender that dies mid-send leaves
// it to be claimed again when the lease ends.
class MailOutbox {
 public:
  explicit MailOutbox(Database& db) : db_(db) {}

  static Awaitable<void> enqueue(Tx& tx, std::string recipient, std::string template_name, std::string params);
  // Up to `limit` due mails, each leased to the caller until now + lease_micros (another claim skips it).
  Awaitable<std::vector<OutboxMail>> claim_due(std::int64_t lease_micros, int limit);
  // Sent: its params (a link's token) are emptied.
  Awaitable<void> mark_sent(std::string id);
  Awaitable<void> retry_at(std::string id, std::int64_t at, std::string error);
  Awaitable<void> mark_failed(std::string id, std::string error);
  // For tests and operators: how many are pending, sent, failed.
  Awaitable<std::int64_t> count(std::string status);

 private:
  Database& db_;
};

}  // namespace b2w::store
