using System.Net.WebSockets;
using UFBrowsers.Api.Gateway;

namespace UFBrowsers.Api.Tests.Gateway;

public sealed class ServerFrameSplitterTests
{
    private const int Headroom = ServerFrameSplitter.Headroom;

    [Theory]
    [InlineData(1, 1)]
    [InlineData(13, 2)]
    [InlineData(500, 3)]
    [InlineData(4096, 4)]
    [InlineData(65536, 5)]
    public void Every_write_is_whole_frames_and_the_messages_arrive_unchanged(int maxRead, int seed)
    {
        byte[][] messages = [TestFrames.Payload(10, 1), TestFrames.Payload(125, 2), TestFrames.Payload(126, 3), TestFrames.Payload(65535, 4),
            TestFrames.Payload(65536, 5), TestFrames.Payload(300_000, 6), [], TestFrames.Payload(1, 7)];
        var stream = new List<byte>();
        foreach (var message in messages)
        {
            stream.AddRange(TestFrames.Frame(WebSocketOpcode.Ping, [1, 2, 3]));
            stream.AddRange(TestFrames.Frame(WebSocketOpcode.Text, message));
        }

        // A message the browser fragments itself, with a pong between its fragments.
        stream.AddRange(TestFrames.Frame(WebSocketOpcode.Binary, TestFrames.Payload(70_000, 8), fin: false));
        stream.AddRange(TestFrames.Frame(WebSocketOpcode.Pong, []));
        stream.AddRange(TestFrames.Frame(WebSocketOpcode.Continuation, TestFrames.Payload(200, 9)));

        var writes = Relay(stream.ToArray(), maxRead, new Random(seed), out var stop);

        Assert.Null(stop);
        var (received, controlFrames) = Receive(writes);
        Assert.Equal([.. messages, [.. TestFrames.Payload(70_000, 8), .. TestFrames.Payload(200, 9)]], received);
        Assert.Equal(messages.Length + 1, controlFrames);
    }

    [Fact]
    public void A_frame_cut_short_becomes_a_fragment_with_a_shorter_length_field_and_what_came_before_moves_up()
    {
        var small = TestFrames.Frame(WebSocketOpcode.Text, [42]);
        var large = TestFrames.Frame(WebSocketOpcode.Text, TestFrames.Payload(70_000, 1));
        var buffer = new byte[Headroom + 4096];
        var end = Headroom;
        foreach (var bytes in new[] { small, large.AsSpan(0, 1010).ToArray() })
        {
            bytes.CopyTo(buffer, end);
            end += bytes.Length;
        }

        var split = new ServerFrameSplitter().Split(buffer, end);

        // 10 bytes of 64-bit header became 4 bytes of 16-bit header: the write starts 6 bytes later.
        Assert.Equal((Headroom + 6, end, end), (split.Start, split.End, split.Held));
        Assert.Equal(
            [.. small, .. TestFrames.Frame(WebSocketOpcode.Text, TestFrames.Payload(70_000, 1).AsSpan(0, 1000).ToArray(), fin: false)],
            buffer[split.Start..split.End]);
    }

    [Fact]
    public void Stops_at_the_browsers_close_frame_and_sends_what_came_before()
    {
        var text = TestFrames.Frame(WebSocketOpcode.Text, [1, 2, 3]);
        var close = TestFrames.Close(1001, "going");
        var buffer = new byte[Headroom + 100];
        byte[] stream = [.. text, .. close, .. TestFrames.Frame(WebSocketOpcode.Text, [4])];
        stream.CopyTo(buffer, Headroom);

        var split = new ServerFrameSplitter().Split(buffer, Headroom + stream.Length);

        Assert.Equal(ServerFrameSplitStop.Close, split.Stop);
        Assert.Equal(text, buffer[split.Start..split.End]);
        Assert.Equal((WebSocketCloseStatus.EndpointUnavailable, "going"), CloseFrame.Read(buffer.AsSpan(split.End..split.Held)));
    }

    [Fact]
    public void A_masked_frame_from_the_browser_is_invalid()
    {
        var buffer = new byte[Headroom + 100];
        TestFrames.Frame(WebSocketOpcode.Text, [1], masked: true).CopyTo(buffer, Headroom);

        Assert.Equal(ServerFrameSplitStop.Invalid, new ServerFrameSplitter().Split(buffer, Headroom + 7).Stop);
    }

    /// <summary>Runs <paramref name="stream"/> through a splitter as the relay does, in reads of random size; returns the writes.</summary>
    private static List<byte[]> Relay(byte[] stream, int maxRead, Random random, out ServerFrameSplitStop? stop)
    {
        var splitter = new ServerFrameSplitter();
        var buffer = new byte[Headroom + Math.Max(maxRead, 256)];
        var writes = new List<byte[]>();
        var end = Headroom;
        var offset = 0;
        while (offset < stream.Length)
        {
            var read = Math.Min(Math.Min(random.Next(1, maxRead + 1), buffer.Length - end), stream.Length - offset);
            stream.AsSpan(offset, read).CopyTo(buffer.AsSpan(end));
            offset += read;
            end += read;

            var split = splitter.Split(buffer, end);
            if (split.End > split.Start)
            {
                writes.Add(buffer[split.Start..split.End]);
            }

            if (split.Stop is not null)
            {
                stop = split.Stop;
                return writes;
            }

            buffer.AsSpan(split.Held..end).CopyTo(buffer.AsSpan(Headroom));
            end = Headroom + end - split.Held;
        }

        Assert.Equal(Headroom, end);
        stop = null;
        return writes;
    }

    /// <summary>What a client makes of the writes: each must hold whole frames only. Returns the data messages and the number of control frames.</summary>
    private static (List<byte[]> Messages, int ControlFrames) Receive(List<byte[]> writes)
    {
        var cursor = new FrameCursor();
        var messages = new List<byte[]>();
        var message = new List<byte>();
        var controlFrames = 0;
        foreach (var write in writes)
        {
            var position = 0;
            while (position < write.Length)
            {
                var piece = cursor.Next(write.AsSpan(position));
                Assert.Equal(FramePieceKind.Whole, piece.Kind);
                Assert.False(piece.Frame.Masked);
                if (piece.Frame.IsControl)
                {
                    controlFrames++;
                }
                else
                {
                    message.AddRange(write.AsSpan(position + piece.Frame.Length, piece.PayloadLength));
                    if (piece.Frame.Fin)
                    {
                        messages.Add([.. message]);
                        message.Clear();
                    }
                }

                position += piece.Length;
            }
        }

        Assert.Empty(message);
        return (messages, controlFrames);
    }
}
