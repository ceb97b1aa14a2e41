-- What this site last published, one row an object: its fingerprint, to
-- tell what changed, and when it was deleted (its address then answers 410).
CREATE TABLE published (
    id TEXT PRIMARY KEY,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    deleted_at BIGINT
);

-- The directories this site follows and mirrors, one row for each address
-- in [federation] follow.
CREATE TABLE follows (
    source TEXT PRIMARY KEY,
    actor TEXT NOT NULL,
    host TEXT NOT NULL,
    inbox TEXT NOT NULL,
    entries TEXT,
    follow_id TEXT NOT NULL,
    state TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX follows_host ON follows (host);
