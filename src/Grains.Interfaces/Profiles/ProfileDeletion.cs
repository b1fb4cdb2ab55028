namespace UFBrowsers.Profiles;

public enum ProfileDeletion
{
    Deleted = 0,
    NotFound = 1,
    /// <summary>A running session holds it to persist it: end that session first.</summary>
    InUse = 2,
}
