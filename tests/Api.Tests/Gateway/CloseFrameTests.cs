using System.Net.WebSockets;
using System.Text;
using UFBrowsers.Api.Gateway;

namespace UFBrowsers.Api.Tests.Gateway;

public sealed class CloseFrameTests
{
    [Fact]
    public void A_gateway_close_is_an_unmasked_frame_with_code_and_reason()
    {
        var frame = CloseFrame.ForClient(CloseCodes.For(Sessions.EndReason.BalanceExhausted));

        Assert.Equal(TestFrames.Close(4002, "balance_exhausted"), frame);
    }

    [Fact]
    public void A_long_reason_is_cut_to_123_bytes_between_characters()
    {
        var frame = CloseFrame.ForClient(new GatewayClose((WebSocketCloseStatus)4000, "x" + new string('é', 100)));

        var (status, reason) = CloseFrame.Read(frame);

        Assert.Equal((WebSocketCloseStatus)4000, status);
        Assert.Equal("x" + new string('é', 61), reason);
        Assert.True(frame.Length - 2 <= 125);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_status_and_reason_masked_or_not(bool masked)
    {
        Assert.Equal((WebSocketCloseStatus.NormalClosure, "done"), CloseFrame.Read(TestFrames.Close(1000, "done", masked)));
    }

    [Fact]
    public void A_close_without_payload_has_no_status()
    {
        Assert.Equal((null, null), CloseFrame.Read(TestFrames.Frame(WebSocketOpcode.Close, [], masked: true)));
    }

    [Fact]
    public void Only_reads_close_frames()
    {
        Assert.Throws<ArgumentException>(() => CloseFrame.Read(TestFrames.Frame(WebSocketOpcode.Text, Encoding.UTF8.GetBytes("no"))));
    }
}
