-- Sportsbook: events -> markets -> selections, and bets with their legs.
-- Odds are exact integers in thousandths ("1.85" -> 1850); money in kobo; times in epoch microseconds.
CREATE TABLE events (
  id TEXT PRIMARY KEY,
  sport TEXT NOT NULL,
  name TEXT NOT NULL,
  home TEXT NOT NULL,
  away TEXT NOT NULL,
  starts_at BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('scheduled', 'live', 'finished', 'cancelled')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX events_by_start ON events (starts_at, id);
CREATE INDEX events_by_sport ON events (sport, starts_at, id);

-- `version` increases on every odds or status change: clients and caches compare it.
CREATE TABLE markets (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id),
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'suspended', 'settled', 'void')),
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX markets_by_event ON markets (event_id, created_at, id);

CREATE TABLE selections (
  id TEXT PRIMARY KEY,
  market_id TEXT NOT NULL REFERENCES markets(id),
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  odds BIGINT NOT NULL CHECK (odds BETWEEN 1010 AND 1000000),
  result TEXT CHECK (result IN ('won', 'lost', 'void'))
);
CREATE INDEX selections_by_market ON selections (market_id, position);

-- One bet per (user, Idempotency-Key): the key is checked inside the placement transaction.
CREATE TABLE bets (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  idempotency_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  stake BIGINT NOT NULL CHECK (stake > 0),
  currency TEXT NOT NULL DEFAULT 'NGN',
  total_odds TEXT NOT NULL,
  potential_payout BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'won', 'lost', 'void')),
  payout BIGINT,
  created_at BIGINT NOT NULL,
  settled_at BIGINT,
  CONSTRAINT bets_idempotency_key UNIQUE (user_id, idempotency_key)
);
CREATE INDEX bets_by_user ON bets (user_id, created_at, id);

CREATE TABLE bet_legs (
  bet_id TEXT NOT NULL REFERENCES bets(id),
  seq INTEGER NOT NULL,
  selection_id TEXT NOT NULL REFERENCES selections(id),
  market_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  odds BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'won', 'lost', 'void')),
  PRIMARY KEY (bet_id, seq)
);
-- Settlement walks a market's open legs in batches.
CREATE INDEX bet_legs_by_market ON bet_legs (market_id, status, bet_id);
