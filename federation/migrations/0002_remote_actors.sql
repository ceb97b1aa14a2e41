-- Actors of other servers whose activities were received: their inboxes
-- and keys, refetched when a day old.
CREATE TABLE remote_actors (
    id TEXT PRIMARY KEY,
    inbox TEXT NOT NULL,
    shared_inbox TEXT,
    key_id TEXT NOT NULL,
    public_key TEXT NOT NULL,
    fetched_at BIGINT NOT NULL
);
