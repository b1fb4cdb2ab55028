namespace UFBrowsers.Persistence.Tests.TestGrains;

public interface IReminderProbeGrain : IGrainWithGuidKey
{
    Task RegisterAsync(string reminderName, TimeSpan period);
}
