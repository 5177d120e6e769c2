-- 003_web: what the web service keeps: accounts, sessions, API tokens, the
-- lifecycle of each evaluation round and the evaluators' draft scores.
-- Submitted scores go to peer_scores, where imported ones also live.

CREATE TABLE users (
    username      VARCHAR PRIMARY KEY,
    display_name  VARCHAR NOT NULL,
    role          VARCHAR NOT NULL,  -- admin | leader | evaluator
    evaluator_id  VARCHAR,           -- for role evaluator
    password_hash VARCHAR NOT NULL,  -- bcrypt
    disabled      BOOLEAN NOT NULL,
    failed_logins INTEGER NOT NULL,  -- consecutive, reset by a good login
    locked_until  TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);

-- Only the sha256 of a session or API token is stored, so a copy of the
-- database does not give anyone a way in.
CREATE TABLE sessions (
    token_hash VARCHAR PRIMARY KEY,
    username   VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

CREATE TABLE api_tokens (
    token_hash VARCHAR PRIMARY KEY,
    username   VARCHAR NOT NULL,
    name       VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked    BOOLEAN NOT NULL
);

-- A round's lifecycle: open (evaluators score until the deadline) → closed →
-- published (published_run_id names the frozen score run leaders see).
-- Reopening sets status open again with a reason.
CREATE TABLE rounds (
    round            VARCHAR PRIMARY KEY,
    status           VARCHAR NOT NULL,  -- draft | open | closed | published
    deadline         TIMESTAMP,
    published_run_id BIGINT,
    reason           VARCHAR,           -- of the latest reopening
    updated_at       TIMESTAMP NOT NULL,
    updated_by       VARCHAR NOT NULL
);

CREATE TABLE peer_drafts (
    round        VARCHAR NOT NULL,
    evaluator_id VARCHAR NOT NULL,
    unit_id      VARCHAR NOT NULL,
    group_id     VARCHAR NOT NULL,
    score        DOUBLE,
    comment      VARCHAR,
    updated_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (round, evaluator_id, unit_id, group_id)
);

CREATE TABLE peer_submissions (
    round        VARCHAR NOT NULL,
    evaluator_id VARCHAR NOT NULL,
    submitted_at TIMESTAMP NOT NULL,
    PRIMARY KEY (round, evaluator_id)
);
