-- Deposits and withdrawals through Paystack. `reference` is ours, sent to Paystack and
-- echoed back in webhooks. Account numbers are stored for the transfer, never logged.
CREATE TABLE payments (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL CHECK (kind IN ('deposit', 'withdrawal')),
  reference TEXT NOT NULL,
  amount BIGINT NOT NULL CHECK (amount > 0),
  currency TEXT NOT NULL DEFAULT 'NGN',
  status TEXT NOT NULL CHECK (status IN ('pending', 'awaiting_review', 'completed', 'failed', 'reversed', 'rejected')),
  bank_code TEXT,
  account_number TEXT,
  account_name TEXT,
  recipient_code TEXT,
  provider_message TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  CONSTRAINT payments_reference_key UNIQUE (reference)
);
CREATE INDEX payments_user ON payments (user_id, created_at);
CREATE INDEX payments_kind_status ON payments (kind, status, created_at);

-- Stripe-style idempotency: the first response to (user, key) is kept 24 h and replayed.
CREATE TABLE idempotency_keys (
  user_id TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('in_progress', 'done')),
  status_code INTEGER,
  response_body TEXT,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, idempotency_key)
);
