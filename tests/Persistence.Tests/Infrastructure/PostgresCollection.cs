using UFBrowsers.TestSupport;

namespace UFBrowsers.Persistence.Tests.Infrastructure;

/// <summary>Tests in this collection share one <see cref="PostgresServer"/> and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
