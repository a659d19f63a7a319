-- A player's deposit, stake and loss limits (issue 20, limits/money_gate.cpp): one row per kind and rolling
-- window while a limit is in force or a change to one waits out its cooling-off. The money paths lock the
-- user's rows (FOR UPDATE) before counting what the windows hold, so two movements cannot both pass a limit
-- only one fits.
CREATE TABLE player_limits (
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('deposit', 'stake', 'loss')),
  period TEXT NOT NULL CHECK (period IN ('day', 'week', 'month')),
  amount BIGINT,                            -- in force; NULL: none
  pending INTEGER NOT NULL DEFAULT 0,       -- 1: a raise or removal waits until pending_from
  pending_amount BIGINT,                    -- the raise; NULL with pending = 1: a removal
  pending_from BIGINT NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, kind, period)
);
