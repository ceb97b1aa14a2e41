-- The directory's one key pair, which every actor without a key of its own
-- in actor_keys uses. The actors are one publisher whose private keys all
-- live in this database, so a key each separated nothing, and an RSA key
-- costs a fraction of a second of CPU: minutes for a directory's first
-- publishing. Keys already in actor_keys are kept, so no actor's key changes.
CREATE TABLE directory_key (
    id INTEGER PRIMARY KEY,
    public_key TEXT NOT NULL,
    private_key TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
