-- UFBrowsers migration 0003: Orleans grain state storage.
--
-- Contract: Microsoft.Orleans.Persistence.AdoNet 10.4.2 (AdoNetGrainStorage).
-- Query keys: WriteToStorageKey, ReadFromStorageKey, ClearStorageKey (required) and
-- DeleteStorageKey (optional; lets DeleteStateOnClear = true work).
-- Parameters: @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
-- @GrainIdExtensionString (NULL when the key has no extension), @ServiceId,
-- @GrainStateVersion (the ETag; NULL when the state was never written) and, for writes,
-- @PayloadBinary (10.4.2 serialises every state to binary; no JSON/XML columns are needed).
-- Reads return the columns PayloadBinary and Version; writes return NewGrainStateVersion;
-- clear/delete return the new version in their first column. Returning the old ETag (or
-- nothing) tells the provider the optimistic check failed (InconsistentStateException).
--
-- UNIQUE NULLS NOT DISTINCT needs PostgreSQL 15+. It makes the first insert of a grain's
-- state race-safe: two activations writing concurrently get one row, not two.

CREATE TABLE OrleansStorage
(
    GrainIdHash            integer      NOT NULL,
    GrainIdN0              bigint       NOT NULL,
    GrainIdN1              bigint       NOT NULL,
    GrainTypeHash          integer      NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdExtensionString varchar(512) NULL,
    ServiceId              varchar(150) NOT NULL,
    PayloadBinary          bytea        NULL,
    ModifiedOn             timestamptz  NOT NULL DEFAULT now(),
    Version                integer      NOT NULL,

    CONSTRAINT UQ_OrleansStorage_Grain UNIQUE NULLS NOT DISTINCT
        (ServiceId, GrainTypeHash, GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString)
);

CREATE FUNCTION ufb_storage_write(
    p_grain_id_hash integer, p_grain_id_n0 bigint, p_grain_id_n1 bigint, p_grain_type_hash integer,
    p_grain_type_string varchar, p_grain_id_extension_string varchar, p_service_id varchar,
    p_grain_state_version integer, p_payload_binary bytea)
    RETURNS integer
    LANGUAGE plpgsql AS
$$
DECLARE
    new_version integer;
BEGIN
    IF p_grain_state_version IS NULL THEN
        INSERT INTO OrleansStorage
            (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString,
             ServiceId, PayloadBinary, ModifiedOn, Version)
        VALUES
            (p_grain_id_hash, p_grain_id_n0, p_grain_id_n1, p_grain_type_hash, p_grain_type_string,
             p_grain_id_extension_string, p_service_id, p_payload_binary, now(), 1)
        ON CONFLICT ON CONSTRAINT UQ_OrleansStorage_Grain DO NOTHING
        RETURNING Version INTO new_version;
    ELSE
        UPDATE OrleansStorage
        SET PayloadBinary = p_payload_binary, ModifiedOn = now(), Version = Version + 1
        WHERE ServiceId = p_service_id
          AND GrainTypeHash = p_grain_type_hash AND GrainIdHash = p_grain_id_hash
          AND GrainIdN0 = p_grain_id_n0 AND GrainIdN1 = p_grain_id_n1
          AND GrainTypeString = p_grain_type_string
          AND GrainIdExtensionString IS NOT DISTINCT FROM p_grain_id_extension_string
          AND Version = p_grain_state_version
        RETURNING Version INTO new_version;
    END IF;
    -- On a lost race the caller's version comes back unchanged, which Orleans reports as a conflict.
    RETURN COALESCE(new_version, p_grain_state_version);
END
$$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('WriteToStorageKey',
 'SELECT ufb_storage_write(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
      @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary) AS NewGrainStateVersion;'),

('ReadFromStorageKey',
 'SELECT PayloadBinary, Version
  FROM OrleansStorage
  WHERE ServiceId = @ServiceId
    AND GrainTypeHash = @GrainTypeHash AND GrainIdHash = @GrainIdHash
    AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
    AND GrainTypeString = @GrainTypeString
    AND GrainIdExtensionString IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS varchar);'),

('ClearStorageKey',
 'UPDATE OrleansStorage
  SET PayloadBinary = NULL, ModifiedOn = now(), Version = Version + 1
  WHERE ServiceId = @ServiceId
    AND GrainTypeHash = @GrainTypeHash AND GrainIdHash = @GrainIdHash
    AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
    AND GrainTypeString = @GrainTypeString
    AND GrainIdExtensionString IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS varchar)
    AND Version = @GrainStateVersion
  RETURNING Version AS NewGrainStateVersion;'),

('DeleteStorageKey',
 'DELETE FROM OrleansStorage
  WHERE ServiceId = @ServiceId
    AND GrainTypeHash = @GrainTypeHash AND GrainIdHash = @GrainIdHash
    AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
    AND GrainTypeString = @GrainTypeString
    AND GrainIdExtensionString IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS varchar)
    AND Version = @GrainStateVersion
  RETURNING Version + 1 AS NewGrainStateVersion;');
