-- What a player's wallet staked and got back, per clock hour (UTC; Lagos has no daylight saving, so its hours are
-- the same): the windows of deposit, stake and loss limits (limits/money_gate.cpp) sum at most 30 days of these
-- rows instead of every ledger entry of the month. Written in the transaction of each wallet posting
-- (store/ledger.cpp, store/casino.cpp) after the wallet's row is locked; `ledger verify` recomputes them from the
-- entries. stakes and paybacks are what domain::activity_side counts: stakes less stakes rolled back, paybacks
-- (payouts, refunds, wins) less wins rolled back.
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
