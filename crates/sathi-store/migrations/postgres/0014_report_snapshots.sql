-- Stored report documents, such as the coordination dashboard's figures, which are computed
-- every few minutes instead of on each request. `claimed_until` is the lease of the server
-- process computing the next document, so that several processes compute it once.
-- `document` is NULL until the first computation finishes.
CREATE TABLE report_snapshots (
    kind                TEXT PRIMARY KEY,
    computed_at         TIMESTAMPTZ,
    claimed_until       TIMESTAMPTZ,
    document            JSONB
);
