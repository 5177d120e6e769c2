-- sessions_insert: a new login session (the token's sha256 only).
-- Parameters: token_hash, username, created_at, expires_at.
-- Result columns: none.
INSERT INTO sessions (token_hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)
