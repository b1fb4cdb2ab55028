-- UFBrowsers saved browser profiles: one row per profile, its state sealed with AES-256-GCM by the silo (key_id names the
-- configured key, so keys can rotate; the plaintext never reaches the database). The row is the truth for the profile's
-- version and its lease (the one session that persists into it): every change is a compare-and-set on this row.

CREATE TABLE IF NOT EXISTS profiles
(
    profile_id           varchar(40)  NOT NULL,
    customer_id          varchar(64)  NOT NULL,
    sequence             bigint       GENERATED ALWAYS AS IDENTITY,
    name                 varchar(200) NOT NULL,
    created_at           timestamptz  NOT NULL,
    updated_at           timestamptz  NULL,
    version              bigint       NOT NULL DEFAULT 0,
    size_bytes           bigint       NOT NULL DEFAULT 0,
    key_id               varchar(64)  NULL,
    nonce                bytea        NULL,
    state                bytea        NULL,
    lease_session_id     varchar(64)  NULL,
    lease_version        bigint       NULL,
    lease_acquired_at    timestamptz  NULL,
    last_save_session_id varchar(64)  NULL,
    last_save_at         timestamptz  NULL,
    last_save_outcome    varchar(16)  NULL,
    last_save_size_bytes bigint       NULL,
    CONSTRAINT profiles_pk PRIMARY KEY (profile_id),
    CONSTRAINT profiles_sealed CHECK ((state IS NULL) = (key_id IS NULL) AND (state IS NULL) = (nonce IS NULL)),
    CONSTRAINT profiles_lease CHECK ((lease_session_id IS NULL) = (lease_version IS NULL))
);

CREATE INDEX IF NOT EXISTS profiles_by_customer ON profiles (customer_id, sequence);
