-- UFBrowsers ledger: every change of a customer's balance, append-only.
-- The table is the source of truth for money; CustomerGrain is its single writer per customer and
-- caches the balance (the newest entry's balance_after). An idempotency key can be used once per
-- customer, which is what makes retried requests and replayed events harmless.

CREATE TABLE IF NOT EXISTS ledger
(
    customer_id     varchar(64)  NOT NULL,
    entry_id        bigint       NOT NULL,
    kind            varchar(16)  NOT NULL,
    amount          bigint       NOT NULL,
    balance_after   bigint       NOT NULL,
    session_id      varchar(64)  NULL,
    reason          text         NOT NULL,
    idempotency_key varchar(300) NOT NULL,
    created_at      timestamptz  NOT NULL,
    CONSTRAINT ledger_pk PRIMARY KEY (customer_id, entry_id),
    CONSTRAINT ledger_idempotency_key UNIQUE (customer_id, idempotency_key),
    CONSTRAINT ledger_kind CHECK (kind IN ('grant', 'hold', 'charge', 'refund', 'adjustment')),
    CONSTRAINT ledger_entry_id_positive CHECK (entry_id > 0)
);

CREATE INDEX IF NOT EXISTS ledger_session ON ledger (session_id) WHERE session_id IS NOT NULL;

CREATE OR REPLACE FUNCTION ledger_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % is not allowed', TG_OP;
END;
$$;

DROP TRIGGER IF EXISTS ledger_append_only ON ledger;
CREATE TRIGGER ledger_append_only
    BEFORE UPDATE OR DELETE ON ledger
    FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
