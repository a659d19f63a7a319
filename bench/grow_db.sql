-- A grown database for bench/scale.sh, run by bench/grow_db.sh phase by phase (each "-- phase:" block is one psql
-- call, timed) into a PostgreSQL database the server has migrated. Nothing here is a migration: the staging schema
-- `grow` is dropped at the end, and the indexes and constraints dropped for the load are recreated from their own
-- definitions (grow_db.sh compares `pg_dump --schema-only` before and after).
--
-- What it makes (psql variables from grow_db.sh): :users players (the first :heavy of them with :heavy_bets bets
-- each, the rest sharing the remaining bets), :bets single bets with their legs, 4.25 deposits a player, 1,000
-- events with a 1X2 market each. Every row is what the code would have written, so `bet2wealth ledger verify` passes:
--   deposit:<payment>  clearing shard -> wallet (the shard is FNV-1a of the payment id, as store/ledger.cpp does)
--   stake:<bet>        wallet -> bets_in_play
--   settle:<bet>       lost: bets_in_play -> house; void: bets_in_play -> wallet;
--                      won: bets_in_play -stake, house stake - payout, wallet payout
-- A player's history runs: deposits, then bet 1 placed and settled, bet 2 placed and settled, ...; the bets follow
-- a 20-bet cycle (grow.pattern: 10 lost, 7 won, 1 void, 2 still open), so every balance_after is a closed form of
-- (cycle, position) except the house's and the clearing shards' (window sums). At 1.0: 1,000,000 players,
-- 10,000,000 bets and legs, 4,250,000 deposits, 50,000,000 ledger entries (8.5M deposit + 41.5M bet entries).

-- phase: setup
DROP SCHEMA IF EXISTS grow CASCADE;
CREATE SCHEMA grow;
CREATE TABLE grow.params AS SELECT
  CAST(:users AS BIGINT) AS users, CAST(:heavy AS BIGINT) AS heavy, CAST(:heavy_bets AS BIGINT) AS heavy_bets,
  CAST(:bets AS BIGINT) AS bets, CAST(:'password_hash' AS TEXT) AS password_hash,
  CAST(:'date_of_birth' AS TEXT) AS date_of_birth,
  -- Epoch micros: deposits from 400 days ago, bets from 370 days ago to 2 days ago.
  CAST(extract(epoch FROM now() - interval '400 days') AS BIGINT) * 1000000 AS deposits_from,
  CAST(extract(epoch FROM now() - interval '370 days') AS BIGINT) * 1000000 AS bets_from,
  CAST(extract(epoch FROM now() - interval '2 days') AS BIGINT) * 1000000 AS bets_to,
  CAST(extract(epoch FROM now()) AS BIGINT) * 1000000 AS now_micros;

-- The 20-bet cycle: status, stake (kobo), the selection's position (0: the winner at 1.85; 1: 3.20; 2: 4.00), and
-- what the settlement moves: back to the wallet (ret), to the house (house); prefix sums before each position.
CREATE TABLE grow.pattern AS
WITH p AS (
  SELECT pos, status, CAST((pos % 5 + 1) * 20000 AS BIGINT) AS stake,
         CASE status WHEN 'won' THEN 0 WHEN 'lost' THEN 1 + pos % 2 WHEN 'void' THEN 0 ELSE pos % 3 END AS sel_pos
  FROM (VALUES (0, 'lost'), (1, 'won'), (2, 'lost'), (3, 'lost'), (4, 'won'), (5, 'lost'), (6, 'open'), (7, 'won'),
               (8, 'lost'), (9, 'lost'), (10, 'won'), (11, 'void'), (12, 'lost'), (13, 'won'), (14, 'lost'),
               (15, 'lost'), (16, 'won'), (17, 'open'), (18, 'won'), (19, 'lost')) AS v(pos, status)
), q AS (
  SELECT p.*, CASE sel_pos WHEN 0 THEN 1850 WHEN 1 THEN 3200 ELSE 4000 END AS odds FROM p
), r AS (
  SELECT q.*, stake * odds / 1000 AS potential,
         CASE status WHEN 'won' THEN stake * odds / 1000 WHEN 'lost' THEN 0 WHEN 'void' THEN stake END AS payout,
         CASE status WHEN 'won' THEN stake * odds / 1000 WHEN 'void' THEN stake ELSE 0 END AS ret,
         CASE status WHEN 'won' THEN stake - stake * odds / 1000 WHEN 'lost' THEN stake ELSE 0 END AS house,
         CASE status WHEN 'open' THEN stake ELSE 0 END AS still_open
  FROM q
)
SELECT r.*,
       CASE odds WHEN 1850 THEN '1.85' WHEN 3200 THEN '3.20' ELSE '4.00' END AS total_odds,
       CAST(COALESCE(SUM(stake) OVER w, 0) AS BIGINT) AS ps, CAST(COALESCE(SUM(ret) OVER w, 0) AS BIGINT) AS pr,
       CAST(COALESCE(SUM(house) OVER w, 0) AS BIGINT) AS ph, CAST(COALESCE(SUM(still_open) OVER w, 0) AS BIGINT) AS po,
       CAST(SUM(ret) OVER (ORDER BY pos) AS BIGINT) AS pr1
FROM r WINDOW w AS (ORDER BY pos ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING);
CREATE TABLE grow.cycle AS
  SELECT CAST(SUM(stake) AS BIGINT) AS cs, CAST(SUM(ret) AS BIGINT) AS cr, CAST(SUM(house) AS BIGINT) AS ch,
         CAST(SUM(still_open) AS BIGINT) AS co
  FROM grow.pattern;  -- SUM of BIGINT is NUMERIC: kept as BIGINT, the divisions below are integer ones

-- The definitions to drop for the load and to recreate after it: constraints and indexes of the tables filled here,
-- and the foreign keys that point at them.
CREATE TABLE grow.loaded AS SELECT CAST(t AS regclass) AS rel FROM unnest(ARRAY['users', 'ledger_accounts',
  'ledger_transactions', 'ledger_entries', 'payments', 'bets', 'bet_legs', 'wallet_usage_hours', 'events', 'markets',
  'selections']) AS t;
CREATE TABLE grow.defs AS
  SELECT CASE contype WHEN 'f' THEN 3 ELSE 1 END AS create_order, CASE contype WHEN 'f' THEN 1 ELSE 2 END AS drop_order,
         format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid)) AS create_sql,
         format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname) AS drop_sql
  FROM pg_constraint
  WHERE (contype IN ('p', 'u') AND conrelid IN (SELECT rel FROM grow.loaded))
     OR (contype = 'f' AND (conrelid IN (SELECT rel FROM grow.loaded) OR confrelid IN (SELECT rel FROM grow.loaded)))
  UNION ALL
  SELECT 2, 3, pg_get_indexdef(i.indexrelid), format('DROP INDEX %s', CAST(i.indexrelid AS regclass))
  FROM pg_index i
  WHERE i.indrelid IN (SELECT rel FROM grow.loaded)
    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'));
DO $$
DECLARE d record;
BEGIN
  FOR d IN SELECT drop_sql FROM grow.defs ORDER BY drop_order LOOP EXECUTE d.drop_sql; END LOOP;
END $$;

-- phase: players
-- One row a generated player: bets (n), deposits (nd, each amt: together they cover every stake with 5,000 naira a
-- deposit to spare), the gap between bets and the settlement delay.
CREATE UNLOGGED TABLE grow.u AS
WITH b AS (
  SELECT u, CASE WHEN u <= heavy THEN heavy_bets
                 ELSE (bets - heavy * heavy_bets) / (users - heavy)
                      + CASE WHEN u - heavy - 1 < (bets - heavy * heavy_bets) % (users - heavy) THEN 1 ELSE 0 END END AS n,
         4 + CASE WHEN u % 4 = 0 THEN 1 ELSE 0 END AS nd
  FROM grow.params, generate_series(1, (SELECT users FROM grow.params)) AS u
), c AS (
  SELECT b.*, n / 20 AS cyc, n % 20 AS rm, (p.bets_to - p.bets_from) / GREATEST(n, 1) AS gap FROM b, grow.params p
), t AS (
  SELECT c.u, c.n, c.nd, c.gap,
         c.cyc * y.cs + x.ps AS stakes, c.cyc * y.cr + x.pr AS returns, c.cyc * y.ch + x.ph AS house,
         c.cyc * y.co + x.po AS in_play
  FROM c JOIN grow.pattern x ON x.pos = c.rm CROSS JOIN grow.cycle y
)
SELECT t.*, 'usr_GROW' || lpad(CAST(u AS TEXT), 22, '0') AS id,
       (stakes + nd - 1) / nd + 500000 AS amt,
       (u * 1000003) % GREATEST(gap / 2, 1) AS off, LEAST(gap / 4, 7200000000) AS delay
FROM t;

INSERT INTO users (id, email, password_hash, role, created_at, updated_at, date_of_birth)
SELECT u.id, 'player' || u.u || '@grow.bench.ng', p.password_hash, 'user', p.deposits_from - 86400000000 + u.u,
       p.deposits_from - 86400000000 + u.u, p.date_of_birth
FROM grow.u u, grow.params p;

INSERT INTO ledger_accounts (id, kind, user_id, balance, created_at)
SELECT a.prefix || u.id, a.kind, u.id,
       CASE a.kind WHEN 'wallet' THEN u.amt * u.nd - u.stakes + u.returns WHEN 'bets_in_play' THEN u.in_play ELSE 0 END,
       p.deposits_from - 86400000000 + u.u
FROM grow.u u CROSS JOIN grow.params p
CROSS JOIN (VALUES ('wallet:', 'wallet'), ('pending_withdrawals:', 'pending_withdrawals'),
                   ('bets_in_play:', 'bets_in_play')) AS a(prefix, kind);

-- phase: events
-- 1,000 events with a 1X2 market each: 850 finished (home won), 50 void, 100 still to play with open markets.
INSERT INTO events (id, sport, name, home, away, starts_at, status, created_at, updated_at)
SELECT 'evt_GROW' || lpad(CAST(e AS TEXT), 22, '0'), 'football', 'Home ' || e || ' vs Away ' || e, 'Home ' || e,
       'Away ' || e, CASE WHEN e <= 900 THEN p.bets_from + e * 30000000000 ELSE p.now_micros + (e - 900) * 3600000000 END,
       CASE WHEN e <= 850 THEN 'finished' WHEN e <= 900 THEN 'cancelled' ELSE 'scheduled' END,
       p.deposits_from, p.deposits_from
FROM grow.params p, generate_series(1, 1000) AS e;
INSERT INTO markets (id, event_id, name, status, version, created_at, updated_at)
SELECT 'mkt_GROW' || lpad(CAST(e AS TEXT), 22, '0'), 'evt_GROW' || lpad(CAST(e AS TEXT), 22, '0'), '1X2',
       CASE WHEN e <= 850 THEN 'settled' WHEN e <= 900 THEN 'void' ELSE 'open' END, 1, p.deposits_from, p.deposits_from
FROM grow.params p, generate_series(1, 1000) AS e;
INSERT INTO selections (id, market_id, position, name, odds, result)
SELECT 'sel_GROW' || lpad(CAST(e * 10 + s AS TEXT), 22, '0'), 'mkt_GROW' || lpad(CAST(e AS TEXT), 22, '0'), s,
       (ARRAY['Home', 'Draw', 'Away'])[s + 1], (ARRAY[1850, 3200, 4000])[s + 1],
       CASE WHEN e <= 850 THEN CASE s WHEN 0 THEN 'won' ELSE 'lost' END WHEN e <= 900 THEN 'void' END
FROM generate_series(1, 1000) AS e, generate_series(0, 2) AS s;

-- phase: deposits
-- The Paystack clearing shard of each payment id, 'pay_GROW' + 15 zeros + 7 digits: FNV-1a 64 over its bytes in two
-- 32-bit halves (PostgreSQL has no unsigned 64-bit multiply), the fixed prefix once, then digit by digit over every
-- number needed (one level a digit, pruned to the numbers used).
CREATE UNLOGGED TABLE grow.shard AS
WITH RECURSIVE prefix(i, hi, lo) AS (
  SELECT 0, CAST(3421674724 AS BIGINT), CAST(2216829733 AS BIGINT)  -- 14695981039346656037, the offset basis
  UNION ALL
  SELECT i + 1, (hi * 435 + (lo # ascii(substr('pay_GROW000000000000000', i + 1, 1))) * 256
                 + (((lo # ascii(substr('pay_GROW000000000000000', i + 1, 1))) * 435) >> 32)) & 4294967295,
         ((lo # ascii(substr('pay_GROW000000000000000', i + 1, 1))) * 435) & 4294967295
  FROM prefix WHERE i < 23
), digits(level, num, hi, lo) AS (
  SELECT 0, CAST(0 AS BIGINT), hi, lo FROM prefix WHERE i = 23
  UNION ALL
  SELECT level + 1, num * 10 + d, (hi * 435 + (lo # (48 + d)) * 256 + (((lo # (48 + d)) * 435) >> 32)) & 4294967295,
         ((lo # (48 + d)) * 435) & 4294967295
  FROM digits, generate_series(0, 9) AS d
  WHERE level < 7 AND num * 10 + d <= (SELECT users * 5 FROM grow.params) / CAST(10 ^ (6 - level) AS BIGINT)
)
SELECT num, CAST((lo # hi) & 31 AS INTEGER) AS shard FROM digits WHERE level = 7;

CREATE UNLOGGED TABLE grow.dep AS
SELECT u.id AS user_id, u.amt, d, 'pay_GROW000000000000000' || lpad(CAST((u.u - 1) * 5 + d AS TEXT), 7, '0') AS id,
       'grow-' || lpad(CAST((u.u - 1) * 5 + d AS TEXT), 7, '0') AS reference,
       p.deposits_from + (d - 1) * 86400000000 + (u.u * 7919) % 86400000000 AS at,
       CASE s.shard WHEN 0 THEN 'provider_clearing:paystack' ELSE 'provider_clearing:paystack:' || s.shard END AS clearing
FROM grow.u u CROSS JOIN grow.params p CROSS JOIN LATERAL generate_series(1, u.nd) AS d
JOIN grow.shard s ON s.num = (u.u - 1) * 5 + d;

INSERT INTO payments (id, user_id, kind, reference, amount, status, created_at, updated_at)
SELECT id, user_id, 'deposit', reference, amt, 'completed', at, at + 60000000 FROM grow.dep;
INSERT INTO ledger_transactions (id, kind, reference, created_at)
SELECT 'deposit:' || id, 'deposit', reference, at + 60000000 FROM grow.dep;
INSERT INTO ledger_entries (transaction_id, seq, account_id, amount, balance_after, created_at)
SELECT 'deposit:' || id, 0, clearing, -amt,
       -SUM(amt) OVER (PARTITION BY clearing ORDER BY at, id ROWS UNBOUNDED PRECEDING), at + 60000000
FROM grow.dep
UNION ALL
SELECT 'deposit:' || id, 1, 'wallet:' || user_id, amt, amt * d, at + 60000000 FROM grow.dep;
UPDATE ledger_accounts a SET balance = a.balance - s.total
FROM (SELECT clearing, SUM(amt) AS total FROM grow.dep GROUP BY clearing) s WHERE a.id = s.clearing;

-- phase: bets
-- Bet k of a player: cycle c = (k-1)/20 at position (k-1)%20; placed at bets_from + (k-1)*gap + off, settled
-- `delay` later (before the next one). Balances after each posting, from the prefix sums.
CREATE VIEW grow.bv AS
SELECT u.id AS user_id, k, x.pos, x.status, x.stake, x.odds, x.total_odds, x.potential, x.payout, x.ret, x.house,
       'bet_G' || lpad(CAST(u.u AS TEXT), 10, '0') || 'K' || lpad(CAST(k AS TEXT), 14, '0') AS id,
       p.bets_from + (k - 1) * u.gap + u.off AS placed_at, p.bets_from + (k - 1) * u.gap + u.off + u.delay AS settled_at,
       CASE x.status WHEN 'open' THEN 901 + (u.u * 7 + k) % 100 WHEN 'void' THEN 851 + (u.u + k) % 50
                     ELSE 1 + (u.u * 31 + k * 17) % 850 END AS event,
       x.sel_pos,
       u.amt * u.nd - ((k - 1) / 20 * y.cs + x.ps + x.stake) + (k - 1) / 20 * y.cr + x.pr AS wallet_after_stake,
       u.amt * u.nd - ((k - 1) / 20 * y.cs + x.ps + x.stake) + (k - 1) / 20 * y.cr + x.pr1 AS wallet_after_settle,
       (k - 1) / 20 * y.co + x.po + x.stake AS in_play_after_stake, (k - 1) / 20 * y.co + x.po AS in_play_after_settle
FROM grow.u u CROSS JOIN grow.params p CROSS JOIN grow.cycle y CROSS JOIN LATERAL generate_series(1, u.n) AS k
JOIN grow.pattern x ON x.pos = (k - 1) % 20;

INSERT INTO bets (id, user_id, idempotency_key, request_hash, stake, total_odds, potential_payout, status, payout,
                  created_at, settled_at)
SELECT id, user_id, 'grow-' || k, 'grow', stake, total_odds, potential, status, payout, placed_at,
       CASE WHEN status = 'open' THEN NULL ELSE settled_at END
FROM grow.bv;

-- phase: legs
INSERT INTO bet_legs (bet_id, seq, selection_id, market_id, event_id, odds, status)
SELECT id, 0, 'sel_GROW' || lpad(CAST(event * 10 + sel_pos AS TEXT), 22, '0'),
       'mkt_GROW' || lpad(CAST(event AS TEXT), 22, '0'), 'evt_GROW' || lpad(CAST(event AS TEXT), 22, '0'), odds, status
FROM grow.bv;

-- phase: bet_transactions
INSERT INTO ledger_transactions (id, kind, reference, created_at)
SELECT 'stake:' || id, 'bet_stake', id, placed_at FROM grow.bv
UNION ALL
SELECT 'settle:' || id, CASE status WHEN 'won' THEN 'bet_payout' WHEN 'lost' THEN 'bet_lost' ELSE 'bet_refund' END,
       id, settled_at
FROM grow.bv WHERE status <> 'open';

-- phase: bet_entries
INSERT INTO ledger_entries (transaction_id, seq, account_id, amount, balance_after, created_at)
SELECT 'stake:' || id, 0, 'wallet:' || user_id, -stake, wallet_after_stake, placed_at FROM grow.bv
UNION ALL
SELECT 'stake:' || id, 1, 'bets_in_play:' || user_id, stake, in_play_after_stake, placed_at FROM grow.bv
UNION ALL
SELECT 'settle:' || id, 0, 'bets_in_play:' || user_id, -stake, in_play_after_settle, settled_at
FROM grow.bv WHERE status <> 'open'
UNION ALL
SELECT 'settle:' || id, CASE status WHEN 'won' THEN 2 ELSE 1 END, 'wallet:' || user_id, ret, wallet_after_settle,
       settled_at
FROM grow.bv WHERE status IN ('won', 'void');

-- phase: house_entries
-- The house's balance after each of its entries: a running sum in its history's order.
INSERT INTO ledger_entries (transaction_id, seq, account_id, amount, balance_after, created_at)
SELECT 'settle:' || id, 1, 'house', house,
       SUM(house) OVER (ORDER BY settled_at, 'settle:' || id ROWS UNBOUNDED PRECEDING), settled_at
FROM grow.bv WHERE status IN ('won', 'lost');
UPDATE ledger_accounts SET balance = balance + (SELECT CAST(SUM(house) AS BIGINT) FROM grow.u) WHERE id = 'house';

-- phase: usage_hours
-- What each wallet staked and got back per clock hour (store/wallet_usage.cpp): every generated hour has passed,
-- so it is all in wallet_usage_hours and the accounts' current-hour tallies stay empty.
INSERT INTO wallet_usage_hours (user_id, hour, stakes, paybacks)
SELECT user_id, hour, SUM(stakes), SUM(paybacks)
FROM (SELECT user_id, placed_at / 3600000000 AS hour, stake AS stakes, 0 AS paybacks FROM grow.bv
      UNION ALL
      SELECT user_id, settled_at / 3600000000, 0, ret FROM grow.bv WHERE status IN ('won', 'void')) AS h
GROUP BY user_id, hour;

-- phase: indexes
DO $$
DECLARE d record;
BEGIN
  FOR d IN SELECT create_sql FROM grow.defs ORDER BY create_order LOOP EXECUTE d.create_sql; END LOOP;
END $$;
DROP SCHEMA grow CASCADE;

-- phase: vacuum
VACUUM (ANALYZE) users, ledger_accounts, ledger_transactions, ledger_entries, payments, bets, bet_legs,
  wallet_usage_hours, events, markets, selections;
