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

    [Theory]
    [InlineData(3, 3, 0, 3, false)]
    [InlineData(2, 3, 0, 2, false)]
    [InlineData(5, 3, 2, 5, false)]
    [InlineData(5, 3, 9, 5, false)]
    [InlineData(5, 3, 1, 4, true)]
    [InlineData(10, 1, 2, 3, true)]
    [InlineData(4, 3, 0, 3, true)]
    public void A_session_is_charged_what_it_owes_but_never_a_minute_the_balance_cannot_pay(long owed, long paid, long balance, long charged, bool shortOfBalance) =>
        Assert.Equal(new FinalCharge(charged, shortOfBalance), SessionBilling.Settle(owed, paid, balance));

    [Fact]
    public void A_session_short_of_balance_ends_at_the_end_of_its_last_paid_minute()
    {
        var start = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(start.AddMinutes(3), SessionBilling.EndOfPaidTime(start, 3));
    }
}
