-- The sync protocol (docs/sync.md): a global order of case writes, devices and their
-- mutations, mutations held until an earlier one arrives, field conflicts kept for a person to
-- resolve, and mutations of deactivated users held for a supervisor.

-- One row: the last global order number handed out. Every case write takes the next number as
-- its last statement, so the row stays locked until commit and numbers commit in order.
CREATE TABLE sync_clock (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    seq     INTEGER NOT NULL
);

ALTER TABLE cases ADD COLUMN sync_seq INTEGER NOT NULL DEFAULT 0;

-- Existing cases get distinct increasing numbers in the order they last changed.
UPDATE cases SET sync_seq = numbered.n
FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY updated_at, id) AS n FROM cases) AS numbered
WHERE cases.id = numbered.id;

INSERT INTO sync_clock (id, seq) SELECT 1, COALESCE(MAX(sync_seq), 0) FROM cases;

-- A delta download reads each branch of the scope in global order.
CREATE INDEX cases_owner_sync ON cases (owner_id, sync_seq);
CREATE INDEX cases_agency_sync ON cases (owner_agency_id, sync_seq);
CREATE INDEX cases_sync ON cases (sync_seq);

CREATE TABLE sync_devices (
    device_id       BLOB PRIMARY KEY,
    user_id         BLOB NOT NULL REFERENCES users (id),
    last_seq        INTEGER NOT NULL,
    first_seen_at   TEXT NOT NULL,
    last_seen_at    TEXT NOT NULL
);
CREATE INDEX sync_devices_user ON sync_devices (user_id);

-- One row per mutation whose seq was consumed, with the result sent back, so a replay returns
-- it unchanged. `device_time` is kept as the device reported it and never compared.
CREATE TABLE sync_mutations (
    mutation_id     BLOB PRIMARY KEY,
    device_id       BLOB NOT NULL REFERENCES sync_devices (device_id),
    user_id         BLOB NOT NULL REFERENCES users (id),
    seq             INTEGER NOT NULL,
    case_id         BLOB,
    kind            TEXT NOT NULL,
    status          TEXT NOT NULL,
    result          TEXT NOT NULL,
    device_time     TEXT,
    received_at     TEXT NOT NULL,
    UNIQUE (device_id, seq)
);
CREATE INDEX sync_mutations_case ON sync_mutations (case_id);

-- Mutations that arrived before a lower seq of the same device.
CREATE TABLE sync_parked (
    device_id       BLOB NOT NULL REFERENCES sync_devices (device_id),
    seq             INTEGER NOT NULL,
    mutation_id     BLOB NOT NULL,
    user_id         BLOB NOT NULL REFERENCES users (id),
    mutation        TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    PRIMARY KEY (device_id, seq)
);

CREATE TABLE case_conflicts (
    id                  BLOB PRIMARY KEY,
    case_id             BLOB NOT NULL REFERENCES cases (id),
    path                TEXT NOT NULL,
    status              TEXT NOT NULL,
    candidates          TEXT NOT NULL,
    opened_at           TEXT NOT NULL,
    opened_version      INTEGER NOT NULL,
    resolved_by         BLOB,
    resolved_at         TEXT,
    resolved_version    INTEGER,
    resolution          TEXT
);
CREATE INDEX case_conflicts_case ON case_conflicts (case_id, status);
CREATE INDEX case_conflicts_open ON case_conflicts (status, opened_at);

ALTER TABLE case_changes ADD COLUMN mutation_id BLOB;
ALTER TABLE case_changes ADD COLUMN conflict_id BLOB;

-- Mutations a deactivated user's device delivered, held unapplied until a supervisor applies
-- or discards each one.
CREATE TABLE sync_quarantine (
    id              BLOB PRIMARY KEY,
    user_id         BLOB NOT NULL REFERENCES users (id),
    device_id       BLOB NOT NULL,
    mutation_id     BLOB NOT NULL,
    seq             INTEGER NOT NULL,
    case_id         BLOB,
    mutation        TEXT NOT NULL,
    status          TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    reviewed_by     BLOB,
    reviewed_at     TEXT,
    note            TEXT,
    result          TEXT,
    UNIQUE (mutation_id)
);
CREATE INDEX sync_quarantine_status ON sync_quarantine (status, received_at);
