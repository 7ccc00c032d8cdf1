-- Case imports from CSV, XLSX and the incumbent system's JSON exports. SQLite; the PostgreSQL
-- schema in ../postgres has the same tables and columns.
--
-- A case keeps the id it had in the system it came from, with the agency that imported it, so
-- that importing the same file again updates that case instead of making a second one.
ALTER TABLE cases ADD COLUMN external_id TEXT;
ALTER TABLE cases ADD COLUMN external_source TEXT;
CREATE UNIQUE INDEX cases_external ON cases (external_source, external_id);

-- Mappings an agency saved to use again, by name.
CREATE TABLE import_mappings (
    id          BLOB PRIMARY KEY,
    agency_id   TEXT NOT NULL,
    name        TEXT NOT NULL,
    format      TEXT NOT NULL,
    mapping     TEXT NOT NULL,
    created_by  BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (agency_id, name)
);

-- One uploaded file and its jobs. `state` is uploading (hidden from lists), uploaded,
-- dry_run_running, dry_run_done, running, done or failed. A running job owns the row through
-- `job_id` and writes `heartbeat_at` with its progress, so that any server process can tell a
-- job whose process died (a stale heartbeat) and mark it failed.
CREATE TABLE imports (
    id                  BLOB PRIMARY KEY,
    agency_id           TEXT NOT NULL,
    created_by          BLOB NOT NULL,
    created_at          TEXT NOT NULL,
    file_name           TEXT NOT NULL,
    format              TEXT NOT NULL,
    size                INTEGER NOT NULL DEFAULT 0,
    sha256              TEXT,
    state               TEXT NOT NULL,
    columns             TEXT NOT NULL,
    sample              TEXT NOT NULL,
    suggested_mapping   TEXT NOT NULL,
    mapping             TEXT,
    dry_run_mapping     TEXT,
    rows_done           INTEGER NOT NULL DEFAULT 0,
    rows_total          INTEGER,
    summary             TEXT,
    dry_run_summary     TEXT,
    error               TEXT,
    job_id              BLOB,
    heartbeat_at        TEXT,
    updated_at          TEXT NOT NULL
);
CREATE INDEX imports_agency ON imports (agency_id, created_at);

-- The file's bytes in order, so that every server process reads the same file.
CREATE TABLE import_file_chunks (
    import_id   BLOB NOT NULL REFERENCES imports (id),
    seq         INTEGER NOT NULL,
    data        BLOB NOT NULL,
    PRIMARY KEY (import_id, seq)
);

-- The outcome of each row of the import's latest job: created, updated, unchanged or rejected,
-- with the errors as codes and parameters, rendered in the reader's language when read.
CREATE TABLE import_rows (
    import_id   BLOB NOT NULL REFERENCES imports (id),
    row_number  INTEGER NOT NULL,
    outcome     TEXT NOT NULL,
    case_id     BLOB,
    display_id  TEXT,
    external_id TEXT,
    errors      TEXT NOT NULL,
    PRIMARY KEY (import_id, row_number)
);
CREATE INDEX import_rows_outcome ON import_rows (import_id, outcome, row_number);
