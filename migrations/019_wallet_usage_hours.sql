-- What a player's wallet staked and got back, per clock hour (UTC; Lagos has no daylight saving, so its hours are
-- the same): the windows of deposit, stake and loss limits (limits/money_gate.cpp) sum at most 30 days of these
-- instead of every ledger entry of the month (store/wallet_usage.hpp). The hour a wallet last moved in is kept on its
-- ledger_accounts row, by the UPDATE that moves its balance (no write of its own on the money paths); a posting that
-- finds that hour past adds it to wallet_usage_hours first. `ledger verify` recomputes both from the entries. stakes
-- and paybacks are what domain::activity_side counts: stakes less stakes rolled back, paybacks (payouts, refunds,
-- wins) less wins rolled back.
ALTER TABLE ledger_accounts ADD COLUMN usage_hour BIGINT;  -- epoch micros / 3,600,000,000; NULL: none yet
ALTER TABLE ledger_accounts ADD COLUMN hour_stakes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ledger_accounts ADD COLUMN hour_paybacks BIGINT NOT NULL DEFAULT 0;

CREATE TABLE wallet_usage_hours (
  user_id TEXT NOT NULL,
  hour BIGINT NOT NULL,                -- epoch micros / 3,600,000,000
  stakes BIGINT NOT NULL DEFAULT 0,
  paybacks BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, hour)
);

-- The history so far, from the entries (the kinds as domain::activity_side names them today).
INSERT INTO wallet_usage_hours (user_id, hour, stakes, paybacks)
SELECT a.user_id, e.created_at / 3600000000,
       SUM(CASE WHEN t.kind IN ('bet_stake', 'casino_stake', 'casino_stake_return') THEN -e.amount ELSE 0 END),
       SUM(CASE WHEN t.kind IN ('bet_payout', 'bet_refund', 'casino_win', 'casino_win_return') THEN e.amount ELSE 0 END)
FROM ledger_entries e
JOIN ledger_accounts a ON a.id = e.account_id
JOIN ledger_transactions t ON t.id = e.transaction_id
WHERE a.kind = 'wallet' AND t.kind IN ('bet_stake', 'casino_stake', 'casino_stake_return', 'bet_payout',
                                       'bet_refund', 'casino_win', 'casino_win_return')
GROUP BY a.user_id, e.created_at / 3600000000;
