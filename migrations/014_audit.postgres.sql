-- The audit trail (issue 20): every admin action, appended in the same transaction as the change it records.
-- Each record's hash covers its content and the previous record's hash (domain/audit_chain.hpp), so an edited
-- or deleted record is found by `bet2wealth audit verify`. `seq` numbers the chain without gaps.
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  actor_id TEXT NOT NULL,
  actor_role TEXT NOT NULL,
  action TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  before TEXT,
  after TEXT,
  request_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, seq);
CREATE INDEX audit_log_created ON audit_log USING brin (created_at);

-- The chain's head: the last record's seq and hash. An append locks this one row (FOR UPDATE), so concurrent
-- appends take their turns and each continues the one before it. It also tells verify where the chain ends,
-- so a deletion of the last records is found too.
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Append-only at the database too: the app role owns nothing (store/db/login_roles.hpp), so it can neither
-- change nor delete a record nor switch this off; the schema's owner can, which the hash chain then shows.
CREATE OR REPLACE FUNCTION b2w_audit_log_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'B2W02';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION b2w_audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION b2w_audit_log_append_only();
