-- The back-office dashboard (issue 24) reads one Lagos day's bets by when they were placed and by when they settled,
-- and the totals of the bets open now. bets_by_user leads with user_id, so without these each read is a full scan.
CREATE INDEX bets_created ON bets (created_at);
CREATE INDEX bets_settled ON bets (settled_at) WHERE settled_at IS NOT NULL;
CREATE INDEX bets_open ON bets (status) WHERE status = 'open';
