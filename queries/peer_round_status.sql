-- peer_round_status: a round's lifecycle status and deadline, read inside a score-writing transaction.
-- Parameters: $1 round.
-- Result columns: status, deadline (NULL for none); no row when the round was never managed.
SELECT status, deadline FROM rounds WHERE round = $1
