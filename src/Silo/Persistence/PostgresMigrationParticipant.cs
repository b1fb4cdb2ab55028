using Orleans.Runtime;

namespace UFBrowsers.Silo.Persistence;

/// <summary>
/// Runs <see cref="PostgresMigrator"/> at the very first silo lifecycle stage. The ADO.NET
/// clustering, storage and reminder providers load their queries from OrleansQuery in later
/// stages (clustering during RuntimeInitialize), so the schema must exist before any of them.
/// Being a lifecycle participant, it runs however the host is wired, TestCluster included.
/// </summary>
internal sealed class PostgresMigrationParticipant(PostgresMigrator migrator) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PostgresMigrationParticipant), ServiceLifecycleStage.First, migrator.MigrateAsync);
}
