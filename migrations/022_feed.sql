-- The trading feed (issue 22, src/sportsbook/feed.cpp): the provider's ids mapped to ours, and per event the last
-- message applied (its sequence orders the event's messages; one at or before it is a duplicate).
CREATE TABLE feed_events (
  provider TEXT NOT NULL,
  provider_event_id TEXT NOT NULL,
  event_id TEXT NOT NULL UNIQUE REFERENCES events(id),
  last_sequence BIGINT NOT NULL,
  last_timestamp BIGINT NOT NULL,  -- the provider's, epoch millis
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (provider, provider_event_id)
);

-- provider_market_id is the provider's market id with its specifiers ("18|total=2.5"), unique within its event.
CREATE TABLE feed_markets (
  provider TEXT NOT NULL,
  provider_event_id TEXT NOT NULL,
  provider_market_id TEXT NOT NULL,
  market_id TEXT NOT NULL UNIQUE REFERENCES markets(id),
  PRIMARY KEY (provider, provider_event_id, provider_market_id)
);

CREATE TABLE feed_selections (
  market_id TEXT NOT NULL REFERENCES markets(id),
  provider_outcome_id TEXT NOT NULL,
  selection_id TEXT NOT NULL UNIQUE REFERENCES selections(id),
  PRIMARY KEY (market_id, provider_outcome_id)
);

-- rollback_bet_settlement messages: the settlement cannot be undone automatically (no money move takes a
-- settled bet back), so each is kept here for an operator, with the market it names.
CREATE TABLE feed_rollbacks (
  id TEXT PRIMARY KEY,
  provider TEXT NOT NULL,
  provider_event_id TEXT NOT NULL,
  provider_market_id TEXT NOT NULL,
  market_id TEXT,  -- ours, when the provider's id is mapped
  sequence BIGINT NOT NULL,
  received_at BIGINT NOT NULL
);

-- A market in play (its event is live): set by the feed, for the in-play acceptance delay to come. 1 or 0.
ALTER TABLE markets ADD COLUMN live INTEGER NOT NULL DEFAULT 0;
