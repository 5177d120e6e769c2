-- sessions_delete_user: ends every session of an account (password reset, disabling) and expired ones.
-- Parameters: username, now.
-- Result columns: none.
DELETE FROM sessions WHERE username = ? OR expires_at <= ?
