-- 004_tasks: the 督办 ledger (tasks and their extension requests) and the
-- city's dated reform targets (README "Tasks and targets"). Due dates given as
-- due_days are resolved through the working-day calendar when read, as for
-- complaints, so a later holiday import moves them.

CREATE TABLE tasks (
    task_id              VARCHAR NOT NULL,
    title                VARCHAR NOT NULL,
    source               VARCHAR NOT NULL,  -- leader_instruction | key_work | meeting_decision
    lead_unit_id         VARCHAR NOT NULL,
    cooperating_unit_ids VARCHAR[],
    assigned_on          DATE NOT NULL,
    due_on               DATE,              -- exactly one of due_on and due_days is set
    due_days             INTEGER,
    due_unit             VARCHAR,           -- working | calendar, with due_days
    status               VARCHAR NOT NULL,  -- open | done
    done_on              DATE,              -- set exactly when status = done
    evidence             VARCHAR
);

CREATE TABLE task_extensions (
    task_id      VARCHAR NOT NULL,
    requested_on DATE NOT NULL,
    new_due_on   DATE NOT NULL,
    reason       VARCHAR NOT NULL,
    approved     BOOLEAN NOT NULL
);

CREATE TABLE targets (
    target_id   VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    indicator   VARCHAR NOT NULL,  -- a scheme rate indicator, e.g. online_rate
    scope       VARCHAR NOT NULL,  -- city | a unit_id
    value       DOUBLE NOT NULL,   -- a rate, 0–1
    start_month VARCHAR NOT NULL,  -- YYYY-MM, January of due_on's year when not given
    due_on      DATE NOT NULL
);
