-- UFBrowsers session recordings: one row per recorded session (a session without recording has none), and its rrweb
-- events in chunks, each the gzip of a JSON array of one page's events, appended as the recorder flushes them so a crash
-- loses at most the chunk being collected. bytes_stored is the sum of the chunks' sizes, checked against the size limit
-- in the statement that appends; at the limit nothing more is appended and truncated is set. Rows are deleted when
-- expires_at passes (retention), chunks with their recording.

CREATE TABLE IF NOT EXISTS recordings
(
    session_id   varchar(64) NOT NULL PRIMARY KEY,
    customer_id  varchar(64) NOT NULL,
    started_at   timestamptz NOT NULL,
    ended_at     timestamptz NULL,
    expires_at   timestamptz NOT NULL,
    truncated    boolean     NOT NULL DEFAULT false,
    bytes_stored bigint      NOT NULL DEFAULT 0,
    raw_bytes    bigint      NOT NULL DEFAULT 0,
    chunks       integer     NOT NULL DEFAULT 0
);

CREATE INDEX IF NOT EXISTS recordings_expiry ON recordings (expires_at);

CREATE TABLE IF NOT EXISTS recording_chunks
(
    session_id varchar(64)  NOT NULL REFERENCES recordings (session_id) ON DELETE CASCADE,
    sequence   integer      NOT NULL,
    page_id    varchar(128) NOT NULL,
    at         timestamptz  NOT NULL,
    raw_bytes  integer      NOT NULL,
    events     bytea        NOT NULL,
    CONSTRAINT recording_chunks_pk PRIMARY KEY (session_id, sequence)
);

-- The events are gzipped already: out-of-line storage without PostgreSQL's own compression attempt.
ALTER TABLE recording_chunks ALTER COLUMN events SET STORAGE EXTERNAL;
