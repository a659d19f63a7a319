-- Double-entry ledger. Balances are kept on accounts and updated in the same SQL
-- transaction as the immutable entries; `bet2wealth ledger verify` recomputes them.
CREATE TABLE ledger_accounts (
  id TEXT PRIMARY KEY,                 -- "wallet:<user>", "pending_withdrawals:<user>", "house", ...
  kind TEXT NOT NULL CHECK (kind IN ('wallet', 'pending_withdrawals', 'bets_in_play', 'house', 'provider_clearing')),
  user_id TEXT REFERENCES users(id),
  currency TEXT NOT NULL DEFAULT 'NGN',
  balance BIGINT NOT NULL DEFAULT 0,
  may_go_negative INTEGER NOT NULL DEFAULT 0,  -- system accounts only (house, provider clearing)
  created_at BIGINT NOT NULL,
  CONSTRAINT ledger_accounts_no_overdraft CHECK (may_go_negative = 1 OR balance >= 0)
);
CREATE INDEX ledger_accounts_user ON ledger_accounts (user_id);

-- A transaction's id is its idempotency key: posting the same id twice records it once.
CREATE TABLE ledger_transactions (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  reference TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE ledger_entries (
  transaction_id TEXT NOT NULL REFERENCES ledger_transactions(id),
  seq INTEGER NOT NULL,
  account_id TEXT NOT NULL REFERENCES ledger_accounts(id),
  amount BIGINT NOT NULL CHECK (amount <> 0),
  balance_after BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (transaction_id, seq)
);
CREATE INDEX ledger_entries_account ON ledger_entries (account_id, created_at, transaction_id);

-- The system accounts, which may go negative: the house (stakes won and payouts) and the
-- payment provider's clearing account (money in flight to or from Paystack).
INSERT INTO ledger_accounts (id, kind, may_go_negative, created_at) VALUES ('house', 'house', 1, 0);
INSERT INTO ledger_accounts (id, kind, may_go_negative, created_at)
  VALUES ('provider_clearing:paystack', 'provider_clearing', 1, 0);
