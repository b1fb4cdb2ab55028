-- UFBrowsers migration 0002: Orleans membership (clustering) tables and queries.
--
-- Contract: Microsoft.Orleans.Clustering.AdoNet 10.4.2 (AdoNetClusteringTable).
-- Required query keys: GatewaysQueryKey, MembershipReadRowKey, MembershipReadAllKey,
-- InsertMembershipVersionKey, UpdateIAmAlivetimeKey, InsertMembershipKey, UpdateMembershipKey,
-- DeleteMembershipTableEntriesKey, CleanupDefunctSiloEntriesKey; optional CleanupDefunctSiloEntryKey
-- (provided: with it the provider prunes one dead row at a time with captured-value checks).
-- Parameters the provider binds: @DeploymentId (the ClusterId), @Address, @Port, @Generation,
-- @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime, @SuspectTimes, @Version.
-- Columns it reads by name: DeploymentId, Address, Port, Generation, SiloName, HostName, Status,
-- ProxyPort, SuspectTimes, StartTime, IAmAliveTime, Version. Insert/update/version queries
-- return one integer column: > 0 means success, 0 means the optimistic check failed.
-- The table version is bumped before the row is touched, so a stale @Version changes nothing.

CREATE TABLE OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0,

    CONSTRAINT PK_OrleansMembershipVersionTable PRIMARY KEY (DeploymentId)
);

CREATE TABLE OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL,
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NULL,
    SuspectTimes varchar(8000)  NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,

    CONSTRAINT PK_OrleansMembershipTable PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_OrleansMembershipTable_Version FOREIGN KEY (DeploymentId)
        REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

CREATE FUNCTION ufb_membership_insert_version(p_deployment_id varchar)
    RETURNS integer
    LANGUAGE plpgsql AS
$$
DECLARE
    affected integer;
BEGIN
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    VALUES (p_deployment_id)
    ON CONFLICT (DeploymentId) DO NOTHING;
    GET DIAGNOSTICS affected = ROW_COUNT;
    RETURN affected;
END
$$;

CREATE FUNCTION ufb_membership_insert(
    p_deployment_id varchar, p_address varchar, p_port integer, p_generation integer,
    p_silo_name varchar, p_host_name varchar, p_status integer, p_proxy_port integer,
    p_start_time timestamptz, p_i_am_alive_time timestamptz, p_version integer)
    RETURNS integer
    LANGUAGE plpgsql AS
$$
DECLARE
    affected integer;
BEGIN
    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId = p_deployment_id AND Version = p_version AND Version < 2147483647;
    GET DIAGNOSTICS affected = ROW_COUNT;
    IF affected = 0 THEN
        RETURN 0;
    END IF;

    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    VALUES
        (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status, p_proxy_port,
         p_start_time, p_i_am_alive_time)
    ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;
    GET DIAGNOSTICS affected = ROW_COUNT;
    IF affected = 0 THEN
        -- The row already exists: undo the version bump so the whole call is a no-op.
        RAISE EXCEPTION 'membership row exists' USING ERRCODE = 'unique_violation';
    END IF;
    RETURN affected;
EXCEPTION
    WHEN unique_violation THEN
        RETURN 0;
END
$$;

CREATE FUNCTION ufb_membership_update(
    p_deployment_id varchar, p_address varchar, p_port integer, p_generation integer,
    p_status integer, p_suspect_times varchar, p_i_am_alive_time timestamptz, p_version integer)
    RETURNS integer
    LANGUAGE plpgsql AS
$$
DECLARE
    affected integer;
BEGIN
    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = now()
    WHERE DeploymentId = p_deployment_id AND Version = p_version AND Version < 2147483647;
    GET DIAGNOSTICS affected = ROW_COUNT;
    IF affected = 0 THEN
        RETURN 0;
    END IF;

    UPDATE OrleansMembershipTable
    SET Status = p_status,
        SuspectTimes = p_suspect_times,
        IAmAliveTime = GREATEST(IAmAliveTime, p_i_am_alive_time)
    WHERE DeploymentId = p_deployment_id AND Address = p_address AND Port = p_port AND Generation = p_generation;
    GET DIAGNOSTICS affected = ROW_COUNT;
    IF affected = 0 THEN
        RAISE EXCEPTION 'membership row missing' USING ERRCODE = 'no_data_found';
    END IF;
    RETURN affected;
EXCEPTION
    WHEN no_data_found THEN
        RETURN 0;
END
$$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey',
 'SELECT ufb_membership_insert_version(@DeploymentId) AS row_count;'),

('InsertMembershipKey',
 'SELECT ufb_membership_insert(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
      @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version) AS row_count;'),

('UpdateMembershipKey',
 'SELECT ufb_membership_update(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
      @IAmAliveTime, @Version) AS row_count;'),

('UpdateIAmAlivetimeKey',
 'UPDATE OrleansMembershipTable
  SET IAmAliveTime = GREATEST(IAmAliveTime, @IAmAliveTime)
  WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;'),

('MembershipReadRowKey',
 'SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
         m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
  FROM OrleansMembershipVersionTable v
  LEFT JOIN OrleansMembershipTable m
         ON m.DeploymentId = v.DeploymentId
        AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
  WHERE v.DeploymentId = @DeploymentId;'),

('MembershipReadAllKey',
 'SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
         m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
  FROM OrleansMembershipVersionTable v
  LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
  WHERE v.DeploymentId = @DeploymentId;'),

('GatewaysQueryKey',
 'SELECT Address, ProxyPort, Generation
  FROM OrleansMembershipTable
  WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;'),

('DeleteMembershipTableEntriesKey',
 'DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
  DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;'),

-- Status 6 is SiloStatus.Dead.
('CleanupDefunctSiloEntriesKey',
 'DELETE FROM OrleansMembershipTable
  WHERE DeploymentId = @DeploymentId AND Status = 6
    AND IAmAliveTime < @IAmAliveTime AND StartTime < @IAmAliveTime
    AND COALESCE(SuspectTimes, '''') = '''';'),

('CleanupDefunctSiloEntryKey',
 'DELETE FROM OrleansMembershipTable
  WHERE DeploymentId = @DeploymentId AND Status = 6
    AND Address = @Address AND Port = @Port AND Generation = @Generation
    AND IAmAliveTime = @IAmAliveTime AND StartTime = @StartTime
    AND COALESCE(SuspectTimes, '''') = COALESCE(@SuspectTimes, '''');');
