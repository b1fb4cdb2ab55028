using Npgsql;

namespace UFBrowsers.Silo.Persistence;

/// <summary>A stored download read one chunk at a time (a query per chunk, no connection held between reads).</summary>
internal sealed class ChunkedFileStream(NpgsqlDataSource dataSource, long fileId, long length) : Stream
{
    private byte[] _chunk = [];
    private int _offset;
    private int _nextSeq;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_offset == _chunk.Length)
        {
            if (_position >= length || !await NextChunkAsync(cancellationToken))
            {
                return 0;
            }
        }

        var count = Math.Min(buffer.Length, _chunk.Length - _offset);
        _chunk.AsMemory(_offset, count).CopyTo(buffer);
        _offset += count;
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private async Task<bool> NextChunkAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT data FROM session_file_chunks WHERE file_id = $1 AND seq = $2");
        command.Parameters.AddWithValue(fileId);
        command.Parameters.AddWithValue(_nextSeq);
        if (await command.ExecuteScalarAsync(cancellationToken) is not byte[] data || data.Length == 0)
        {
            return false;
        }

        _chunk = data;
        _offset = 0;
        _nextSeq++;
        return true;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
