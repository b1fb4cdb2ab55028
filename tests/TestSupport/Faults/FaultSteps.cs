namespace UFBrowsers.TestSupport.Faults;

/// <summary>The steps faults can be injected at; the subject of each is named alongside.</summary>
public static class FaultSteps
{
    /// <summary>A session's hold and record (subject: session id).</summary>
    public const string LedgerOpenSession = "ledger.open-session";

    /// <summary>A minute's charge or any other single entry (subject: session id, or null).</summary>
    public const string LedgerAppend = "ledger.append";

    /// <summary>A session's settlement (subject: session id).</summary>
    public const string LedgerCloseSession = "ledger.close-session";

    /// <summary>A session's refund on a cancelled start (subject: session id).</summary>
    public const string LedgerCancelSession = "ledger.cancel-session";

    /// <summary>A grain's state write (subject: the grain's key).</summary>
    public const string GrainStateWrite = "grain.write-state";

    /// <summary>A pod's start (subject: node pool).</summary>
    public const string PodCreate = "pod.create";

    /// <summary>A warm pod marked as a session's (subject: session id).</summary>
    public const string PodAssign = "pod.assign";

    /// <summary>A pod's deletion (subject: pod id).</summary>
    public const string PodDelete = "pod.delete";

    /// <summary>A profile's lease taken (subject: profile id).</summary>
    public const string ProfileLease = "profile.lease";

    /// <summary>A profile's state saved, or its lease released with what happened (subject: profile id).</summary>
    public const string ProfileSave = "profile.save";
}
