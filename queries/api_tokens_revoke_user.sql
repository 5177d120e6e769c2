-- api_tokens_revoke_user: revokes every API token of an account (disabling, password reset).
-- Parameters: username.
-- Result columns: none.
UPDATE api_tokens SET revoked = true WHERE username = ?
