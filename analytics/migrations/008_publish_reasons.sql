-- 008_publish_reasons: every publication of a round, kept as history: which
-- version was published when and by whom, which version it replaced (a
-- correction, 更正), the written reason and the publish-gate checks that
-- were not met when it was published (README "Publishing").

CREATE TABLE round_publications (
    round            VARCHAR NOT NULL,
    version          INTEGER NOT NULL,
    run_id           BIGINT NOT NULL,
    published_at     TIMESTAMP NOT NULL,
    published_by     VARCHAR NOT NULL,
    replaces_version INTEGER,            -- the version published before; NULL for the first
    reason           VARCHAR NOT NULL,   -- '' when none was needed
    failed_checks    VARCHAR NOT NULL    -- JSON array of the failed checks' texts
);
