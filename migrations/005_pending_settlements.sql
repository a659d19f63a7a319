-- Markets whose results are recorded but whose bets may not all be settled yet. Recording the
-- results adds the row (same transaction), the settlement that finds no open leg left removes it;
-- a task that dies between batches leaves it here for the resumer of any task to finish.
CREATE TABLE pending_settlements (
  market_id TEXT PRIMARY KEY REFERENCES markets(id),
  recorded_at BIGINT NOT NULL
);
INSERT INTO pending_settlements (market_id, recorded_at)
  SELECT m.id, m.updated_at FROM markets m
  WHERE m.status IN ('settled', 'void')
    AND EXISTS (SELECT 1 FROM bet_legs l WHERE l.market_id = m.id AND l.status = 'open');
