-- users_set_disabled: disables or re-enables an account; either clears its login throttle.
-- Parameters: disabled, now, username.
-- Result columns: none.
UPDATE users SET disabled = ?, updated_at = ?, failed_logins = 0, locked_until = NULL WHERE username = ?
