-- Case imports from CSV, XLSX and the incumbent system's JSON exports.
--
-- A case keeps the id it had in the system it came from, with the agency that imported it, so
-- that importing the same file again updates that case instead of making a second one.
ALTER TABLE cases ADD COLUMN external_id TEXT;
ALTER TABLE cases ADD COLUMN external_source TEXT;
CREATE UNIQUE INDEX cases_external ON cases (external_source, external_id);

-- Mappings an agency saved to use again, by name.
CREATE TABLE import_mappings (
    id          UUID PRIMARY KEY,
    agency_id   TEXT NOT NULL,
    name        TEXT NOT NULL,
    format      TEXT NOT NULL,
    mapping     JSONB NOT NULL,
    created_by  UUID NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (agency_id, name)
);

-- One uploaded file and its jobs. `state` is uploading (hidden from lists), uploaded,
-- dry_run_running, dry_run_done, running, done or failed. A running job owns the row through
-- `job_id` and writes `heartbeat_at` with its progress, so that any server process can tell a
-- job whose process died (a stale heartbeat) and mark it failed.
CREATE TABLE imports (
    id                  UUID PRIMARY KEY,
    agency_id           TEXT NOT NULL,
    created_by          UUID NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    file_name           TEXT NOT NULL,
    format              TEXT NOT NULL,
    size                BIGINT NOT NULL DEFAULT 0,
    sha256              TEXT,
    state               TEXT NOT NULL,
    columns             JSONB NOT NULL,
    sample              JSONB NOT NULL,
    suggested_mapping   JSONB NOT NULL,
    mapping             JSONB,
    dry_run_mapping     JSONB,
    rows_done           BIGINT NOT NULL DEFAULT 0,
    rows_total          BIGINT,
    summary             JSONB,
    dry_run_summary     JSONB,
    error               TEXT,
    job_id              UUID,
    heartbeat_at        TIMESTAMPTZ,
    updated_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX imports_agency ON imports (agency_id, created_at);

-- The file's bytes in order, so that every server process reads the same file.
CREATE TABLE import_file_chunks (
    import_id   UUID NOT NULL REFERENCES imports (id),
    seq         BIGINT NOT NULL,
    data        BYTEA NOT NULL,
    PRIMARY KEY (import_id, seq)
);

-- The outcome of each row of the import's latest job: created, updated, unchanged or rejected,
-- with the errors as codes and parameters, rendered in the reader's language when read.
CREATE TABLE import_rows (
    import_id   UUID NOT NULL REFERENCES imports (id),
    row_number  BIGINT NOT NULL,
    outcome     TEXT NOT NULL,
    case_id     UUID,
    display_id  TEXT,
    external_id TEXT,
    errors      JSONB NOT NULL,
    PRIMARY KEY (import_id, row_number)
);
CREATE INDEX import_rows_outcome ON import_rows (import_id, outcome, row_number);
