using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace UFBrowsers.TestSupport;

/// <summary>Keeps every log line (level and formatted message), for tests that assert what was logged.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((logLevel, formatter(state, exception) + (exception is null ? "" : " " + exception.Message)));

    public override string ToString() => string.Join(Environment.NewLine, _entries.Select(e => $"{e.Level}: {e.Message}"));
}
