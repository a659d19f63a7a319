-- Money state machines (issue 15): every status change is conditional, and the database refuses what must never happen.

-- A transaction that closes a withdrawal's hold names it in `closes`: a hold is closed once, by a
-- return to the wallet or by the settlement to Paystack, never both (the race found by the security pass).
ALTER TABLE ledger_transactions ADD COLUMN closes TEXT;
UPDATE ledger_transactions SET closes = substr(id, 19)
  WHERE id LIKE 'withdrawal-return:%' OR id LIKE 'withdrawal-settle:%';
-- Partial: the transactions that release nothing (most of them) do not touch the index at all.
CREATE UNIQUE INDEX ledger_transactions_closes ON ledger_transactions (closes) WHERE closes IS NOT NULL;

-- Paystack's checkout page for a deposit, kept so that a retried request gets it back without a second
-- initialization (Paystack refuses a reference twice).
ALTER TABLE payments ADD COLUMN checkout_url TEXT;
