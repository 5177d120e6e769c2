-- sessions_delete: ends one session (logout).
-- Parameters: token_hash.
-- Result columns: none.
DELETE FROM sessions WHERE token_hash = ?
