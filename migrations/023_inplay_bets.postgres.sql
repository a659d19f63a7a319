-- In-play bets (issue 22): a bet with a live leg is placed `pending` and, after its acceptance delay (due at
-- `accept_at`, epoch micros), accepted (`open`) or `rejected` with a reason (`reject_reason`), its stake returned.
-- The column CHECK of 004 is named bets_status_check by PostgreSQL.
ALTER TABLE bets DROP CONSTRAINT bets_status_check;
ALTER TABLE bets ADD CONSTRAINT bets_status_check
  CHECK (status IN ('open', 'won', 'lost', 'void', 'pending', 'rejected'));
ALTER TABLE bets ADD COLUMN accept_at BIGINT;
-- The bettor's odds policy (none, higher, any), judged again at acceptance; set on pending bets.
ALTER TABLE bets ADD COLUMN odds_change TEXT;
ALTER TABLE bets ADD COLUMN reject_reason TEXT CHECK (reject_reason IN ('market_suspended', 'market_closed', 'odds_changed'));
-- The acceptance worker's scan: only pending bets are in it.
CREATE INDEX bets_pending_due ON bets (accept_at, id) WHERE status = 'pending';
