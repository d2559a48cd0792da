using ChatIntegrations.AspNetCore.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Logging;

/// <summary>Keeps incoming webhook tokens out of ASP.NET Core's own log lines (SEC-4).</summary>
/// <remarks>
/// <para>ASP.NET Core logs the raw request path: <c>Microsoft.AspNetCore.Hosting.Diagnostics</c> ("Request starting
/// … /hooks/ID/TOKEN"), <c>Microsoft.AspNetCore.Routing</c> (candidate matching at Debug), HTTP logging
/// (<c>Microsoft.AspNetCore.HttpLogging</c>) and the <c>RequestPath</c> log scope that every other line carries when
/// scopes are included. The URL token is the sender's only credential, so these lines would leak it.</para>
/// <para><see cref="AddChatIntegrationsTokenRedaction"/> replaces the <see cref="ILoggerFactory"/> with one that
/// wraps every logger whose category starts with <c>Microsoft.AspNetCore</c>. Before a message, its structured
/// values or a scope reach any provider, every <c>{base}/{id}/…</c> path is rewritten to <c>{base}/{id}/***</c>.
/// It works with every provider (console, JSON console, OpenTelemetry, Serilog via <c>ILoggerProvider</c>) and keeps
/// per-provider filter rules, because the providers themselves are not wrapped.</para>
/// <para>Not covered: loggers that bypass <see cref="ILoggerFactory"/>, notably W3C logging
/// (<c>AddW3CLogging</c>), which writes files directly, and reverse-proxy or load-balancer access logs. Keep them off
/// for the hooks path, or redact there.</para>
/// </remarks>
public static class ChatIntegrationsLogRedaction
{
    /// <summary>Rewrites webhook paths in ASP.NET Core's framework log lines and scopes to <c>{base}/{id}/***</c>.
    /// Call it once per hooks base path; the order relative to other logging calls does not matter.</summary>
    /// <param name="builder">The logging builder, for example <c>WebApplicationBuilder.Logging</c>.</param>
    /// <param name="hooksBasePath">The hooks base path given to <c>MapChatIntegrations()</c>, including any
    /// <c>PathBase</c> suffix that precedes it is not needed.</param>
    /// <returns>The logging builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="hooksBasePath"/> does not start with <c>/</c>.</exception>
    public static ILoggingBuilder AddChatIntegrationsTokenRedaction(this ILoggingBuilder builder, string hooksBasePath = "/hooks")
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (string.IsNullOrEmpty(hooksBasePath) || hooksBasePath[0] != '/' || hooksBasePath.TrimEnd('/').Length == 0)
        {
            throw new ArgumentException("hooksBasePath must start with '/', for example /hooks.", nameof(hooksBasePath));
        }

        var existing = builder.Services.FirstOrDefault(d => d.ServiceType == typeof(HookPathRedactor))?.ImplementationInstance as HookPathRedactor;
        if (existing is not null)
        {
            existing.AddBasePath(hooksBasePath);
            return builder;
        }

        var redactor = new HookPathRedactor();
        redactor.AddBasePath(hooksBasePath);
        builder.Services.AddSingleton(redactor);
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new RedactingLoggerFactory(
            new LoggerFactory(
                sp.GetServices<ILoggerProvider>(),
                sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
                sp.GetService<IOptions<LoggerFactoryOptions>>(),
                sp.GetService<IExternalScopeProvider>()),
            redactor)));
        return builder;
    }

    /// <summary>Rewrites every <c>{hooksBasePath}/{id}/…</c> path in <paramref name="text"/> to
    /// <c>{hooksBasePath}/{id}/***</c>, for hosts that log request paths themselves.</summary>
    /// <param name="text">The text, for example a request path or a log line.</param>
    /// <param name="hooksBasePath">The hooks base path. The default is <c>/hooks</c>.</param>
    /// <returns>The text with token segments replaced.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static string RedactHookPaths(string text, string hooksBasePath = "/hooks")
    {
        ArgumentNullException.ThrowIfNull(text);
        var redactor = new HookPathRedactor();
        redactor.AddBasePath(hooksBasePath);
        return redactor.Redact(text);
    }
}
