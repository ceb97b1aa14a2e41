-- Which standard of HTTP signature each host was last seen to take, when it
-- refused the other: draft-cavage is tried first, and a host that answers
-- it with 401 and takes RFC 9421 is sent RFC 9421 from then on.
CREATE TABLE signature_standards (
    host TEXT PRIMARY KEY,
    standard TEXT NOT NULL,
    learned_at BIGINT NOT NULL
);
