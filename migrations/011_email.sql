-- Email verification and the mail outbox (issue 19). A verification or reset link carries a random token;
-- only its SHA-256 is stored, with its purpose, expiry and use (single use). Mail is written to the outbox in
-- the same transaction as the change that needs it and sent by a background sender (identity/outbox_sender),
-- so a request never waits on SMTP and a crash loses no mail.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;

CREATE TABLE email_tokens (
  token_hash TEXT PRIMARY KEY,  -- hex SHA-256 of the token sent in the link
  user_id TEXT NOT NULL REFERENCES users(id),
  purpose TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);

CREATE TABLE mail_outbox (
  id TEXT PRIMARY KEY,
  recipient TEXT NOT NULL,
  template TEXT NOT NULL,
  params TEXT NOT NULL,  -- JSON; emptied once sent (a link's token is not kept)
  status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,  -- when pending: due; a claimed mail is pushed ahead by its lease
  last_error TEXT,
  created_at BIGINT NOT NULL,
  sent_at BIGINT
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
