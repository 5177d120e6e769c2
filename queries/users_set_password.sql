-- users_set_password: a new password hash; clears failed logins and any lockout.
-- Parameters: password_hash, now, username.
-- Result columns: none.
UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL, updated_at = ? WHERE username = ?
