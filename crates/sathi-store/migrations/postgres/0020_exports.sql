-- Case exports: files a user asked for, generated in the background with that user's scope.
-- The bytes live in the database as chunks, like attachments, so that whichever `sathi serve`
-- process receives the download can send a file another process generated.
--
-- `state` is `running` while the file is generated, then `ready` or `failed` (with an error
-- code in `error`). `updated_at` moves with every page of cases written and every chunk
-- stored, so the cleanup job can tell a generation whose process stopped from one still
-- running. Expired files are deleted with their chunks.
CREATE TABLE export_files (
    id                  UUID PRIMARY KEY,
    owner_id            UUID NOT NULL REFERENCES users (id),
    format              TEXT NOT NULL,
    file_name           TEXT NOT NULL,
    content_type        TEXT NOT NULL,
    size                BIGINT,
    row_count           BIGINT,
    state               TEXT NOT NULL,
    error               TEXT,
    password_protected  BOOLEAN NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    expires_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX export_files_owner ON export_files (owner_id, created_at);
CREATE INDEX export_files_expiry ON export_files (expires_at);

-- One row per stored part of a file, numbered from 0 in file order.
CREATE TABLE export_file_chunks (
    export_id   UUID NOT NULL REFERENCES export_files (id),
    seq         INTEGER NOT NULL,
    data        BYTEA NOT NULL,
    PRIMARY KEY (export_id, seq)
);
