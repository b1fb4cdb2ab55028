-- UFBrowsers session records: one row per session a customer started, for listing sessions and for the
-- CustomerGrain's active sessions after it activates (what each has paid is the sum of its ledger entries).
-- A row changes in the same statement as the ledger entry that opens, settles or cancels its session.

CREATE TABLE IF NOT EXISTS customer_sessions
(
    customer_id     varchar(64) NOT NULL,
    session_id      varchar(64) NOT NULL,
    sequence        bigint      GENERATED ALWAYS AS IDENTITY,
    status          varchar(8)  NOT NULL,
    created_at      timestamptz NOT NULL,
    credits_charged bigint      NOT NULL DEFAULT 0,
    CONSTRAINT customer_sessions_pk PRIMARY KEY (customer_id, session_id),
    CONSTRAINT customer_sessions_status CHECK (status IN ('active', 'ended'))
);

CREATE INDEX IF NOT EXISTS customer_sessions_newest ON customer_sessions (customer_id, sequence DESC);
CREATE INDEX IF NOT EXISTS customer_sessions_active ON customer_sessions (customer_id) WHERE status = 'active';
