using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace UFBrowsers.Billing.Tests.Infrastructure;

/// <summary>Keeps every log entry (level, category, message) a host writes.</summary>
public sealed class LogSink : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public int Count(LogLevel level, string containing) =>
        Entries.Count(e => e.Level == level && e.Message.Contains(containing, StringComparison.Ordinal));

    public void Dispose()
    {
    }

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                sink.Entries.Enqueue((logLevel, category, formatter(state, exception)));
            }
        }
    }
}
