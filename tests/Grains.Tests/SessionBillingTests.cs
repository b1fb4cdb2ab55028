using UFBrowsers.Grains.Billing;

namespace UFBrowsers.Grains.Tests;

public sealed class SessionBillingTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(59, 1)]
    [InlineData(60, 1)]
    [InlineData(61, 2)]
    [InlineData(119, 2)]
    [InlineData(120, 2)]
    [InlineData(3600, 60)]
    [InlineData(3601, 61)]
    public void Owes_ceiling_of_minutes_with_a_one_minute_minimum(int seconds, long credits) =>
        Assert.Equal(credits, SessionBilling.CreditsOwed(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void A_fraction_of_a_millisecond_past_the_minute_is_another_minute() =>
        Assert.Equal(2, SessionBilling.CreditsOwed(TimeSpan.FromMinutes(1) + TimeSpan.FromTicks(1)));

    [Theory]
    [InlineData(0, 1)]
    [InlineData(59, 1)]
    [InlineData(60, 2)]
    [InlineData(61, 2)]
    [InlineData(120, 3)]
    public void Minute_n_begins_at_n_minus_one_minutes(int seconds, long begun) =>
        Assert.Equal(begun, SessionBilling.MinutesBegun(TimeSpan.FromSeconds(seconds)));
}
