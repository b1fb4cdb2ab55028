using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace UFBrowsers.Api.Gateway.Policy;

/// <summary>
/// Reads the top level of one CDP command as its bytes pass, in pieces of any size: the <c>method</c>, <c>id</c> and
/// <c>sessionId</c> members, and nothing of <c>params</c> but its extent. String contents and nested values are skipped
/// with vectorized searches, so a large message costs little more than a copy.
/// </summary>
/// <remarks>
/// It must never see a different method than Chromium would. Chromium's parser (crdtp) is lenient where JSON is not: it
/// skips <c>//</c> and <c>/* */</c> comments between tokens, treats vertical tab and form feed as white space, and
/// silently drops invalid or overlong UTF-8 inside strings (so <c>"Browser.clos\x80e"</c> would reach it as
/// <c>Browser.close</c>). Rather than mirror every leniency, the scanner calls a message <see cref="CdpMessageHead.Unreadable"/>
/// when any of them could change the reading: a <c>/</c> outside a string, a byte above 0x7F or an escape other than
/// JSON's (and <c>\v</c>) in a top-level key or in the method, a second <c>method</c>, content after the top-level
/// object, or an object that does not end. No client library sends such a message, and Chromium rejects most of them.
/// </remarks>
public sealed class CdpMessageScanner
{
    /// <summary>Raw bytes kept of a top-level key: longer ASCII keys cannot decode to <c>id</c>, <c>method</c> or <c>sessionId</c> (6 bytes per character at most).</summary>
    private const int MaxKeyBytes = 64;

    /// <summary>Raw bytes kept of the method and the session id; a longer method decodes to more characters than any the policy names.</summary>
    public const int MaxValueBytes = 256;

    private const int MaxIdBytes = 24;

    private static readonly SearchValues<byte> StringEnds = SearchValues.Create("\"\\"u8);
    private static readonly SearchValues<byte> NestedSignificant = SearchValues.Create("\"{}[]/"u8);

    private readonly byte[] _capture = new byte[MaxValueBytes];
    private readonly char[] _method = new char[MaxValueBytes];
    private readonly byte[] _sessionId = new byte[MaxValueBytes];
    private int _captureLength;
    private bool _captureOverflow;
    private bool _captureNonAscii;

    private int _depth;
    private bool _started;
    private bool _ended;
    private bool _notObject;
    private bool _inString;
    private bool _escaped;
    private bool _expectKey;
    private Member _string;
    private Member _lastKey;
    private Member _value;
    private bool _inId;

    private int _methodLength;
    private bool _hasMethod;
    private int? _id;
    private int _sessionIdLength = -1;
    private bool _unreadable;
    private bool _finished;

    private readonly byte[] _idBytes = new byte[MaxIdBytes];
    private int _idLength;

    private enum Member : byte
    {
        None,
        Key,
        Method,
        Id,
        SessionId,
        Other,
    }

    /// <summary>Forgets the message read so far, for the next one.</summary>
    public void Reset()
    {
        _captureLength = 0;
        _captureOverflow = false;
        _captureNonAscii = false;
        _depth = 0;
        _started = false;
        _ended = false;
        _notObject = false;
        _inString = false;
        _escaped = false;
        _expectKey = false;
        _string = Member.None;
        _lastKey = Member.None;
        _value = Member.None;
        _inId = false;
        _methodLength = 0;
        _hasMethod = false;
        _id = null;
        _sessionIdLength = -1;
        _unreadable = false;
        _finished = false;
        _idLength = 0;
    }

    /// <summary>Reads the next piece of the (unmasked) message.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Feed(ReadOnlySpan<byte> data)
    {
        var i = 0;
        while (i < data.Length && !_unreadable && !_notObject)
        {
            if (_inString)
            {
                i = ReadString(data, i);
                continue;
            }

            if (_depth > 1)
            {
                var next = data[i..].IndexOfAny(NestedSignificant);
                if (next < 0)
                {
                    return;
                }

                i += next;
            }

            var b = data[i++];
            if (_inId && !IsIdByte(b))
            {
                EndId();
            }

            switch (b)
            {
                case (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\v' or (byte)'\f':
                    break;
                case (byte)'/':
                    _unreadable = true;
                    break;
                case (byte)'"':
                    BeginString();
                    break;
                case (byte)'{' or (byte)'[':
                    if (_depth == 0)
                    {
                        if (_ended || b == (byte)'[')
                        {
                            Outside();
                            break;
                        }

                        _started = true;
                        _expectKey = true;
                    }

                    _depth++;
                    break;
                case (byte)'}' or (byte)']':
                    if (_depth == 0)
                    {
                        Outside();
                        break;
                    }

                    if (--_depth == 0)
                    {
                        _ended = true;
                    }

                    break;
                case (byte)',' when _depth == 1:
                    _expectKey = true;
                    _value = Member.None;
                    break;
                case (byte)':' when _depth == 1:
                    _value = _lastKey;
                    _expectKey = false;
                    break;
                default:
                    if (_depth == 0)
                    {
                        Outside();
                    }
                    else if (_depth == 1 && _value == Member.Id && IsIdByte(b))
                    {
                        _inId = true;
                        if (_idLength < MaxIdBytes)
                        {
                            _idBytes[_idLength] = b;
                        }

                        _idLength++;
                    }

                    break;
            }
        }
    }

    /// <summary>Ends the message: call once its last byte has been fed, before reading <see cref="Method"/> or <see cref="Unreadable"/>.</summary>
    public void Finish()
    {
        if (_inId)
        {
            EndId();
        }

        if (_notObject || (!_started && !_unreadable))
        {
            _unreadable = false;
            _methodLength = 0;
            _id = null;
            _sessionIdLength = -1;
        }
        else
        {
            _unreadable |= _inString || !_ended || _depth != 0;
        }

        _finished = true;
    }

    /// <summary>The decoded method; empty when there is none or it is longer than any method the policy names.</summary>
    public ReadOnlySpan<char> Method => _finished ? _method.AsSpan(0, _methodLength) : throw NotFinished();

    /// <summary>The bytes use a leniency of Chromium's parser that could hide the method (see the remarks).</summary>
    public bool Unreadable => _finished ? _unreadable : throw NotFinished();

    /// <summary>What the gateway needs to answer the command itself. Allocates: for the few commands it does not relay.</summary>
    public CdpMessageHead Head()
    {
        var sessionId = _sessionIdLength < 0 ? null : JsonStringDecoder.Decode(_sessionId.AsSpan(0, _sessionIdLength));
        return new CdpMessageHead(_methodLength > 0 ? new string(Method) : null, _id, sessionId, Unreadable);
    }

    private static InvalidOperationException NotFinished() => new("The message has not been finished.");

    private static bool IsIdByte(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'+' or (byte)'.' or (byte)'e' or (byte)'E';

    /// <summary>Content outside the top-level object: before it (not an object at all) or after it.</summary>
    private void Outside()
    {
        if (_started)
        {
            _unreadable = true;
        }
        else
        {
            _notObject = true;
        }
    }

    private void BeginString()
    {
        _inString = true;
        _escaped = false;
        _captureLength = 0;
        _captureOverflow = false;
        _captureNonAscii = false;
        if (_depth != 1)
        {
            _string = _depth == 0 ? Member.Other : Member.None;
            if (_depth == 0)
            {
                Outside();
            }

            return;
        }

        if (_expectKey)
        {
            _string = Member.Key;
        }
        else
        {
            _string = _value is Member.Method or Member.SessionId ? _value : Member.None;
            if (_value == Member.Id)
            {
                // A string id: Chromium wants an integer, so the message fails there; it is not an id to answer to.
                _value = Member.Other;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int ReadString(ReadOnlySpan<byte> data, int i)
    {
        var capturing = _string is Member.Key or Member.Method or Member.SessionId;
        while (i < data.Length)
        {
            if (_escaped)
            {
                _escaped = false;
                Capture(data[i++], capturing);
                continue;
            }

            if (!capturing)
            {
                var next = data[i..].IndexOfAny(StringEnds);
                if (next < 0)
                {
                    return data.Length;
                }

                i += next;
            }

            var b = data[i++];
            if (b == (byte)'"')
            {
                _inString = false;
                EndString();
                return i;
            }

            if (b == (byte)'\\')
            {
                _escaped = true;
            }

            Capture(b, capturing);
        }

        return i;
    }

    private void Capture(byte b, bool capturing)
    {
        if (!capturing)
        {
            return;
        }

        if (b > 0x7F)
        {
            _captureNonAscii = true;
        }

        if (_captureLength < _capture.Length)
        {
            _capture[_captureLength++] = b;
        }
        else
        {
            _captureOverflow = true;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EndString()
    {
        var member = _string;
        _string = Member.None;
        if (member == Member.Key)
        {
            _expectKey = false;
            _lastKey = Member.Other;
            if (_captureNonAscii)
            {
                _unreadable = true;
                return;
            }

            if (!_captureOverflow && _captureLength <= MaxKeyBytes)
            {
                Span<char> key = stackalloc char[MaxKeyBytes];
                if (!JsonStringDecoder.TryDecode(_capture.AsSpan(0, _captureLength), key, out var length))
                {
                    _unreadable = true;
                    return;
                }

                _lastKey = key[..length] switch
                {
                    "method" => Member.Method,
                    "id" => Member.Id,
                    "sessionId" => Member.SessionId,
                    _ => Member.Other,
                };
            }

            return;
        }

        if (member == Member.Method)
        {
            if (_hasMethod || _captureNonAscii)
            {
                _unreadable = true;
                return;
            }

            _hasMethod = true;
            if (!_captureOverflow)
            {
                _unreadable |= !JsonStringDecoder.TryDecode(_capture.AsSpan(0, _captureLength), _method, out _methodLength);
            }

            return;
        }

        if (member == Member.SessionId && !_captureOverflow && !_captureNonAscii)
        {
            _capture.AsSpan(0, _captureLength).CopyTo(_sessionId);
            _sessionIdLength = _captureLength;
        }
    }

    private void EndId()
    {
        _inId = false;
        _value = Member.Other;
        if (_idLength <= MaxIdBytes
            && double.TryParse(_idBytes.AsSpan(0, _idLength), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && value is >= int.MinValue and <= int.MaxValue
            && value == Math.Floor(value))
        {
            _id = (int)value;
        }
    }
}
