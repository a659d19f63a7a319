-- Revocable access: every access and refresh token carries the user's token version ("ver"), and
-- money and admin routes compare it with this column. Raising it (logout of all sessions, a reused
-- refresh token, a role change; later a password reset or an account lock) ends every token issued
-- before. Tokens issued before this migration carry no version and count as 0.
ALTER TABLE users ADD COLUMN token_version BIGINT NOT NULL DEFAULT 0;
