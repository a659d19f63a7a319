-- Phone verification by one-time code (issue 19, identity/phone_otp.cpp). Termii keeps the code; we keep
-- only Termii's pin id, what it is for, the phone, our own attempt count and the expiry. A phone verified
-- by one account cannot be verified by another (the partial unique index).
ALTER TABLE users ADD COLUMN phone_verified_at BIGINT;
CREATE UNIQUE INDEX users_verified_phone ON users (phone) WHERE phone_verified_at IS NOT NULL;

CREATE TABLE phone_otps (
  id TEXT PRIMARY KEY,
  phone TEXT NOT NULL,  -- E.164
  purpose TEXT NOT NULL CHECK (purpose IN ('verify_phone', 'login', 'password_reset')),
  pin_id TEXT NOT NULL,  -- Termii's
  user_id TEXT,          -- verify_phone: the account that asked
  attempts INTEGER NOT NULL DEFAULT 0,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX phone_otps_latest ON phone_otps (phone, purpose, created_at);
