-- publications_round: the publication history of one round, oldest first.
-- Parameters: $1 round.
-- Result columns: version, published_at, published_by, replaces_version (NULL for the first), reason, failed_checks (JSON array).
SELECT version, published_at, published_by, replaces_version, reason, failed_checks
FROM round_publications
WHERE round = $1
ORDER BY published_at, version
