-- users_set_disabled: disables or re-enables an account.
-- Parameters: disabled, now, username.
-- Result columns: none.
UPDATE users SET disabled = ?, updated_at = ? WHERE username = ?
