-- In-play bets (issue 22): a bet with a live leg is placed `pending` and, after its acceptance delay (due at
-- `accept_at`, epoch micros), accepted (`open`) or `rejected` with a reason (`reject_reason`), its stake returned.
--
-- SQLite cannot alter a CHECK constraint: as in 015, the CHECK in the stored CREATE TABLE text is rewritten
-- (sqlite.org/lang_altertable.html); every stored row already passes the longer list. The ALTERs below are
-- real schema changes, so every other connection reloads the schema.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (status IN (''open'', ''won'', ''lost'', ''void''))',
                     'CHECK (status IN (''open'', ''won'', ''lost'', ''void'', ''pending'', ''rejected''))')
 WHERE type = 'table' AND name = 'bets';
PRAGMA writable_schema = RESET;
ALTER TABLE bets ADD COLUMN accept_at BIGINT;
-- The bettor's odds policy (none, higher, any), judged again at acceptance; set on pending bets.
ALTER TABLE bets ADD COLUMN odds_change TEXT;
ALTER TABLE bets ADD COLUMN reject_reason TEXT CHECK (reject_reason IN ('market_suspended', 'market_closed', 'odds_changed'));
-- The acceptance worker's scan: only pending bets are in it.
CREATE INDEX bets_pending_due ON bets (accept_at, id) WHERE status = 'pending';
