namespace UFBrowsers.Api.Tests.Infrastructure;

/// <summary>The in-memory API shared by a collection; tests use fresh customers instead of resetting state.</summary>
public sealed class ApiFixture : ApiFactory;

public sealed record TestTenant(string Id, string ApiKey, HttpClient Client);

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
