namespace UFBrowsers.Grains;

/// <summary>Names of the Orleans providers the grains use; the silo binds each to memory or PostgreSQL.</summary>
public static class StorageNames
{
    /// <summary>Grain state of every UFBrowsers grain.</summary>
    public const string Grains = "ufb";
}
