-- The introductions of matching rounds sent to each person, by email or on
-- the fediverse: one row per round (programme, '' for the directory's own,
-- and month), group, person and channel, so that a run sends only what no
-- earlier run did. `status` is 'sent' (the mail server took it, or the
-- Note is in the deliveries queue), 'failed' (it may work next time: no
-- connection, a 4xx) or 'refused' (a 5xx: not tried again to the same
-- address).
CREATE TABLE introductions (
    programme TEXT NOT NULL,
    month TEXT NOT NULL,
    group_key TEXT NOT NULL,
    recipient TEXT NOT NULL,
    channel TEXT NOT NULL,
    address TEXT NOT NULL,
    status TEXT NOT NULL,
    detail TEXT,
    attempts INTEGER NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (programme, month, group_key, recipient, channel)
);
