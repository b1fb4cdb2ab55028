using UFBrowsers.Api.Gateway;

namespace UFBrowsers.Api.Tests.Gateway;

public sealed class FrameCursorTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(1000)]
    [InlineData(65536)]
    public void Finds_every_frame_whatever_the_reads_are_cut_to(int readSize)
    {
        byte[][] frames =
        [
            TestFrames.Frame(WebSocketOpcode.Text, TestFrames.Payload(5, 1), masked: true),
            TestFrames.Frame(WebSocketOpcode.Text, TestFrames.Payload(300, 2), fin: false, masked: true),
            TestFrames.Frame(WebSocketOpcode.Ping, TestFrames.Payload(125, 3), masked: true),
            TestFrames.Frame(WebSocketOpcode.Continuation, TestFrames.Payload(70_000, 4), fin: false, masked: true),
            TestFrames.Frame(WebSocketOpcode.Continuation, [], masked: true),
            TestFrames.Frame(WebSocketOpcode.Binary, [], masked: true),
            TestFrames.Close(1000, "bye", masked: true),
        ];

        var found = Follow(frames.SelectMany(f => f).ToArray(), readSize);

        Assert.Equal(
            [(WebSocketOpcode.Text, true, 5L), (WebSocketOpcode.Text, false, 300L), (WebSocketOpcode.Ping, true, 125L), (WebSocketOpcode.Continuation, false, 70_000L),
                (WebSocketOpcode.Continuation, true, 0L), (WebSocketOpcode.Binary, true, 0L), (WebSocketOpcode.Close, true, 5L)],
            found.Select(f => (f.Header.Opcode, f.Header.Fin, f.PayloadSeen)));
        Assert.All(found, f => Assert.True(f.Header.Masked));
    }

    [Fact]
    public void Reports_a_control_frame_only_once_it_has_all_arrived()
    {
        var ping = TestFrames.Frame(WebSocketOpcode.Ping, TestFrames.Payload(100, 1));
        var cursor = new FrameCursor();

        Assert.Equal(FramePieceKind.NeedMore, cursor.Next(ping.AsSpan(0, 101)).Kind);
        var piece = cursor.Next(ping);

        Assert.Equal((FramePieceKind.Whole, 102, 100, true), (piece.Kind, piece.Length, piece.PayloadLength, piece.EndsFrame));
    }

    [Fact]
    public void Waits_for_the_first_byte_of_a_data_frame_before_reporting_its_start()
    {
        var frame = TestFrames.Frame(WebSocketOpcode.Text, TestFrames.Payload(200, 1));
        var cursor = new FrameCursor();

        Assert.Equal(FramePieceKind.NeedMore, cursor.Next(frame.AsSpan(0, 4)).Kind);
        var start = cursor.Next(frame.AsSpan(0, 5));
        var rest = cursor.Next(frame.AsSpan(5));

        Assert.Equal((FramePieceKind.Start, 5, 1, false), (start.Kind, start.Length, start.PayloadLength, start.EndsFrame));
        Assert.Equal((FramePieceKind.Continuation, 199, 199, true), (rest.Kind, rest.Length, rest.PayloadLength, rest.EndsFrame));
        Assert.Equal(WebSocketOpcode.Text, rest.Frame.Opcode);
    }

    [Fact]
    public void Refuses_a_continuation_outside_a_message_and_a_new_message_inside_one()
    {
        var stray = new FrameCursor();
        Assert.Equal(FramePieceKind.Invalid, stray.Next(TestFrames.Frame(WebSocketOpcode.Continuation, [1])).Kind);

        var interrupted = new FrameCursor();
        Assert.Equal(FramePieceKind.Whole, interrupted.Next(TestFrames.Frame(WebSocketOpcode.Text, [1], fin: false)).Kind);
        Assert.Equal(FramePieceKind.Whole, interrupted.Next(TestFrames.Frame(WebSocketOpcode.Pong, [])).Kind);
        Assert.Equal(FramePieceKind.Invalid, interrupted.Next(TestFrames.Frame(WebSocketOpcode.Text, [2])).Kind);
    }

    /// <summary>Reads <paramref name="stream"/> as the relay does: in reads of at most <paramref name="readSize"/> bytes, an unfinished header kept for the next.</summary>
    private static List<(WebSocketFrameHeader Header, long PayloadSeen)> Follow(byte[] stream, int readSize)
    {
        var cursor = new FrameCursor();
        var found = new List<(WebSocketFrameHeader Header, long PayloadSeen)>();
        var pending = new List<byte>();
        for (var offset = 0; offset < stream.Length; offset += readSize)
        {
            pending.AddRange(stream.AsSpan(offset, Math.Min(readSize, stream.Length - offset)));
            var data = pending.ToArray();
            var position = 0;
            while (position < data.Length)
            {
                var piece = cursor.Next(data.AsSpan(position));
                Assert.NotEqual(FramePieceKind.Invalid, piece.Kind);
                if (piece.Kind == FramePieceKind.NeedMore)
                {
                    break;
                }

                if (piece.Kind == FramePieceKind.Continuation)
                {
                    found[^1] = (found[^1].Header, found[^1].PayloadSeen + piece.PayloadLength);
                }
                else
                {
                    found.Add((piece.Frame, piece.PayloadLength));
                }

                position += piece.Length;
            }

            pending.RemoveRange(0, position);
        }

        Assert.Empty(pending);
        return found;
    }
}
