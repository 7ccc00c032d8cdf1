-- Photos, audio, documents and signatures of case fields. The bytes live in the database as
-- chunks, so several `sathi serve` processes on one PostgreSQL need no shared disk, and a
-- SQLite deployment keeps everything in its one data folder.

CREATE TABLE attachments (
    id              UUID PRIMARY KEY,
    case_id         UUID NOT NULL REFERENCES cases (id),
    field_id        TEXT NOT NULL,
    file_name       TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    size            BIGINT NOT NULL,
    sha256          TEXT NOT NULL,
    received        BIGINT NOT NULL DEFAULT 0,
    status          TEXT NOT NULL,
    created_by      UUID NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    verified_at     TIMESTAMPTZ
);
CREATE INDEX attachments_case ON attachments (case_id);

-- One row per uploaded chunk; `chunk_offset` is the position of its first byte in the file.
CREATE TABLE attachment_chunks (
    attachment_id   UUID NOT NULL REFERENCES attachments (id),
    chunk_offset    BIGINT NOT NULL,
    data            BYTEA NOT NULL,
    PRIMARY KEY (attachment_id, chunk_offset)
);
