-- UFBrowsers audit log: who did what to which object, with the request it came from and its outcome.
-- actor_type is 'api_key' (actor_id = key id), 'operator' or 'stripe'.

CREATE TABLE IF NOT EXISTS audit_log
(
    id          bigserial    NOT NULL PRIMARY KEY,
    at          timestamptz  NOT NULL,
    actor_type  varchar(16)  NOT NULL,
    actor_id    varchar(64)  NULL,
    customer_id varchar(64)  NULL,
    action      varchar(64)  NOT NULL,
    target      varchar(200) NULL,
    request_id  varchar(100) NULL,
    outcome     varchar(32)  NOT NULL,
    CONSTRAINT audit_log_actor_type CHECK (actor_type IN ('api_key', 'operator', 'stripe', 'system'))
);

CREATE INDEX IF NOT EXISTS audit_log_customer_at ON audit_log (customer_id, at);
