using System.Buffers;
using UFBrowsers.Api.Gateway;

namespace UFBrowsers.Api.Tests.Gateway;

public sealed class WebSocketFrameHeaderTests
{
    [Theory]
    [InlineData(0, false, 2)]
    [InlineData(125, false, 2)]
    [InlineData(126, false, 4)]
    [InlineData(65535, false, 4)]
    [InlineData(65536, false, 10)]
    [InlineData(125, true, 6)]
    [InlineData(126, true, 8)]
    [InlineData(65536, true, 14)]
    public void Reads_7_16_and_64_bit_lengths_masked_or_not(int payloadLength, bool masked, int headerLength)
    {
        var frame = TestFrames.Frame(WebSocketOpcode.Binary, new byte[payloadLength], fin: false, masked: masked);

        Assert.Equal(OperationStatus.Done, WebSocketFrameHeader.TryRead(frame, out var header));

        Assert.Equal(new WebSocketFrameHeader(false, WebSocketOpcode.Binary, masked, payloadLength, headerLength), header);
    }

    [Fact]
    public void Needs_every_byte_of_the_header_and_none_of_the_payload()
    {
        var frame = TestFrames.Frame(WebSocketOpcode.Text, new byte[70_000], masked: true);

        for (var length = 0; length < 14; length++)
        {
            Assert.Equal(OperationStatus.NeedMoreData, WebSocketFrameHeader.TryRead(frame.AsSpan(0, length), out _));
        }

        Assert.Equal(OperationStatus.Done, WebSocketFrameHeader.TryRead(frame.AsSpan(0, 14), out var header));
        Assert.Equal((14, 70_000L), (header.Length, header.PayloadLength));
    }

    [Theory]
    [InlineData(new byte[] { 0xC1, 0x00 })] // RSV1: compression, never agreed
    [InlineData(new byte[] { 0xA1, 0x00 })] // RSV2
    [InlineData(new byte[] { 0x83, 0x00 })] // opcode 3 is reserved
    [InlineData(new byte[] { 0x8B, 0x00 })] // opcode 0xB is reserved
    [InlineData(new byte[] { 0x09, 0x00 })] // a fragmented ping
    [InlineData(new byte[] { 0x88, 0x7E, 0x00, 0x7E })] // a close with 126 bytes of payload
    [InlineData(new byte[] { 0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 0 })] // a 64-bit length above 2^63
    public void Refuses_what_no_peer_may_send(byte[] bytes)
    {
        Assert.Equal(OperationStatus.InvalidData, WebSocketFrameHeader.TryRead(bytes, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(65535)]
    [InlineData(65536)]
    [InlineData(11_000_000)]
    public void Writes_the_shortest_length_encoding(int payloadLength)
    {
        var written = new byte[WebSocketFrameHeader.MaxLength];
        var header = WebSocketFrameHeader.Unmasked(true, WebSocketOpcode.Text, payloadLength);

        header.Write(written);

        var expected = TestFrames.Frame(WebSocketOpcode.Text, new byte[payloadLength]).AsSpan(0, header.Length).ToArray();
        Assert.Equal(expected, written.AsSpan(0, header.Length).ToArray());
    }
}
