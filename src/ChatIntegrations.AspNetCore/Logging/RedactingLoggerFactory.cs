using System.Collections;
using Microsoft.Extensions.Logging;

namespace ChatIntegrations.AspNetCore.Logging;

/// <summary>Wraps the framework's loggers so that webhook tokens never reach a provider (SEC-4).</summary>
internal sealed class RedactingLoggerFactory(ILoggerFactory inner, HookPathRedactor redactor) : ILoggerFactory
{
    // Framework categories that print request paths: Hosting.Diagnostics, Routing, HttpLogging, Kestrel, …
    private const string FrameworkPrefix = "Microsoft.AspNetCore";

    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        return categoryName.StartsWith(FrameworkPrefix, StringComparison.Ordinal) ? new RedactingLogger(logger, redactor) : logger;
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();
}

internal sealed class RedactingLogger(ILogger inner, HookPathRedactor redactor) : ILogger
{
    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull
    {
        // The hosting scope carries RequestPath; every line logged inside the request would print it.
        if (RedactedState.TryCreate(state, null, redactor) is { } redacted) return inner.BeginScope(redacted);
        return inner.BeginScope(state);
    }

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel)) return;
        var message = formatter(state, exception);
        var redacted = RedactedState.TryCreate(state, message, redactor);
        Exception? ex = exception;
        if (exception is not null && redactor.Mentions(exception.ToString()))
        {
            // Exception texts cannot be rewritten in place; keep the type name and the redacted text.
            ex = new RedactedException(exception.GetType().FullName + ": " + redactor.Redact(exception.ToString()));
        }

        if (redacted is null && ReferenceEquals(ex, exception))
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
            return;
        }

        redacted ??= new RedactedState(message, state as IEnumerable<KeyValuePair<string, object?>>);
        inner.Log(logLevel, eventId, redacted, ex, static (s, _) => s.ToString());
    }

    private sealed class RedactedException(string message) : Exception(message)
    {
        public override string ToString() => Message;
    }
}

/// <summary>A log state or scope with webhook tokens removed from its text and from its structured values.</summary>
internal sealed class RedactedState : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly string _text;
    private readonly KeyValuePair<string, object?>[] _values;

    public RedactedState(string text, IEnumerable<KeyValuePair<string, object?>>? values)
    {
        _text = text;
        _values = values?.ToArray() ?? [];
    }

    private RedactedState(string text, KeyValuePair<string, object?>[] values)
    {
        _text = text;
        _values = values;
    }

    /// <summary>Returns a redacted copy when the text or any value mentions a webhook path, else <see langword="null"/>.</summary>
    public static RedactedState? TryCreate<TState>(TState state, string? message, HookPathRedactor redactor)
    {
        var dirty = redactor.Mentions(message);
        KeyValuePair<string, object?>[]? values = null;
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs)
            {
                if (value is null || value.GetType().IsPrimitive) continue;
                if (redactor.Mentions(value.ToString())) { dirty = true; break; }
            }

            if (dirty)
            {
                values = pairs.Select(p => p.Value is null || p.Value.GetType().IsPrimitive || p.Key == "{OriginalFormat}"
                    ? p
                    : new KeyValuePair<string, object?>(p.Key, Redact(p.Value, redactor))).ToArray();
            }
        }
        else if (state is string s)
        {
            dirty |= redactor.Mentions(s);
            message ??= s;
        }

        if (!dirty) return null;
        message ??= state?.ToString() ?? "";
        return new RedactedState(redactor.Redact(message), values ?? []);
    }

    private static object? Redact(object value, HookPathRedactor redactor)
    {
        var text = value.ToString();
        return redactor.Mentions(text) ? redactor.Redact(text!) : value;
    }

    public KeyValuePair<string, object?> this[int index] => _values[index];

    public int Count => _values.Length;

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => _text;
}
