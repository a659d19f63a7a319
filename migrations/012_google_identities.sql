-- Google accounts linked to ours (Google sign-in, identity/google_sign_in.cpp). `sub` is Google's stable
-- account id; `email` is the verified address the link was made with (for support: Google emails can change).
CREATE TABLE google_identities (
  sub TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  email TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX google_identities_user_id ON google_identities (user_id);
