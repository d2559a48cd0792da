using ChatIntegrations.Tests.Security.Ssrf;
using ChatIntegrations.Tests.TestDoubles;

namespace ChatIntegrations.Tests.Delivery;

/// <summary>The <c>retryRules: "rocketchat"</c> compatibility switch end to end (DLV-13 second table, DLV-14, DLV-21).</summary>
public sealed class RocketChatRetryRulesTests
{
    private static async Task<(DeliveryFixture F, Integration I, DeliveryRecord D, TinyHttpServer Receiver)> RunOnceAsync(
        Func<TinyRequest, TinyResponse?> handler, CancellationToken ct, params DeliveryState[] states)
    {
        var f = new DeliveryFixture();
        var receiver = f.Receiver(handler);
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"), """{"retryRules":"rocketchat"}""");
        await f.StartAsync();
        await f.Engine.PublishAsync(DeliveryFixture.Message("hello"), ct);
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(!receiver.Requests.IsEmpty), ct);
        var d = await f.WaitForStateAsync(receiver.Requests.First().Headers["webhook-id"], ct, states);
        return (f, i, d, receiver);
    }

    [TestCase(200, "ok", DeliveryState.Succeeded, "after-http-call")]
    [TestCase(201, "created", DeliveryState.Succeeded, "after-http-call")]
    [TestCase(202, "queued", DeliveryState.Succeeded, "after-http-call")]
    [TestCase(200, "", DeliveryState.Pending, "going-to-retry-1")]
    [TestCase(204, "", DeliveryState.Pending, "going-to-retry-1")]
    [TestCase(203, "x", DeliveryState.Pending, "going-to-retry-1")]
    [TestCase(500, "boom", DeliveryState.Failed, "after-process-http-status-500")]
    [TestCase(500, "", DeliveryState.Pending, "going-to-retry-1")]
    [TestCase(404, "nope", DeliveryState.Pending, "going-to-retry-1")]
    [TestCase(400, "bad", DeliveryState.Pending, "going-to-retry-1")]
    [TestCase(503, "down", DeliveryState.Pending, "going-to-retry-1")]
    [TestCase(410, "", DeliveryState.Pending, "going-to-retry-1")]
    [CancelAfter(20_000)]
    public async Task Dispatcher_RocketChatRules_StatusAndBodyClassified_DLV13_DLV14(int status, string body, DeliveryState expected, string step,
        CancellationToken ct)
    {
        var (f, i, d, receiver) = await RunOnceAsync(_ => new TinyResponse(status, body), ct, DeliveryState.Succeeded, DeliveryState.Failed, DeliveryState.Pending);
        await using (f)
        {
            d.State.Should().Be(expected);
            d.Attempts.Should().Be(1);
            receiver.Requests.Should().ContainSingle();
            var h = (await f.HistoryAsync(i.Id)).Should().ContainSingle().Subject.Document;
            h["step"]!.GetValue<string>().Should().Be(step);
            h["error"]!.GetValue<bool>().Should().Be(expected != DeliveryState.Succeeded);
            (await f.Store.GetAsync(i.Id, ct))!.Enabled.Should().BeTrue("only a 410 with a body disables under these rules");
        }
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_RocketChatRules410WithBody_DisablesIntegration_DLV13_OUT80(CancellationToken ct)
    {
        var (f, i, d, receiver) = await RunOnceAsync(_ => new TinyResponse(410, "gone"), ct, DeliveryState.Failed);
        await using (f)
        {
            d.Attempts.Should().Be(1);
            (await f.Store.GetAsync(i.Id, ct))!.Enabled.Should().BeFalse();
            (await f.HistoryAsync(i.Id)).Single().Document["step"]!.GetValue<string>().Should().Be("after-process-http-status-410");
        }
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_RocketChatRulesConnectionRefused_FinalFailureWithoutRetry_DLV13(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var i = await f.CreateOutgoingAsync($"http://127.0.0.1:{TinyHttpServer.FreePort()}/hook", """{"retryRules":"rocketchat"}""");
        await f.StartAsync();

        await f.Engine.PublishAsync(DeliveryFixture.Message("hello"), ct);
        HistoryRecord? h = null;
        await DeliveryFixture.WaitUntilAsync(async () => (h = (await f.HistoryAsync(i.Id)).FirstOrDefault()) is not null, ct);
        var d = await f.WaitForStateAsync(h!.DeliveryId!, ct, DeliveryState.Failed, DeliveryState.Pending);

        d.State.Should().Be(DeliveryState.Failed, "network errors are final under the rocketchat rules");
        d.Attempts.Should().Be(1);
        h.Document["httpError"]!["code"]!.GetValue<string>().Should().Be("ECONNREFUSED");
        h.Document["error"]!.GetValue<bool>().Should().BeTrue();
        h.Document["step"]!.GetValue<string>().Should().NotStartWith("going-to-retry");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_RocketChatRulesEmpty200ThenBody_RetriedUntilSuccess_DLV13_DLV11(CancellationToken ct)
    {
        var answers = 0;
        var (f, i, d, receiver) = await RunOnceAsync(
            _ => Interlocked.Increment(ref answers) == 1 ? new TinyResponse(200, "") : new TinyResponse(200, "done"), ct, DeliveryState.Pending);
        await using (f)
        {
            f.Time.Advance(TimeSpan.FromMilliseconds(100)); // powers-of-ten, n = 0
            d = await f.WaitForStateAsync(d.Id, ct, DeliveryState.Succeeded);

            d.Attempts.Should().Be(2);
            receiver.Requests.Select(r => r.Headers["X-ChatIntegrations-Attempt"]).Should().Equal("1", "2");
            (await f.HistoryAsync(i.Id)).OrderBy(h => h.Attempt).Select(h => h.Document["step"]!.GetValue<string>())
                .Should().Equal("going-to-retry-1", "after-http-call");
        }
    }
}
