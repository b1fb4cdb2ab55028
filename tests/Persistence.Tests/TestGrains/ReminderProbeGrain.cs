namespace UFBrowsers.Persistence.Tests.TestGrains;

public sealed class ReminderProbeGrain : Grain, IReminderProbeGrain, IRemindable
{
    public Task RegisterAsync(string reminderName, TimeSpan period) =>
        this.RegisterOrUpdateReminder(reminderName, period, period);

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
