namespace UFBrowsers.Profiles;

public enum ProfileSaveOutcome
{
    Saved = 0,
    /// <summary>Over the plan's size limit per profile; the previous state is kept.</summary>
    TooLarge = 1,
    /// <summary>The stored version is not the one the session started from; the newer one is kept.</summary>
    Conflict = 2,
    /// <summary>The session does not hold the profile's lease (it was not started to persist, or lost the lease).</summary>
    NotLeased = 3,
    /// <summary>The profile was deleted meanwhile.</summary>
    NotFound = 4,
    /// <summary>The browser's state could not be read or stored (the database or the browser failed); the previous state is kept.</summary>
    Failed = 5,
}
