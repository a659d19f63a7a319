#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db/database.hpp"

namespace b2w::store {

// A bank account a player saved for withdrawals (table payout_accounts, migration 020).
struct PayoutAccount {
  std::string id;  // "pa_…"
  std::string user_id;
  std::string bank_code;
  std::optional<std::string> bank_name;
  std::string account_number;  // full NUBAN: sent to Paystack, never logged or shown whole
  std::string account_name;    // as the bank resolved it
  bool name_matches = false;
  std::optional<std::string> recipient_code;  // Paystack's RCP_…, once the first withdrawal created it
  std::int64_t created_at = 0;
  std::optional<std::int64_t> deleted_at;
};

class PayoutAccountRepository {
 public:
  explicit PayoutAccountRepository(Database& db) : db_(db) {}

  // Serializes the player's changes to their payout accounts for the rest of the transaction (locks the user's
  // row), so a count and the insert that follows it stay exact. The live accounts, oldest first.
  static Awaitable<std::vector<PayoutAccount>> lock_live(Tx& tx, std::string user_id);
  // Inserts; false when the player has a live account with this bank and number already.
  static Awaitable<bool> insert(Tx& tx, const PayoutAccount& account);

  // The player's live accounts, oldest first.
  Awaitable<std::vector<PayoutAccount>> live(std::string user_id);
  // One account of the player's, deleted or not (nullopt when it is not theirs).
  Awaitable<std::optional<PayoutAccount>> find(std::string user_id, std::string id);
  // Marks a live account of the player's deleted; false when there is none with this id.
  Awaitable<bool> remove(std::string user_id, std::string id);
  // Keeps Paystack's transfer recipient for the account; the first one recorded stays.
  Awaitable<void> set_recipient(std::string id, std::string recipient_code);

 private:
  Database& db_;
};

}  // namespace b2w::store
