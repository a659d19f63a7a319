-- KYC tiers (issue 20, domain/kyc.hpp): tier 0 registered, 1 phone verified, 2 identity verified. The tier is
-- computed from the proofs (phone_verified_at, identity_verified_at) unless an operator set one explicitly
-- (kyc_tier_override, PUT /admin/users/{id}/tier), which stands until an operator changes or clears it.
ALTER TABLE users ADD COLUMN identity_verified_at BIGINT;
ALTER TABLE users ADD COLUMN kyc_tier_override INTEGER CHECK (kyc_tier_override BETWEEN 0 AND 2);

-- Identity checks (BVN and bank account validation through Paystack's customer validation), one row per
-- attempt. Only the BVN's last four digits and the bank code are kept: never a full BVN or account number.
-- A player has at most one pending check (the partial unique index); webhooks find the check by Paystack's
-- customer code.
CREATE TABLE identity_checks (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  provider TEXT NOT NULL CHECK (provider IN ('paystack')),
  customer_code TEXT,  -- Paystack's CUS_…, known once /customer answered
  status TEXT NOT NULL CHECK (status IN ('pending', 'verified', 'failed')),
  reason TEXT,         -- why it failed, as Paystack or we said it
  bvn_last4 TEXT NOT NULL,
  bank_code TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX identity_checks_one_pending ON identity_checks (user_id) WHERE status = 'pending';
CREATE INDEX identity_checks_latest ON identity_checks (user_id, created_at);
CREATE INDEX identity_checks_customer ON identity_checks (customer_code, created_at);

-- Why a withdrawal waits for an administrator (domain::ReviewReason: above_review_threshold, above_tier_single,
-- above_tier_daily_amount, above_tier_daily_count); NULL for the others.
ALTER TABLE payments ADD COLUMN review_reason TEXT;
