using System.Threading.Channels;
using ChatIntegrations.Samples.ConsoleHost.Chat;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatIntegrations.AspNetCore.Tests.Infrastructure;

/// <summary>Wraps the sample's message sink and reports every message the engine posted (replies, incoming
/// webhooks) once it is stored, so tests await it instead of sleeping.</summary>
internal sealed class MessageFeed
{
    private readonly Channel<(ChatMessage Message, SendMessageResult Result)> _posted = Channel.CreateUnbounded<(ChatMessage, SendMessageResult)>();

    /// <summary>Installs the feed in the sample host (pass as the <c>configure</c> hook).</summary>
    public void Install(WebApplicationBuilder builder) =>
        builder.Services.Replace(ServiceDescriptor.Singleton<IMessageSink>(sp => new ObservingSink(sp.GetRequiredService<SampleMessageSink>(), this)));

    public int Waiting => _posted.Reader.Count;

    /// <summary>Waits for the next message the engine posted.</summary>
    public async Task<(ChatMessage Message, SendMessageResult Result)> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            return await _posted.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException("the engine posted no message in time");
        }
    }

    private sealed class ObservingSink(SampleMessageSink inner, MessageFeed feed) : IMessageSink
    {
        public async ValueTask<SendMessageResult> SendAsync(ChatMessage message, CancellationToken cancellationToken = default)
        {
            var result = await inner.SendAsync(message, cancellationToken);
            feed._posted.Writer.TryWrite((message, result));
            return result;
        }
    }
}
