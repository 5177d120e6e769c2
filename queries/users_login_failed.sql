-- users_login_failed: counts one failed login of an account, in one statement so that
-- concurrent failures are all counted, and sets the account-wide throttle it may start:
-- from the free_failures-th failure on, the account is refused until now + base_ms doubled
-- for each further failure, at most max_ms.
-- Parameters: $1 now, $2 free_failures, $3 base_ms, $4 max_ms, $5 username.
-- Result columns: failed_logins, locked_until (after the update).
UPDATE users SET
    failed_logins = failed_logins + 1,
    locked_until = CASE WHEN failed_logins + 1 >= $2
        THEN CAST($1 AS TIMESTAMP) + to_milliseconds(CAST(least($4, $3 * pow(2, least(failed_logins + 1 - $2, 30))) AS BIGINT))
        ELSE locked_until END
WHERE username = $5
RETURNING failed_logins, locked_until
