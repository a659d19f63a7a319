-- Payout accounts (issue 21): the bank accounts a player saved for withdrawals, each resolved with Paystack's
-- /bank/resolve when saved. account_name is the holder's name as the bank gave it; name_matches whether it is the
-- player's name (domain/name_match.hpp), decided then. recipient_code is Paystack's transfer recipient, created at
-- the account's first withdrawal and reused by every later one. A removed account keeps its row (deleted_at): its
-- withdrawals still in flight keep paying to it, and payments.payout_account_id stays a valid reference. One live
-- row per (player, bank, number), by the partial unique index.
CREATE TABLE payout_accounts (
  id TEXT PRIMARY KEY,  -- "pa_…"
  user_id TEXT NOT NULL REFERENCES users (id),
  bank_code TEXT NOT NULL,
  bank_name TEXT,       -- from Paystack's bank list when it was known at the time
  account_number TEXT NOT NULL,
  account_name TEXT NOT NULL,
  name_matches INTEGER NOT NULL CHECK (name_matches IN (0, 1)),
  recipient_code TEXT,
  created_at BIGINT NOT NULL,
  deleted_at BIGINT
);
CREATE UNIQUE INDEX payout_accounts_live ON payout_accounts (user_id, bank_code, account_number)
  WHERE deleted_at IS NULL;
CREATE INDEX payout_accounts_user ON payout_accounts (user_id, created_at);

-- The payout account a withdrawal pays to (its bank_code, account_number and account_name are copied onto the
-- payment as before); NULL for withdrawals made before payout accounts.
ALTER TABLE payments ADD COLUMN payout_account_id TEXT REFERENCES payout_accounts (id);
