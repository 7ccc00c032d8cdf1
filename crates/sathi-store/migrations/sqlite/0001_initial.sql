-- Sathi schema, SQLite. The PostgreSQL schema in ../postgres has the same tables and columns.
-- Released migrations are never edited; later changes are new, additive files.

CREATE TABLE config_versions (
    version     INTEGER PRIMARY KEY,
    label       TEXT NOT NULL,
    document    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  BLOB
);

CREATE TABLE users (
    id              BLOB PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    full_name       TEXT NOT NULL,
    agency_id       TEXT NOT NULL,
    role_id         TEXT NOT NULL,
    locale          TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    disabled        INTEGER NOT NULL DEFAULT 0,
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    created_at      TEXT NOT NULL
);

CREATE TABLE user_groups (
    id          BLOB PRIMARY KEY,
    name        TEXT NOT NULL,
    agency_id   TEXT NOT NULL
);

CREATE TABLE group_members (
    group_id    BLOB NOT NULL REFERENCES user_groups (id),
    user_id     BLOB NOT NULL REFERENCES users (id),
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     BLOB NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE cases (
    id                  BLOB PRIMARY KEY,
    display_id          TEXT NOT NULL UNIQUE,
    data                TEXT NOT NULL,
    version             INTEGER NOT NULL,
    status              TEXT NOT NULL,
    stage               TEXT NOT NULL,
    enabled             INTEGER NOT NULL,
    risk_level          TEXT,
    sex                 TEXT,
    date_of_birth       TEXT,
    registration_date   TEXT,
    location_code       TEXT,
    name_key            TEXT NOT NULL,
    owner_id            BLOB NOT NULL,
    owner_agency_id     TEXT NOT NULL,
    created_by          BLOB NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    closed_at           TEXT
);
CREATE INDEX cases_owner ON cases (owner_id, updated_at);
CREATE INDEX cases_agency ON cases (owner_agency_id, updated_at);
CREATE INDEX cases_location ON cases (location_code);
CREATE INDEX cases_registration ON cases (registration_date);
CREATE INDEX cases_dob ON cases (date_of_birth);
CREATE INDEX cases_risk ON cases (risk_level, status);
CREATE INDEX cases_updated ON cases (updated_at);

CREATE TABLE case_concerns (
    case_id     BLOB NOT NULL REFERENCES cases (id),
    concern     TEXT NOT NULL,
    PRIMARY KEY (case_id, concern)
);
CREATE INDEX case_concerns_concern ON case_concerns (concern, case_id);

-- Normalised name words for search: a word prefix is a B-tree range on this table, which
-- behaves the same on both backends and never splits Bangla words at vowel signs.
CREATE TABLE case_name_tokens (
    case_id     BLOB NOT NULL REFERENCES cases (id),
    token       TEXT NOT NULL,
    PRIMARY KEY (token, case_id)
);
CREATE INDEX case_name_tokens_case ON case_name_tokens (case_id);

CREATE TABLE case_assignments (
    case_id     BLOB NOT NULL REFERENCES cases (id),
    user_id     BLOB NOT NULL REFERENCES users (id),
    PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_assignments_user ON case_assignments (user_id);

CREATE TABLE referrals (
    id                  BLOB PRIMARY KEY,
    case_id             BLOB NOT NULL REFERENCES cases (id),
    from_user_id        BLOB NOT NULL REFERENCES users (id),
    to_user_id          BLOB NOT NULL REFERENCES users (id),
    to_agency_id        TEXT NOT NULL,
    service_type        TEXT NOT NULL,
    status              TEXT NOT NULL,
    shared_forms        TEXT NOT NULL,
    consent_override    TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX referrals_to_user ON referrals (to_user_id, status);
CREATE INDEX referrals_case ON referrals (case_id);

CREATE TABLE case_changes (
    id          BLOB PRIMARY KEY,
    case_id     BLOB NOT NULL REFERENCES cases (id),
    version     INTEGER NOT NULL,
    path        TEXT NOT NULL,
    old_value   TEXT NOT NULL,
    new_value   TEXT NOT NULL,
    user_id     BLOB NOT NULL,
    changed_at  TEXT NOT NULL
);
CREATE INDEX case_changes_case ON case_changes (case_id, version);

CREATE TABLE audit_log (
    id          BLOB PRIMARY KEY,
    at          TEXT NOT NULL,
    user_id     BLOB,
    action      TEXT NOT NULL,
    case_id     BLOB,
    outcome     TEXT NOT NULL,
    detail      TEXT NOT NULL
);
CREATE INDEX audit_log_case ON audit_log (case_id, at);
CREATE INDEX audit_log_user ON audit_log (user_id, at);
