-- Casework (issue 5): referrals and transfers with versions for compare-and-set, approvals,
-- flags, indexed due dates for task lists, and in-app notifications.

-- Referrals may be addressed to an agency (any of its users who receive referrals may answer)
-- or to one user. `version` grows by one on every transition, which is compare-and-set.
ALTER TABLE referrals ALTER COLUMN to_user_id DROP NOT NULL;
ALTER TABLE referrals ADD COLUMN from_agency_id TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
-- 'given' (consent recorded), 'internal' (same agency) or 'override' (reason in consent_override).
ALTER TABLE referrals ADD COLUMN consent_basis TEXT NOT NULL DEFAULT 'given';
ALTER TABLE referrals ADD COLUMN note TEXT;
ALTER TABLE referrals ADD COLUMN reason TEXT;
ALTER TABLE referrals ADD COLUMN decided_by UUID REFERENCES users (id);
ALTER TABLE referrals ADD COLUMN decided_at TIMESTAMPTZ;
ALTER TABLE referrals ADD COLUMN closed_at TIMESTAMPTZ;
UPDATE referrals SET from_agency_id = u.agency_id FROM users u WHERE u.id = referrals.from_user_id;
CREATE INDEX referrals_to_agency ON referrals (to_agency_id, status);
-- At most one pending referral of a case to the same recipient for the same service.
CREATE UNIQUE INDEX referrals_one_pending ON referrals (case_id, to_agency_id, service_type)
    WHERE status = 'pending';

-- kind 'transfer': the sender offers the case; 'request': a user asks the owner for it.
CREATE TABLE transfers (
    id                  UUID PRIMARY KEY,
    case_id             UUID NOT NULL REFERENCES cases (id),
    kind                TEXT NOT NULL,
    from_user_id        UUID NOT NULL REFERENCES users (id),
    from_agency_id      TEXT NOT NULL,
    to_user_id          UUID REFERENCES users (id),
    to_agency_id        TEXT NOT NULL,
    status              TEXT NOT NULL,
    version             BIGINT NOT NULL,
    consent_basis       TEXT NOT NULL,
    consent_override    TEXT,
    note                TEXT,
    reason              TEXT,
    decided_by          UUID REFERENCES users (id),
    decided_at          TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX transfers_case ON transfers (case_id);
CREATE INDEX transfers_to_user ON transfers (to_user_id, status);
CREATE INDEX transfers_to_agency ON transfers (to_agency_id, status);
CREATE INDEX transfers_from_user ON transfers (from_user_id, status);
-- At most one pending transfer per case.
CREATE UNIQUE INDEX transfers_one_pending ON transfers (case_id) WHERE status = 'pending';

-- kind: 'assessment', 'case_plan' or 'closure'.
CREATE TABLE approvals (
    id                  UUID PRIMARY KEY,
    case_id             UUID NOT NULL REFERENCES cases (id),
    kind                TEXT NOT NULL,
    status              TEXT NOT NULL,
    version             BIGINT NOT NULL,
    requested_by        UUID NOT NULL REFERENCES users (id),
    requested_at        TIMESTAMPTZ NOT NULL,
    request_comment     TEXT,
    decided_by          UUID REFERENCES users (id),
    decided_at          TIMESTAMPTZ,
    comment             TEXT
);
CREATE INDEX approvals_case ON approvals (case_id, requested_at);
CREATE INDEX approvals_status ON approvals (status, requested_at);
CREATE UNIQUE INDEX approvals_one_pending ON approvals (case_id, kind) WHERE status = 'pending';

CREATE TABLE case_flags (
    id                  UUID PRIMARY KEY,
    case_id             UUID NOT NULL REFERENCES cases (id),
    text                TEXT NOT NULL,
    flagged_by          UUID NOT NULL REFERENCES users (id),
    flagged_at          TIMESTAMPTZ NOT NULL,
    removed_by          UUID REFERENCES users (id),
    removed_at          TIMESTAMPTZ,
    removed_reason      TEXT
);
CREATE INDEX case_flags_case ON case_flags (case_id);

-- What each open case needs next and by when, recomputed from the case on every write by the
-- rule in sathi_domain::workflow, so task lists read an index and never load every case.
-- `item` is a subform row's unique_id, or '' for a whole-case step.
CREATE TABLE case_tasks (
    case_id             UUID NOT NULL REFERENCES cases (id),
    kind                TEXT NOT NULL,
    item                TEXT NOT NULL,
    due_on              DATE NOT NULL,
    owner_id            UUID NOT NULL,
    PRIMARY KEY (case_id, kind, item)
);
CREATE INDEX case_tasks_owner ON case_tasks (owner_id, due_on);

-- In-app notifications. Text is rendered in the reader's language when read, from `kind` and
-- the ids; nothing here holds a name or a field value.
CREATE TABLE notifications (
    id                  UUID PRIMARY KEY,
    user_id             UUID NOT NULL REFERENCES users (id),
    kind                TEXT NOT NULL,
    case_id             UUID REFERENCES cases (id),
    subject_id          UUID,
    actor_id            UUID REFERENCES users (id),
    created_at          TIMESTAMPTZ NOT NULL,
    read_at             TIMESTAMPTZ
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);

-- Settings the server keeps between runs, such as the fingerprint of the workflow rules that
-- case_tasks were computed with.
CREATE TABLE store_settings (
    key                 TEXT PRIMARY KEY,
    value               TEXT NOT NULL
);
