-- The casino's seamless wallet (issue 18): every debit and credit an aggregator sends, by the aggregator's
-- own transaction id (its idempotency key), with the status its moves (domain/casino_states) gave it. The money
-- moves in the ledger under ids derived from (aggregator, tid): a repeat changes nothing.
CREATE TABLE casino_transactions (
  aggregator TEXT NOT NULL,
  tid TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL CHECK (kind IN ('debit', 'credit')),
  subtype TEXT NOT NULL,
  amount BIGINT NOT NULL CHECK (amount >= 0),
  currency TEXT NOT NULL,
  round_id TEXT NOT NULL,
  action_id TEXT NOT NULL,
  game TEXT NOT NULL,
  rollback_of TEXT NOT NULL,  -- '' unless this request reverses the transaction it names
  status TEXT NOT NULL CHECK (status IN ('debited', 'credited', 'rolled_back', 'voided', 'noted')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (aggregator, tid)
);
-- The player's rounds, newest first; the operator's totals over a period.
CREATE INDEX casino_transactions_user ON casino_transactions (user_id, created_at);
CREATE INDEX casino_transactions_created ON casino_transactions (created_at);

-- The casino house, per aggregator, in 32 shards like Paystack's clearing account (migration 006): every
-- callback posts to it, and one row would serialize them all behind its lock. A player's shard follows from
-- the user id (store::casino_house_account); the house's balance is the shards' sum.
INSERT INTO ledger_accounts (id, kind, may_go_negative, created_at) VALUES
  ('casino_house:fundist:0', 'house', 1, 0),
  ('casino_house:fundist:1', 'house', 1, 0),
  ('casino_house:fundist:2', 'house', 1, 0),
  ('casino_house:fundist:3', 'house', 1, 0),
  ('casino_house:fundist:4', 'house', 1, 0),
  ('casino_house:fundist:5', 'house', 1, 0),
  ('casino_house:fundist:6', 'house', 1, 0),
  ('casino_house:fundist:7', 'house', 1, 0),
  ('casino_house:fundist:8', 'house', 1, 0),
  ('casino_house:fundist:9', 'house', 1, 0),
  ('casino_house:fundist:10', 'house', 1, 0),
  ('casino_house:fundist:11', 'house', 1, 0),
  ('casino_house:fundist:12', 'house', 1, 0),
  ('casino_house:fundist:13', 'house', 1, 0),
  ('casino_house:fundist:14', 'house', 1, 0),
  ('casino_house:fundist:15', 'house', 1, 0),
  ('casino_house:fundist:16', 'house', 1, 0),
  ('casino_house:fundist:17', 'house', 1, 0),
  ('casino_house:fundist:18', 'house', 1, 0),
  ('casino_house:fundist:19', 'house', 1, 0),
  ('casino_house:fundist:20', 'house', 1, 0),
  ('casino_house:fundist:21', 'house', 1, 0),
  ('casino_house:fundist:22', 'house', 1, 0),
  ('casino_house:fundist:23', 'house', 1, 0),
  ('casino_house:fundist:24', 'house', 1, 0),
  ('casino_house:fundist:25', 'house', 1, 0),
  ('casino_house:fundist:26', 'house', 1, 0),
  ('casino_house:fundist:27', 'house', 1, 0),
  ('casino_house:fundist:28', 'house', 1, 0),
  ('casino_house:fundist:29', 'house', 1, 0),
  ('casino_house:fundist:30', 'house', 1, 0),
  ('casino_house:fundist:31', 'house', 1, 0);

-- An account lock (an administrator's, later responsible gambling's): a locked player cannot stake; wins and
-- refunds still reach the wallet.
ALTER TABLE users ADD COLUMN locked_at BIGINT;
