-- sessions_get: a session that has not expired.
-- Parameters: token_hash, now.
-- Result columns: username, expires_at.
SELECT username, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?
