-- api_tokens_insert: a new bearer token for the JSON API (the token's sha256 only).
-- Parameters: token_hash, username, name, created_at.
-- Result columns: none.
INSERT INTO api_tokens (token_hash, username, name, created_at, revoked) VALUES (?, ?, ?, ?, false)
