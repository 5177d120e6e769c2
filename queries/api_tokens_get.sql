-- api_tokens_get: the account of a bearer token that is not revoked.
-- Parameters: token_hash.
-- Result columns: username.
SELECT username FROM api_tokens WHERE token_hash = ? AND NOT revoked
