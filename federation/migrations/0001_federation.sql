-- Keys of the local actors: generated once, kept for good, never served.
CREATE TABLE actor_keys (
    actor TEXT PRIMARY KEY,
    public_key TEXT NOT NULL,
    private_key TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Who follows which local actor.
CREATE TABLE followers (
    actor TEXT NOT NULL,
    follower TEXT NOT NULL,
    inbox TEXT NOT NULL,
    follow_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (actor, follower)
);

-- Every activity id received, so that each is processed once.
CREATE TABLE received_activities (
    id TEXT PRIMARY KEY,
    received_at BIGINT NOT NULL
);
