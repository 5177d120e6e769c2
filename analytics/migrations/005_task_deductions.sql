-- 005_task_deductions: the admins' decisions on suggested 督办 deductions
-- (README "Task deductions"). An overdue task is only ever a suggestion; a
-- deduction is written when an admin confirms it, and a decision (confirmed
-- or dismissed) takes the task out of the suggestions. The key is the task
-- and the effective due date the suggestion was about, so a task whose due
-- date later moves (an approved extension imported afterwards) and is
-- overdue again is suggested again for the new date. Small table: the
-- primary key backs the in-transaction check against deciding twice.

CREATE TABLE task_deduction_decisions (
    task_id      VARCHAR NOT NULL,
    due_on       DATE NOT NULL,     -- the effective due date the decision is about
    decision     VARCHAR NOT NULL,  -- confirmed | dismissed
    unit_id      VARCHAR NOT NULL,  -- the lead unit when decided
    as_of        DATE NOT NULL,     -- the day the task was found overdue; the deduction's date
    points       DOUBLE,            -- confirmed: the points deducted; NULL when dismissed
    deduction_id VARCHAR,           -- confirmed: the deductions row written; NULL when dismissed
    note         VARCHAR,           -- dismissed: the reason (required); confirmed: the deduction's reason
    decided_by   VARCHAR NOT NULL,
    decided_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (task_id, due_on)
);
