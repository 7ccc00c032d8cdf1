-- Casework (issue 5): referrals and transfers with versions for compare-and-set, approvals,
-- flags, indexed due dates for task lists, and in-app notifications. The PostgreSQL migration
-- alters `referrals` in place; SQLite cannot drop NOT NULL, so it rebuilds the table.

-- Referrals may be addressed to an agency (any of its users who receive referrals may answer)
-- or to one user. `version` grows by one on every transition, which is compare-and-set.
-- consent_basis: 'given' (consent recorded), 'internal' (same agency) or 'override' (reason in
-- consent_override).
CREATE TABLE referrals_v2 (
    id                  BLOB PRIMARY KEY,
    case_id             BLOB NOT NULL REFERENCES cases (id),
    from_user_id        BLOB NOT NULL REFERENCES users (id),
    from_agency_id      TEXT NOT NULL DEFAULT '',
    to_user_id          BLOB REFERENCES users (id),
    to_agency_id        TEXT NOT NULL,
    service_type        TEXT NOT NULL,
    status              TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    shared_forms        TEXT NOT NULL,
    consent_basis       TEXT NOT NULL DEFAULT 'given',
    consent_override    TEXT,
    note                TEXT,
    reason              TEXT,
    decided_by          BLOB REFERENCES users (id),
    decided_at          TEXT,
    closed_at           TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
INSERT INTO referrals_v2 (id, case_id, from_user_id, from_agency_id, to_user_id, to_agency_id, service_type,
                          status, version, shared_forms, consent_basis, consent_override, created_at, updated_at)
SELECT r.id, r.case_id, r.from_user_id, COALESCE(u.agency_id, ''), r.to_user_id, r.to_agency_id, r.service_type,
       r.status, 1, r.shared_forms, 'given', r.consent_override, r.created_at, r.updated_at
FROM referrals r LEFT JOIN users u ON u.id = r.from_user_id;
DROP TABLE referrals;
ALTER TABLE referrals_v2 RENAME TO referrals;
CREATE INDEX referrals_to_user ON referrals (to_user_id, status);
CREATE INDEX referrals_case ON referrals (case_id);
CREATE INDEX referrals_to_agency ON referrals (to_agency_id, status);
-- At most one pending referral of a case to the same recipient for the same service.
CREATE UNIQUE INDEX referrals_one_pending ON referrals (case_id, to_agency_id, service_type)
    WHERE status = 'pending';

-- kind 'transfer': the sender offers the case; 'request': a user asks the owner for it.
CREATE TABLE transfers (
    id                  BLOB PRIMARY KEY,
    case_id             BLOB NOT NULL REFERENCES cases (id),
    kind                TEXT NOT NULL,
    from_user_id        BLOB NOT NULL REFERENCES users (id),
    from_agency_id      TEXT NOT NULL,
    to_user_id          BLOB REFERENCES users (id),
    to_agency_id        TEXT NOT NULL,
    status              TEXT NOT NULL,
    version             INTEGER NOT NULL,
    consent_basis       TEXT NOT NULL,
    consent_override    TEXT,
    note                TEXT,
    reason              TEXT,
    decided_by          BLOB REFERENCES users (id),
    decided_at          TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX transfers_case ON transfers (case_id);
CREATE INDEX transfers_to_user ON transfers (to_user_id, status);
CREATE INDEX transfers_to_agency ON transfers (to_agency_id, status);
CREATE INDEX transfers_from_user ON transfers (from_user_id, status);
-- At most one pending transfer per case.
CREATE UNIQUE INDEX transfers_one_pending ON transfers (case_id) WHERE status = 'pending';

-- kind: 'assessment', 'case_plan' or 'closure'.
CREATE TABLE approvals (
    id                  BLOB PRIMARY KEY,
    case_id             BLOB NOT NULL REFERENCES cases (id),
    kind                TEXT NOT NULL,
    status              TEXT NOT NULL,
    version             INTEGER NOT NULL,
    requested_by        BLOB NOT NULL REFERENCES users (id),
    requested_at        TEXT NOT NULL,
    request_comment     TEXT,
    decided_by          BLOB REFERENCES users (id),
    decided_at          TEXT,
    comment             TEXT
);
CREATE INDEX approvals_case ON approvals (case_id, requested_at);
CREATE INDEX approvals_status ON approvals (status, requested_at);
CREATE UNIQUE INDEX approvals_one_pending ON approvals (case_id, kind) WHERE status = 'pending';

CREATE TABLE case_flags (
    id                  BLOB PRIMARY KEY,
    case_id             BLOB NOT NULL REFERENCES cases (id),
    text                TEXT NOT NULL,
    flagged_by          BLOB NOT NULL REFERENCES users (id),
    flagged_at          TEXT NOT NULL,
    removed_by          BLOB REFERENCES users (id),
    removed_at          TEXT,
    removed_reason      TEXT
);
CREATE INDEX case_flags_case ON case_flags (case_id);

-- What each open case needs next and by when, recomputed from the case on every write by the
-- rule in sathi_domain::workflow, so task lists read an index and never load every case.
-- `item` is a subform row's unique_id, or '' for a whole-case step.
CREATE TABLE case_tasks (
    case_id             BLOB NOT NULL REFERENCES cases (id),
    kind                TEXT NOT NULL,
    item                TEXT NOT NULL,
    due_on              TEXT NOT NULL,
    owner_id            BLOB NOT NULL,
    PRIMARY KEY (case_id, kind, item)
);
CREATE INDEX case_tasks_owner ON case_tasks (owner_id, due_on);

-- In-app notifications. Text is rendered in the reader's language when read, from `kind` and
-- the ids; nothing here holds a name or a field value.
CREATE TABLE notifications (
    id                  BLOB PRIMARY KEY,
    user_id             BLOB NOT NULL REFERENCES users (id),
    kind                TEXT NOT NULL,
    case_id             BLOB REFERENCES cases (id),
    subject_id          BLOB,
    actor_id            BLOB REFERENCES users (id),
    created_at          TEXT NOT NULL,
    read_at             TEXT
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);

-- Settings the server keeps between runs, such as the fingerprint of the workflow rules that
-- case_tasks were computed with.
CREATE TABLE store_settings (
    key                 TEXT PRIMARY KEY,
    value               TEXT NOT NULL
);
