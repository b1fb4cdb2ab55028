-- UFBrowsers migration 0004: Orleans reminders table and queries.
--
-- Contract: Microsoft.Orleans.Reminders.AdoNet 10.4.2 (AdoNetReminderTable).
-- Query keys: UpsertReminderRowKey, ReadReminderRowsKey, ReadReminderRowKey, ReadRangeRows1Key,
-- ReadRangeRows2Key, DeleteReminderRowKey, DeleteReminderRowsKey.
-- Parameters: @ServiceId, @GrainId (GrainId.ToString()), @ReminderName, @StartTime,
-- @Period (milliseconds, sent as int or bigint), @GrainHash (uniform hash as signed int),
-- @BeginHash/@EndHash (ring range, signed ints), @Version (the ETag).
-- Reads return GrainId, ReminderName, StartTime, Period, Version. Upsert returns the new
-- version; DeleteReminderRowKey returns > 0 when the row with that version was deleted.
-- ReadRangeRows1Key serves a range that does not wrap (begin < end as signed ints),
-- ReadRangeRows2Key one that wraps around the ring.

CREATE TABLE OrleansRemindersTable
(
    ServiceId    varchar(150)   NOT NULL,
    GrainId      varchar(150)   NOT NULL,
    ReminderName varchar(150)   NOT NULL,
    StartTime    timestamptz(3) NOT NULL,
    Period       bigint         NOT NULL,
    GrainHash    integer        NOT NULL,
    Version      integer        NOT NULL,

    CONSTRAINT PK_OrleansRemindersTable PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX IX_OrleansRemindersTable_GrainHash ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpsertReminderRowKey',
 'INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
  VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, CAST(@Period AS bigint), @GrainHash, 0)
  ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
  SET StartTime = excluded.StartTime,
      Period = excluded.Period,
      GrainHash = excluded.GrainHash,
      Version = OrleansRemindersTable.Version + 1
  RETURNING Version;'),

('ReadReminderRowsKey',
 'SELECT GrainId, ReminderName, StartTime, Period, Version
  FROM OrleansRemindersTable
  WHERE ServiceId = @ServiceId AND GrainId = @GrainId;'),

('ReadReminderRowKey',
 'SELECT GrainId, ReminderName, StartTime, Period, Version
  FROM OrleansRemindersTable
  WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;'),

('ReadRangeRows1Key',
 'SELECT GrainId, ReminderName, StartTime, Period, Version
  FROM OrleansRemindersTable
  WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash;'),

('ReadRangeRows2Key',
 'SELECT GrainId, ReminderName, StartTime, Period, Version
  FROM OrleansRemindersTable
  WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);'),

('DeleteReminderRowKey',
 'WITH deleted AS (
      DELETE FROM OrleansRemindersTable
      WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
        AND Version = @Version
      RETURNING 1)
  SELECT count(*)::integer AS row_count FROM deleted;'),

('DeleteReminderRowsKey',
 'DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId;');
