namespace UFBrowsers.Grains.Files;

/// <summary>A file opened for reading: its bytes and how many there are. The reader disposes it.</summary>
public sealed class FileContent(Stream content, long length) : IAsyncDisposable
{
    public Stream Content { get; } = content;

    public long Length { get; } = length;

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
