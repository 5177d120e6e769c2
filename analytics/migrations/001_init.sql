-- 001_init: the raw input tables of CONTRACT §2, the calendar, the import log
-- and the audit log. Keys are kept unique by the importer (one transaction per
-- file), not by index constraints: ART indexes on tens of millions of rows
-- would cost memory and import time for no gain.

CREATE TABLE units (
    unit_id  VARCHAR NOT NULL,
    name     VARCHAR NOT NULL,
    kind     VARCHAR NOT NULL,  -- department | county
    category VARCHAR NOT NULL
);

CREATE TABLE work_groups (
    group_id        VARCHAR NOT NULL,
    name            VARCHAR NOT NULL,
    lead_unit_id    VARCHAR NOT NULL,
    member_unit_ids VARCHAR[] NOT NULL
);

CREATE TABLE evaluators (
    evaluator_id VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,
    class        VARCHAR NOT NULL,  -- leader | lead_head | member_head
    unit_id      VARCHAR,
    group_ids    VARCHAR[] NOT NULL
);

CREATE TABLE peer_scores (
    round        VARCHAR NOT NULL,  -- 2019-B1 … 2019-B6
    evaluator_id VARCHAR NOT NULL,
    unit_id      VARCHAR NOT NULL,
    group_id     VARCHAR NOT NULL,
    score        DOUBLE NOT NULL,
    comment      VARCHAR
);

CREATE TABLE cases (
    case_id       VARCHAR NOT NULL,
    unit_id       VARCHAR NOT NULL,
    item_code     VARCHAR NOT NULL,
    item_name     VARCHAR,
    channel       VARCHAR NOT NULL,  -- online | window | mobile | self_service
    received_at   TIMESTAMP NOT NULL,
    completed_at  TIMESTAMP,
    promised_days INTEGER NOT NULL,
    visits        INTEGER NOT NULL,
    status        VARCHAR NOT NULL   -- completed | pending | returned
);

CREATE TABLE complaints (
    complaint_id  VARCHAR NOT NULL,
    unit_id       VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,  -- hotline | petition | efficiency | online
    received_at   TIMESTAMP NOT NULL,
    responded_at  TIMESTAMP,
    closed_at     TIMESTAMP,
    due_days      INTEGER NOT NULL,  -- filled from the source default when empty
    due_unit      VARCHAR NOT NULL,  -- working | calendar
    resolved      BOOLEAN,
    satisfaction  VARCHAR,           -- very_satisfied … very_unsatisfied, NULL when not rated
    substantiated BOOLEAN,
    first_contact BOOLEAN
);

CREATE TABLE surveys (
    response_id     VARCHAR NOT NULL,
    unit_id         VARCHAR NOT NULL,
    survey          VARCHAR NOT NULL,
    respondent_type VARCHAR NOT NULL,  -- enterprise | citizen | deputy | other
    dimension       VARCHAR,
    score           DOUBLE NOT NULL,
    answered_at     DATE NOT NULL
);

CREATE TABLE deductions (
    deduction_id VARCHAR NOT NULL,
    unit_id      VARCHAR NOT NULL,
    date         DATE NOT NULL,
    points       DOUBLE NOT NULL,
    reason       VARCHAR NOT NULL
);

CREATE TABLE projects (
    project_id    VARCHAR NOT NULL,
    year          INTEGER NOT NULL,
    name          VARCHAR NOT NULL,
    unit_id       VARCHAR NOT NULL,
    level         VARCHAR NOT NULL,  -- province | city
    annual_plan   DOUBLE NOT NULL,   -- 万元
    land_need_mu  DOUBLE NOT NULL,
    planned_start DATE NOT NULL,
    industry      VARCHAR
);

CREATE TABLE project_progress (
    project_id       VARCHAR NOT NULL,
    month            VARCHAR NOT NULL,  -- YYYY-MM
    investment_ytd   DOUBLE NOT NULL,
    land_supplied_mu DOUBLE NOT NULL,
    started_on       DATE
);

CREATE TABLE signed_projects (
    project_id VARCHAR NOT NULL,
    unit_id    VARCHAR NOT NULL,
    name       VARCHAR NOT NULL,
    signed_on  DATE NOT NULL,
    amount     DOUBLE NOT NULL,
    landed_on  DATE
);

CREATE TABLE documents (
    doc_id      VARCHAR NOT NULL,
    unit_id     VARCHAR NOT NULL,
    step        VARCHAR NOT NULL,  -- register | send | receive | feedback | deliver | evaluate
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    evaluation  VARCHAR            -- resolved | unresolved
);

-- Local changes to the official calendar and calendars of further years.
CREATE TABLE holidays (
    date DATE NOT NULL,
    kind VARCHAR NOT NULL,  -- holiday | workday
    name VARCHAR
);

-- One row per day of every covered year; seq is the running number of
-- working days, so the due date of N working days after day d is the first
-- working day whose seq = seq(d) + N.
CREATE TABLE calendar (
    day     DATE PRIMARY KEY,
    working BOOLEAN NOT NULL,
    seq     INTEGER NOT NULL,
    name    VARCHAR
);

CREATE SEQUENCE import_log_id;
CREATE TABLE import_log (
    id             BIGINT PRIMARY KEY DEFAULT nextval('import_log_id'),
    file           VARCHAR NOT NULL,
    kind           VARCHAR NOT NULL,
    sha256         VARCHAR NOT NULL,
    rows_new       BIGINT NOT NULL,
    rows_replaced  BIGINT NOT NULL,
    rows_unchanged BIGINT NOT NULL,
    actor          VARCHAR NOT NULL,
    imported_at    TIMESTAMP NOT NULL
);

CREATE SEQUENCE audit_log_id;
CREATE TABLE audit_log (
    id        BIGINT PRIMARY KEY DEFAULT nextval('audit_log_id'),
    happened_at TIMESTAMP NOT NULL,
    actor     VARCHAR NOT NULL,
    action    VARCHAR NOT NULL,  -- e.g. import, score.update, round.open
    subject   VARCHAR NOT NULL,
    old_value JSON,
    new_value JSON
);
