using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace UFBrowsers.Api.Tests.Observability;

/// <summary>A logger provider that keeps every entry as text: category, message, structured values, exception and scopes.</summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<CapturedLog> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder().Append(formatter(state, exception));
            var scopes = new Dictionary<string, string>();
            Append(text, state, scopes: null);
            owner._scopes.ForEachScope((scope, _) => Append(text, scope, scopes), (object?)null);
            text.Append(' ').Append(exception);
            owner.Entries.Enqueue(new CapturedLog(logLevel, category, text.ToString(), scopes));
        }

        private static void Append(StringBuilder text, object? values, Dictionary<string, string>? scopes)
        {
            if (values is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    text.Append(' ').Append(key).Append('=').Append(value);
                    scopes?.TryAdd(key, value?.ToString() ?? "");
                }
            }
            else if (values is IEnumerable<KeyValuePair<string, object>> objects)
            {
                foreach (var (key, value) in objects)
                {
                    text.Append(' ').Append(key).Append('=').Append(value);
                    scopes?.TryAdd(key, value?.ToString() ?? "");
                }
            }
            else
            {
                text.Append(' ').Append(values);
            }
        }
    }
}

public sealed record CapturedLog(LogLevel Level, string Category, string Text, IReadOnlyDictionary<string, string> Scopes);
