-- Activities waiting to be delivered, one row per activity and inbox, kept
-- until delivered, refused for good (4xx) or given up on: a restart
-- resumes every one.
CREATE TABLE deliveries (
    activity_id TEXT NOT NULL,
    inbox TEXT NOT NULL,
    host TEXT NOT NULL,
    actor TEXT NOT NULL,
    activity TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_try BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (activity_id, inbox)
);
CREATE INDEX deliveries_due ON deliveries (next_try);

-- Hosts whose deliveries keep failing: none is tried before retry_after.
CREATE TABLE delivery_hosts (
    host TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    retry_after BIGINT NOT NULL
);
