-- peer_submissions_clear: forgets every submission of a round when it is reopened, so sheets become editable again (scores and drafts stay).
-- Parameters: $1 round.
-- Result columns: none.
DELETE FROM peer_submissions WHERE round = $1
