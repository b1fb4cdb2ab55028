using System.Buffers;
using System.Runtime.CompilerServices;

namespace UFBrowsers.Api.Gateway.Policy;

/// <summary>
/// Follows the client's frames through the relay's buffer and applies <see cref="CdpPolicy"/> to every message, while
/// leaving the bytes of every message it lets through untouched. Each data message's payload is unmasked into a scratch
/// buffer and searched for what could name a policed method (<see cref="CdpPolicy.MightName"/>: two vectorized
/// searches); only a message with such a hit has its top level read (<see cref="CdpMessageScanner"/>), only one whose
/// method the policy names is parsed further, and only such a message is replaced or answered by the gateway.
/// </summary>
/// <remarks>
/// A message that has not all arrived is held back in the buffer until it has, so it can be judged before any of it
/// reaches the browser: CDP commands are small, and the browser could not act on half a message anyway. A message too
/// large for the buffer flows on as it arrives, read on the way; its last byte is withheld until the verdict, and if it
/// turns out to be a policed command the connection is closed (1008) with the command unfinished, so the browser never
/// runs it. Control frames are never held on their own account, only with a held message they interrupt.
/// The hot methods are compiled optimized from the first call (<see cref="MethodImplOptions.AggressiveOptimization"/>):
/// a new process would otherwise read its first thousands of messages through unoptimized code.
/// </remarks>
public sealed class ClientMessageInspector : IDisposable
{
    private readonly string? _downloadsDirectory;
    private readonly long _maxMessageBytes;
    private readonly int _capacity;
    private readonly FrameCursor _frames = new();
    private readonly CdpMessageScanner _scanner = new();
    private readonly byte[] _payload;
    private readonly char[] _chars;
    private readonly List<(int Start, int Length)> _heldControlFrames = [];
    private readonly byte[] _maskKey = new byte[4];

    private int _held;
    private bool _inMessage;
    private bool _streaming;
    private WebSocketOpcode _opcode;
    private long _messageBytes;
    private int _payloadLength;
    private long _maskOffset;
    private bool _frameFin;
    private bool _midFrame;

    /// <param name="capacity">The size of the buffer the relay reads into; a message held back must fit in it.</param>
    public ClientMessageInspector(string? downloadsDirectory, long maxMessageBytes, int capacity)
    {
        _downloadsDirectory = downloadsDirectory;
        _maxMessageBytes = maxMessageBytes;
        _capacity = capacity;
        _payload = ArrayPool<byte>.Shared.Rent(capacity);
        _chars = ArrayPool<char>.Shared.Rent(capacity);
    }

    /// <summary>
    /// Reads <c>buffer[0..length)</c>: the bytes this inspector held back at the start of the buffer on its last call,
    /// then what arrived since. Says how many bytes from the start go to the browser as they are, what to do then, and
    /// how many bytes are done with; the caller drops those from the start of the buffer and calls again while
    /// <see cref="InspectorStep.More"/> is set, else reads more.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public InspectorStep Inspect(Span<byte> buffer, int length)
    {
        var holding = _inMessage && !_streaming;
        var position = holding ? _held : 0;
        var clear = 0;
        while (position < length)
        {
            var data = buffer[position..length];
            if (_midFrame)
            {
                var piece = _frames.Next(data);
                Scan(data.Slice(0, piece.Length), hold: false);
                if (piece.EndsFrame && _frameFin && Judge() is not null)
                {
                    return Stop(clear, InspectorStop.PolicyViolation);
                }

                position += piece.Length;
                clear = position;
                if (piece.EndsFrame)
                {
                    EndFrame();
                }

                continue;
            }

            var status = WebSocketFrameHeader.TryRead(data, out var header);
            if (status == OperationStatus.NeedMoreData)
            {
                break;
            }

            if (status == OperationStatus.InvalidData || !header.Masked)
            {
                return Stop(clear, InspectorStop.Invalid);
            }

            if (header.IsControl)
            {
                var piece = _frames.Next(data);
                if (piece.Kind == FramePieceKind.NeedMore)
                {
                    break;
                }

                if (header.Opcode == WebSocketOpcode.Close)
                {
                    var (closeStatus, closeReason) = CloseFrame.Read(data[..piece.Length]);
                    ResetMessage();
                    return new InspectorStep(position + piece.Length, position + piece.Length, InspectorStop.Closed, More: false)
                    {
                        CloseStatus = closeStatus,
                        CloseReason = closeReason,
                    };
                }

                if (_inMessage && !_streaming)
                {
                    _heldControlFrames.Add((position, piece.Length));
                }
                else
                {
                    clear = position + piece.Length;
                }

                position += piece.Length;
                continue;
            }

            if ((header.Opcode == WebSocketOpcode.Continuation) != _inMessage)
            {
                return Stop(clear, InspectorStop.Invalid);
            }

            var messageBytes = (_inMessage ? _messageBytes : 0) + header.PayloadLength;
            if (messageBytes > _maxMessageBytes)
            {
                return Stop(clear, InspectorStop.TooBig);
            }

            var frameBytes = header.Length + header.PayloadLength;
            if (data.Length < frameBytes)
            {
                if (!_streaming && position - clear + frameBytes <= _capacity)
                {
                    // Hold the message back until this frame has all arrived.
                    break;
                }

                if (!_streaming)
                {
                    // Too large to hold: what is held so far goes on, read, and the rest flows as it arrives.
                    BeginMessageIfFirst(header);
                    StartStreaming();
                    clear = position;
                }

                if (data.Length == header.Length)
                {
                    break;
                }

                BeginMessageIfFirst(header);
                _messageBytes = messageBytes;
                _inMessage = true;
                header.CopyMaskKey(data, _maskKey);
                _maskOffset = 0;
                _frameFin = header.Fin;
                var start = _frames.Next(data);
                Scan(data.Slice(header.Length, start.PayloadLength), hold: false);
                _midFrame = true;
                position += start.Length;
                clear = position;
                continue;
            }

            BeginMessageIfFirst(header);
            _messageBytes = messageBytes;
            _inMessage = !header.Fin;
            header.CopyMaskKey(data, _maskKey);
            _maskOffset = 0;
            _frames.Next(data);
            Scan(data.Slice(header.Length, (int)header.PayloadLength), hold: !_streaming);
            position += (int)frameBytes;
            if (!header.Fin)
            {
                if (_streaming)
                {
                    clear = position;
                }

                continue;
            }

            var verdict = Judge();
            if (_streaming)
            {
                if (verdict is not null)
                {
                    return Stop(clear, InspectorStop.PolicyViolation);
                }

                clear = position;
                ResetMessage();
                continue;
            }

            if (verdict is null)
            {
                clear = position;
                ResetMessage();
                continue;
            }

            var step = verdict.Value with { Forward = clear, Consumed = position, More = true };
            if (_heldControlFrames.Count > 0)
            {
                step = step with { ToBrowser = [.. HeldControlFrames(buffer), .. step.ToBrowser ?? []] };
            }

            ResetMessage();
            return step;
        }

        if (_inMessage && !_streaming)
        {
            if (length - clear >= _capacity)
            {
                // A full buffer that cannot take the rest of the message (or of a frame header): let what is held go on.
                StartStreaming();
                clear = position;
            }
            else
            {
                _held = position - clear;
                ShiftHeldControlFrames(clear);
                return new InspectorStep(clear, clear, null, More: false);
            }
        }

        _held = 0;
        return new InspectorStep(clear, clear, null, More: false);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_payload);
        ArrayPool<char>.Shared.Return(_chars);
    }

    private static InspectorStep Stop(int forward, InspectorStop stop) => new(forward, forward, stop, More: false);

    private void BeginMessageIfFirst(WebSocketFrameHeader header)
    {
        if (header.Opcode != WebSocketOpcode.Continuation && !_inMessage)
        {
            _scanner.Reset();
            _payloadLength = 0;
            _opcode = header.Opcode;
            _heldControlFrames.Clear();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Scan(ReadOnlySpan<byte> masked, bool hold)
    {
        var target = hold ? _payload.AsSpan(_payloadLength, masked.Length) : _payload.AsSpan(0, masked.Length);
        Masking.Apply(masked, target, _maskKey, _maskOffset);
        _maskOffset += masked.Length;
        if (hold)
        {
            // Read when the message is whole, and only if it might name a policed method (Judge).
            _payloadLength += masked.Length;
        }
        else
        {
            _scanner.Feed(target);
        }
    }

    /// <summary>The message will flow as it arrives: what was held of it is read now, as the rest will be on the way.</summary>
    private void StartStreaming()
    {
        _streaming = true;
        _scanner.Feed(_payload.AsSpan(0, _payloadLength));
        _payloadLength = 0;
        _heldControlFrames.Clear();
    }

    private void EndFrame()
    {
        _midFrame = false;
        if (_frameFin)
        {
            ResetMessage();
        }
    }

    private void ResetMessage()
    {
        _inMessage = false;
        _streaming = false;
        _messageBytes = 0;
        _payloadLength = 0;
        _held = 0;
        _midFrame = false;
        _heldControlFrames.Clear();
    }

    /// <summary>What to do instead of relaying the message just completed; null to relay it.</summary>
    private InspectorStep? Judge()
    {
        if (!_streaming)
        {
            var payload = _payload.AsSpan(0, _payloadLength);
            if (!CdpPolicy.MightName(payload, _chars))
            {
                return null;
            }

            _scanner.Feed(payload);
        }

        _scanner.Finish();
        if (_scanner.Unreadable)
        {
            return Reply(CdpReplies.Error(_scanner.Head(), CdpReplies.UnreadableCode,
                "The UFBrowsers gateway could not read this command: send plain JSON without comments, with an ASCII method name."));
        }

        var rule = CdpPolicy.For(_scanner.Method);
        if (rule.Kind == CdpRuleKind.Relay)
        {
            return null;
        }

        var head = _scanner.Head();
        switch (rule.Kind)
        {
            case CdpRuleKind.EndSession:
                return new InspectorStep(0, 0, null, More: true)
                {
                    ToClient = CdpReplies.EmptyResult(head),
                    EndSession = true,
                    Original = _streaming ? null : Masking.ClientFrame(_opcode, _payload.AsSpan(0, _payloadLength)),
                };
            case CdpRuleKind.Refuse:
                return Reply(CdpReplies.Error(head, CdpReplies.RefusedCode, $"{head.Method} is refused by the UFBrowsers gateway: {rule.Reason}."));
            default:
                if (_streaming)
                {
                    return Reply([]);
                }

                var command = DownloadConfinement.Confine(_payload.AsSpan(0, _payloadLength), _downloadsDirectory);
                if (command.Refusal is { } refusal)
                {
                    return Reply(CdpReplies.Error(head, CdpReplies.RefusedCode, $"{head.Method} is refused by the UFBrowsers gateway: {refusal}."));
                }

                return command.Payload is { } payload
                    ? new InspectorStep(0, 0, null, More: true) { ToBrowser = Masking.ClientFrame(_opcode, payload) }
                    : null;
        }
    }

    private static InspectorStep Reply(byte[] toClient) => new(0, 0, null, More: true) { ToClient = toClient };

    private byte[] HeldControlFrames(Span<byte> buffer)
    {
        var frames = new List<byte>();
        foreach (var (start, length) in _heldControlFrames)
        {
            frames.AddRange(buffer.Slice(start, length));
        }

        return [.. frames];
    }

    private void ShiftHeldControlFrames(int by)
    {
        for (var i = 0; i < _heldControlFrames.Count; i++)
        {
            _heldControlFrames[i] = (_heldControlFrames[i].Start - by, _heldControlFrames[i].Length);
        }
    }
}
