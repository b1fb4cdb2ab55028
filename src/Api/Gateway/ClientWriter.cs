namespace UFBrowsers.Api.Gateway;

/// <summary>
/// Writes to the client from both directions of a relay: the browser's frames, the gateway's answers to commands it
/// does not relay, and at last a close frame. One write at a time, each a whole number of frames, and nothing after
/// the close.
/// </summary>
internal sealed class ClientWriter(Stream client) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _closed;

    /// <summary>False when a close was already sent: the bytes were not written.</summary>
    public async ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> frames, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_closed)
            {
                return false;
            }

            await client.WriteAsync(frames, cancellationToken);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Writes the last frame the client gets.</summary>
    public async ValueTask CloseAsync(ReadOnlyMemory<byte> closeFrame, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_closed)
            {
                _closed = true;
                await client.WriteAsync(closeFrame, cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
