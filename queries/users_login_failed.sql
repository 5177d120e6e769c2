-- users_login_failed: records a failed login and the lockout it may start.
-- Parameters: failed_logins, locked_until (NULL for none), username.
-- Result columns: none.
UPDATE users SET failed_logins = ?, locked_until = ? WHERE username = ?
