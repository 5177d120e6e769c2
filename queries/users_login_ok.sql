-- users_login_ok: a good login clears the account's failed-login count and throttle.
-- Parameters: username.
-- Result columns: none.
UPDATE users SET failed_logins = 0, locked_until = NULL WHERE username = ?
