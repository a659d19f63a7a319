-- The money paths' hot tables without foreign keys (issue 18's benchmark): each checked key cost a query and a
-- row lock per entry, and on `users` a shared lock written into the row by every casino callback, which
-- concurrent callbacks of one player turned into multixacts. What the keys guarded is kept otherwise:
-- - a ledger entry is written only with its transaction header and after its account is locked or updated
--   (store/ledger.cpp, store/casino.cpp: the server counts the rows), in the same SQL transaction;
-- - a casino transaction is recorded only for a player the same statement found (INSERT ... SELECT FROM
--   users), and users are never deleted;
-- - `bet2wealth ledger verify` names any entry without its header or account and any casino transaction
--   without its player (store/ledger_verify.cpp).
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_transaction_id_fkey;
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_account_id_fkey;
ALTER TABLE casino_transactions DROP CONSTRAINT casino_transactions_user_id_fkey;

-- The operator's period totals scan casino transactions by time; rows arrive in time order, so a BRIN index
-- (a few pages, next to nothing to maintain per row) finds a period as well as the B-tree it replaces.
DROP INDEX casino_transactions_created;
CREATE INDEX casino_transactions_created ON casino_transactions USING brin (created_at);
