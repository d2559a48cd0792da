using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ChatIntegrations.AspNetCore.Tests.Infrastructure;

/// <summary>Captures every log line as text: message, structured values, scopes and exception.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() { }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new System.Text.StringBuilder($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (k, v) in pairs) line.Append($" | {k}={v}");
            }

            owner._scopes.ForEachScope((scope, sb) =>
            {
                sb.Append(" => ").Append(scope);
                if (scope is IEnumerable<KeyValuePair<string, object?>> sp)
                {
                    foreach (var (k, v) in sp) sb.Append($" {k}={v}");
                }
            }, line);
            if (exception is not null) line.Append(" ! ").Append(exception);
            owner.Lines.Enqueue(line.ToString());
        }
    }
}
