-- UFBrowsers session downloads kept after their session ended, for the retention period (expires_at), readable from every
-- API replica. Contents are 1 MiB bytea chunks deleted with their file (ON DELETE CASCADE): no large objects, which
-- outlive their rows unless unlinked one by one. Chunks are stored out of line without compression (STORAGE EXTERNAL):
-- downloads are mostly compressed already, and pglz would spend CPU for nothing.

CREATE TABLE IF NOT EXISTS session_files
(
    file_id      bigint      GENERATED ALWAYS AS IDENTITY,
    session_id   varchar(64) NOT NULL,
    customer_id  varchar(64) NOT NULL,
    name         text        NOT NULL,
    size_bytes   bigint      NOT NULL,
    stored_bytes bigint      NOT NULL DEFAULT 0,
    truncated    boolean     NOT NULL,
    completed_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    CONSTRAINT session_files_pk PRIMARY KEY (file_id),
    CONSTRAINT session_files_name UNIQUE (session_id, name)
);

CREATE INDEX IF NOT EXISTS session_files_expiry ON session_files (expires_at);

CREATE TABLE IF NOT EXISTS session_file_chunks
(
    file_id bigint  NOT NULL REFERENCES session_files (file_id) ON DELETE CASCADE,
    seq     integer NOT NULL,
    data    bytea   NOT NULL,
    CONSTRAINT session_file_chunks_pk PRIMARY KEY (file_id, seq)
);

ALTER TABLE session_file_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
