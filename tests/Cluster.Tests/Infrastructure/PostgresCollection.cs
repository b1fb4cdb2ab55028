using UFBrowsers.TestSupport;

namespace UFBrowsers.Cluster.Tests.Infrastructure;

/// <summary>One throwaway PostgreSQL server for the collection; each test makes its own database.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
