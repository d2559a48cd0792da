using System.Text.Json.Nodes;
using ChatIntegrations.Tests.Security.Ssrf;
using ChatIntegrations.Tests.TestDoubles;

namespace ChatIntegrations.Tests.Delivery;

/// <summary>The dispatcher end to end: real loopback receivers, the real guarded client and script host, the in-memory
/// store, and a manual clock.</summary>
public sealed class DeliveryDispatcherTests
{
    private static async Task<DeliveryRecord> OnlyDeliveryAsync(DeliveryFixture f, string integrationId, CancellationToken ct)
    {
        HistoryRecord? first = null;
        await DeliveryFixture.WaitUntilAsync(async () => (first = (await f.HistoryAsync(integrationId)).LastOrDefault(h => h.DeliveryId is not null)) is not null, ct);
        return (await f.Store.GetDeliveryAsync(first!.DeliveryId!, ct))!;
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PublishAsync_200Answer_DeliversOnceWithHeadersAndRecordsHistory_GEN3_DLV7_OUT61_DLV20(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var receiver = f.Receiver();
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"), """{"triggerWords":["!deploy"]}""");
        await f.StartAsync();

        await f.Engine.PublishAsync(DeliveryFixture.Message("!deploy prod"), ct);
        var d = await OnlyDeliveryAsync(f, i.Id, ct);
        d = await f.WaitForStateAsync(d.Id, ct, DeliveryState.Succeeded);

        d.Attempts.Should().Be(1);
        receiver.Requests.Should().ContainSingle();
        var request = receiver.Requests.Single();
        request.Method.Should().Be("POST");
        request.Headers["webhook-id"].Should().Be(d.Id);
        request.Headers["webhook-timestamp"].Should().Be(f.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers["X-ChatIntegrations-Attempt"].Should().Be("1");
        request.Headers["User-Agent"].Should().StartWith("ChatIntegrations/");
        request.Headers["Content-Type"].Should().StartWith("application/json");
        request.Headers.Should().NotContainKey("webhook-signature");
        var body = JsonNode.Parse(request.Body)!.AsObject();
        body["token"]!.GetValue<string>().Should().Be(i.Token);
        body["trigger_word"]!.GetValue<string>().Should().Be("!deploy");
        body["text"]!.GetValue<string>().Should().Be("!deploy prod");

        var history = (await f.HistoryAsync(i.Id)).Should().ContainSingle().Subject.Document;
        history["step"]!.GetValue<string>().Should().Be("after-http-call");
        history["finished"]!.GetValue<bool>().Should().BeTrue();
        history["error"]!.GetValue<bool>().Should().BeFalse();
        history["httpResult"]!["status"]!.GetValue<int>().Should().Be(200);
        history.ToJsonString().Should().NotContain(i.Token); // SEC-16
        history["data"]!["token"].Should().BeNull("the stored payload has no token (DLV-1)");
        history["httpCallData"]!["data"]!["token"]!.GetValue<string>().Should().Be("[redacted]");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_404Answer_OneAttemptFinalFailure_DLV13(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var receiver = f.Receiver(_ => new TinyResponse(404, "nope"));
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"));
        await f.StartAsync();

        await f.Engine.PublishAsync(DeliveryFixture.Message("hello"), ct);
        var d = await f.WaitForStateAsync((await OnlyDeliveryAsync(f, i.Id, ct)).Id, ct, DeliveryState.Failed);

        d.Attempts.Should().Be(1);
        receiver.Requests.Should().ContainSingle();
        var h = (await f.HistoryAsync(i.Id)).Single().Document;
        h["error"]!.GetValue<bool>().Should().BeTrue();
        h["finished"]!.GetValue<bool>().Should().BeTrue();
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Dispatcher_503Answers_RetriesRetryCountTimesAtFormulaDelays_DLV10_DLV11_DLV14_DLV18(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var receiver = f.Receiver(_ => new TinyResponse(503));
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"), """{"retryCount":3,"retryDelay":"powers-of-two"}""");
        await f.StartAsync();
        var start = f.Time.GetUtcNow();

        await f.Engine.PublishAsync(DeliveryFixture.Message("hello"), ct);
        var d = await f.WaitForStateAsync((await OnlyDeliveryAsync(f, i.Id, ct)).Id, ct, DeliveryState.Pending);
        d.Attempts.Should().Be(1);
        d.NextAttemptAt.Should().Be(start + TimeSpan.FromSeconds(2));

        // Retries at +2 s, +4 s, +8 s (DLV-11 powers-of-two), each scheduled through the store.
        foreach (var (delay, attempts) in new[] { (2, 2), (4, 3), (8, 4) })
        {
            f.Time.Advance(TimeSpan.FromSeconds(delay) - TimeSpan.FromMilliseconds(1));
            (await f.Store.GetDeliveryAsync(d.Id, ct))!.Attempts.Should().Be(attempts - 1, "nothing is sent before the due time");
            f.Time.Advance(TimeSpan.FromMilliseconds(1));
            await DeliveryFixture.WaitUntilAsync(async () => (await f.Store.GetDeliveryAsync(d.Id, ct))!.Attempts == attempts && f.Dispatcher.InFlight == 0, ct);
        }

        d = (await f.Store.GetDeliveryAsync(d.Id, ct))!;
        d.State.Should().Be(DeliveryState.Failed);
        receiver.Requests.Should().HaveCount(4, "retryCount + 1 attempts (DLV-10)");
        receiver.Requests.Select(r => r.Headers["X-ChatIntegrations-Attempt"]).Should().Equal("1", "2", "3", "4");
        receiver.Requests.Select(r => r.Headers["webhook-id"]).Distinct().Should().ContainSingle("webhook-id is stable (DLV-7)");
        var steps = (await f.HistoryAsync(i.Id)).OrderBy(h => h.Attempt).Select(h => h.Document["step"]!.GetValue<string>());
        steps.Should().Equal("going-to-retry-1", "going-to-retry-2", "going-to-retry-3", "too-many-retries");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_ClockReachesRetryDueTimeWhileTimerIsArmed_RetriesWithoutFurtherClockMove_DLV18(CancellationToken ct)
    {
        // A clock that moves between the dispatcher's reading of it and the arming of its timer (a stalled thread, or
        // a test moving a manual clock) must not leave the timer armed a whole move late.
        await using var f = new DeliveryFixture();
        var answers = 0;
        var receiver = f.Receiver(_ => Interlocked.Increment(ref answers) == 1 ? new TinyResponse(503) : new TinyResponse(200));
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"), """{"retryCount":3,"retryDelay":"powers-of-two"}""");
        await f.StartAsync();
        var due = f.Time.GetUtcNow() + TimeSpan.FromSeconds(2);
        var moved = 0;
        f.Time.Arming = () =>
        {
            // The dispatcher arms its wait after the first attempt is stored for retry: move the clock to the due time.
            if (receiver.Requests.Count != 1 || f.Dispatcher.InFlight != 0) return;
            var id = receiver.Requests.Single().Headers["webhook-id"];
            if (f.Store.GetDeliveryAsync(id, ct).AsTask().GetAwaiter().GetResult() is not { State: DeliveryState.Pending }) return;
            if (Interlocked.Exchange(ref moved, 1) == 0) f.Time.Advance(due - f.Time.GetUtcNow());
        };

        await f.Engine.PublishAsync(DeliveryFixture.Message("hello"), ct);
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(receiver.Requests.Count == 2), ct);

        moved.Should().Be(1);
        var d = await f.WaitForStateAsync(receiver.Requests.Last().Headers["webhook-id"], ct, DeliveryState.Succeeded);
        d.Attempts.Should().Be(2);
        f.Time.GetUtcNow().Should().Be(due, "nothing else moved the clock");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_429WithRetryAfter_DelayIsRetryAfter_DLV15(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var receiver = f.Receiver(_ => new TinyResponse(429, "", new Dictionary<string, string> { ["Retry-After"] = "120" }));
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"));
        await f.StartAsync();
        var start = f.Time.GetUtcNow();

        await f.Engine.PublishAsync(DeliveryFixture.Message("hello"), ct);
        var d = await f.WaitForStateAsync((await OnlyDeliveryAsync(f, i.Id, ct)).Id, ct, DeliveryState.Pending);

        d.NextAttemptAt.Should().Be(start + TimeSpan.FromSeconds(120), "max(100 ms, min(120 s, 1 h))");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_410Answer_DisablesIntegrationAndDoesNotRetry_OUT80(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var receiver = f.Receiver(_ => new TinyResponse(410));
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"));
        await f.StartAsync();

        await f.Engine.PublishAsync(DeliveryFixture.Message("hello"), ct);
        var d = await f.WaitForStateAsync((await OnlyDeliveryAsync(f, i.Id, ct)).Id, ct, DeliveryState.Failed);

        d.Attempts.Should().Be(1);
        (await f.Store.GetAsync(i.Id, ct))!.Enabled.Should().BeFalse();
        (await f.HistoryAsync(i.Id)).Single().Document["step"]!.GetValue<string>().Should().Be("after-process-http-status-410");

        await f.Engine.PublishAsync(DeliveryFixture.Message("again"), ct);
        (await f.HistoryAsync(i.Id)).Should().ContainSingle("a disabled integration no longer fires");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_ConnectionRefused_RetriesWithEconnrefused_DLV13(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var url = $"http://127.0.0.1:{TinyHttpServer.FreePort()}/hook";
        var i = await f.CreateOutgoingAsync(url);
        await f.StartAsync();

        await f.Engine.PublishAsync(DeliveryFixture.Message("hello"), ct);
        var d = await f.WaitForStateAsync((await OnlyDeliveryAsync(f, i.Id, ct)).Id, ct, DeliveryState.Pending);

        d.Attempts.Should().Be(1);
        var h = (await f.HistoryAsync(i.Id)).Single().Document;
        h["httpError"]!["code"]!.GetValue<string>().Should().Be("ECONNREFUSED");
        h["step"]!.GetValue<string>().Should().Be("going-to-retry-1");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_ReplyWithText_PostsIntoEventRoomWithBotMarker_OUT71_OUT72_OUT73(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var receiver = f.Receiver(_ => new TinyResponse(200, """{"text":"Build #42 is green","username":"ci"}""",
            new Dictionary<string, string> { ["Content-Type"] = "text/plain" }));
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"));
        await f.StartAsync();

        await f.Engine.PublishAsync(DeliveryFixture.Message("build status"), ct);
        await f.WaitForStateAsync((await OnlyDeliveryAsync(f, i.Id, ct)).Id, ct, DeliveryState.Succeeded);

        var reply = f.Chat.Sent.Should().ContainSingle().Subject;
        reply.RoomId.Should().Be("R_GENERAL");
        reply.Text.Should().Be("Build #42 is green");
        reply.Alias.Should().Be("ci");
        reply.SenderId.Should().Be("u-bot");
        reply.BotIntegrationId.Should().Be(i.Id);
        reply.ThreadId.Should().BeNull();
        (await f.HistoryAsync(i.Id)).Single().Document["step"]!.GetValue<string>().Should().Be("url-response-sent-message");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_CommentReply_IsThreadReplyToTriggeringMessage_OUT74(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var receiver = f.Receiver(_ => new TinyResponse(200, """{"text":"done","response_type":"comment"}"""));
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"));
        await f.StartAsync();

        await f.Engine.PublishAsync(DeliveryFixture.Message("build status", messageId: "m88"), ct);
        await f.WaitForStateAsync((await OnlyDeliveryAsync(f, i.Id, ct)).Id, ct, DeliveryState.Succeeded);
        await f.Engine.PublishAsync(DeliveryFixture.Message("in thread", messageId: "m89", threadId: "m1"), ct);
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(f.Chat.Sent.Count == 2), ct);

        f.Chat.Sent.Select(m => m.ThreadId).Should().Equal("m88", "m1");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_ReceiverEchoesIntoSameRoom_ExactlyOneDeliveryPerHumanMessage_SEC30_OUT50(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var receiver = f.Receiver(_ => new TinyResponse(200, """{"text":"echo"}"""));
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"));
        // The host publishes every saved message, the integration's replies included.
        f.Chat.OnSend = m =>
        {
            _ = f.Engine.PublishAsync(DeliveryFixture.Message(m.Text, messageId: "reply-" + m.Text, botIntegrationId: m.BotIntegrationId, userId: m.SenderId), ct);
            return null;
        };
        await f.StartAsync();

        await f.Engine.PublishAsync(DeliveryFixture.Message("hello"), ct);
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(!f.Chat.Sent.IsEmpty && f.Dispatcher.InFlight == 0), ct);
        f.Time.Advance(TimeSpan.FromSeconds(1));
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(f.Dispatcher.InFlight == 0), ct);

        receiver.Requests.Should().ContainSingle();
        f.Chat.Sent.Should().ContainSingle();
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_PrepareAndProcessScripts_StatusExample_SCR21_SCR25_SCR28(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var receiver = f.Receiver(r => r.Target == "/services/api"
            ? new TinyResponse(200, """{"name":"api","state":"operational"}""", new Dictionary<string, string> { ["Content-Type"] = "application/json" })
            : new TinyResponse(404));
        const string Script = """
            class Script {
              prepare_outgoing_request({ request }) {
                const [, service] = request.data.text.split(/\s+/);
                if (!service) return { message: { text: 'usage: !status <service>' } };
                return { url: `${request.url}/services/${encodeURIComponent(service)}`, method: 'GET', headers: request.headers };
              }
              process_outgoing_response({ response }) {
                if (response.status_code === 404) return { content: { text: 'unknown service' } };
                if (response.error) return;
                const { name, state } = response.content;
                return { content: { text: `${name} is ${state}` } };
              }
            }
            """;
        var doc = new JsonObject { ["triggerWords"] = new JsonArray("!status"), ["scriptEnabled"] = true, ["script"] = Script };
        var i = await f.CreateOutgoingAsync(receiver.Url(""), doc.ToJsonString());
        await f.StartAsync();

        await f.Engine.PublishAsync(DeliveryFixture.Message("!status api"), ct);
        var d = await f.WaitForStateAsync((await OnlyDeliveryAsync(f, i.Id, ct)).Id, ct, DeliveryState.Succeeded);
        receiver.Requests.Should().ContainSingle().Which.Method.Should().Be("GET");
        f.Chat.Sent.Should().ContainSingle().Which.Text.Should().Be("api is operational");
        var h = (await f.HistoryAsync(i.Id)).Single().Document;
        h["ranPrepareScript"]!.GetValue<bool>().Should().BeTrue();
        h["step"]!.GetValue<string>().Should().Be("after-process-send-message");
        d.PreparedRequest.Should().NotBeNull("SCR-24: the prepared request is stored with the delivery");

        await f.Engine.ClearHistoryAsync(EngineFixture.Admin, i.Id, ct);
        await f.Engine.PublishAsync(DeliveryFixture.Message("!status", messageId: "m2"), ct);
        d = await f.WaitForStateAsync((await OnlyDeliveryAsync(f, i.Id, ct)).Id, ct, DeliveryState.Succeeded);
        receiver.Requests.Should().ContainSingle("no HTTP call without url and method");
        f.Chat.Sent.Select(m => m.Text).Should().Contain("usage: !status <service>");
        (await f.HistoryAsync(i.Id)).Single().Document["step"]!.GetValue<string>().Should().Be("after-prepare-no-url_or_method");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_PrepareReturnsNothing_CancelledWithoutRequest_SCR21(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var receiver = f.Receiver();
        var doc = new JsonObject { ["scriptEnabled"] = true, ["script"] = "class Script { prepare_outgoing_request() { return null; } }" };
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"), doc.ToJsonString());
        await f.StartAsync();

        await f.Engine.PublishAsync(DeliveryFixture.Message("hi"), ct);
        await f.WaitForStateAsync((await OnlyDeliveryAsync(f, i.Id, ct)).Id, ct, DeliveryState.Cancelled);

        receiver.Requests.Should().BeEmpty();
        (await f.HistoryAsync(i.Id)).Single().Document["step"]!.GetValue<string>().Should().Be("after-prepare-no-opts");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_ScriptsDisabled_PostponesWithoutAttempt_OUT64(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var receiver = f.Receiver();
        var doc = new JsonObject { ["scriptEnabled"] = true, ["script"] = "class Script { prepare_outgoing_request({ request }) { return request; } }" };
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"), doc.ToJsonString());
        f.Get<Microsoft.Extensions.Options.IOptionsMonitor<ChatIntegrationsOptions>>().CurrentValue.Scripts.Disabled = true;
        await f.StartAsync();
        var start = f.Time.GetUtcNow();

        await f.Engine.PublishAsync(DeliveryFixture.Message("hi"), ct);
        DeliveryRecord? d = null;
        await DeliveryFixture.WaitUntilAsync(async () =>
        {
            var page = await f.Store.ClaimDueAsync("probe", start + TimeSpan.FromSeconds(61), TimeSpan.FromSeconds(30), 1, ct);
            d = page.FirstOrDefault();
            return d is not null;
        }, ct);

        d!.Attempts.Should().Be(0);
        receiver.Requests.Should().BeEmpty();
        (await f.HistoryAsync(i.Id)).Should().BeEmpty();
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_SigningSecret_SignatureVerifies_DLV40_DLV41(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var receiver = f.Receiver();
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"));
        var added = await f.Engine.AddSigningSecretAsync(EngineFixture.Admin, i.Id, ct);
        added.Success.Should().BeTrue();
        var secret = added.Body["secret"]!.GetValue<string>();
        await f.StartAsync();

        await f.Engine.PublishAsync(DeliveryFixture.Message("hi"), ct);
        await f.WaitForStateAsync((await OnlyDeliveryAsync(f, i.Id, ct)).Id, ct, DeliveryState.Succeeded);

        var r = receiver.Requests.Single();
        var verifier = new StandardWebhookVerifier(secret, f.Time);
        verifier.Verify(r.Headers["webhook-id"], r.Headers["webhook-timestamp"], r.Headers["webhook-signature"], System.Text.Encoding.UTF8.GetBytes(r.Body))
            .Should().BeTrue();
        var history = (await f.HistoryAsync(i.Id)).Single().Document.ToJsonString();
        history.Should().NotContain(secret).And.Contain("\"webhook-signature\":\"[redacted]\""); // SEC-16
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_UrlRemovedBeforeAttempt_Cancelled_DLV6(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var receiver = f.Receiver();
        var other = f.Receiver();
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"));
        await f.Engine.PublishAsync(DeliveryFixture.Message("hi"), ct); // enqueued while the dispatcher is not running
        (await f.Engine.UpdateAsync(EngineFixture.Admin, i.Id, new JsonObject { ["urls"] = new JsonArray(other.Url("/x")) }, cancellationToken: ct)).Success.Should().BeTrue();
        await f.StartAsync();

        var d = await OnlyDeliveryAsync(f, i.Id, ct);
        d = await f.WaitForStateAsync(d.Id, ct, DeliveryState.Cancelled);
        receiver.Requests.Should().BeEmpty();
        other.Requests.Should().BeEmpty();
        (await f.HistoryAsync(i.Id)).Single().Document["step"]!.GetValue<string>().Should().Be("integration-url-removed");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task StartAsync_OwnLeasesLeftByCrash_ReleasedAndDeliveredOnce_DLV39(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var receiver = f.Receiver();
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"));
        await f.Engine.PublishAsync(DeliveryFixture.Message("hi"), ct);
        // A previous run of this node claimed it and crashed.
        var claimed = await f.Store.ClaimDueAsync("node-a", f.Time.GetUtcNow(), TimeSpan.FromMinutes(2), 10, ct);
        claimed.Should().ContainSingle();

        await f.StartAsync();
        await f.WaitForStateAsync(claimed[0].Id, ct, DeliveryState.Succeeded);

        receiver.Requests.Should().ContainSingle();
        var steps = (await f.HistoryAsync(i.Id)).Select(h => h.Document["step"]!.GetValue<string>());
        steps.Should().BeEquivalentTo("cancelled-by-restart", "after-http-call");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task StopAsync_AttemptStillRunningAfterGrace_BackToPendingWithoutCountingAttempt_DLV30(CancellationToken ct)
    {
        await using var f = new DeliveryFixture(o => o.Dispatcher.ShutdownGracePeriod = TimeSpan.FromSeconds(1));
        var receiver = f.Receiver(_ => null); // never answers
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"));
        await f.StartAsync();
        await f.Engine.PublishAsync(DeliveryFixture.Message("hi"), ct);
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(!receiver.Requests.IsEmpty), ct);

        var stopping = f.Dispatcher.StopAsync(ct);
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(f.Time.ActiveTimers > 0), ct);
        f.Time.Advance(TimeSpan.FromSeconds(1));
        await stopping;

        var history = (await f.HistoryAsync(i.Id)).Single();
        var d = (await f.Store.GetDeliveryAsync(history.DeliveryId!, ct))!;
        d.State.Should().Be(DeliveryState.Pending);
        d.Attempts.Should().Be(0);
        history.Document["step"]!.GetValue<string>().Should().Be("cancelled-by-shutdown");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Dispatcher_BreakerOpen_PostponesToHalfOpenWithoutAttempt_DLV19a(CancellationToken ct)
    {
        await using var f = new DeliveryFixture(o =>
        {
            o.Dispatcher.Breaker.MinimumThroughput = 2;
            o.Dispatcher.Breaker.BreakDuration = TimeSpan.FromSeconds(30);
        });
        var receiver = f.Receiver(_ => new TinyResponse(503));
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"), """{"retryCount":0}""");
        await f.StartAsync();

        await f.Engine.PublishAsync(DeliveryFixture.Message("one", messageId: "a"), ct);
        await DeliveryFixture.WaitUntilAsync(async () => (await f.HistoryAsync(i.Id)).Count == 1 && f.Dispatcher.InFlight == 0, ct);
        await f.Engine.PublishAsync(DeliveryFixture.Message("two", messageId: "b"), ct);
        await DeliveryFixture.WaitUntilAsync(async () => (await f.HistoryAsync(i.Id)).Count == 2 && f.Dispatcher.InFlight == 0, ct);
        receiver.Requests.Should().HaveCount(2);

        var now = f.Time.GetUtcNow();
        await f.Engine.PublishAsync(DeliveryFixture.Message("three", messageId: "c"), ct);
        await DeliveryFixture.WaitUntilAsync(async () => await f.Store.GetNextDueAsync(ct) == now + TimeSpan.FromSeconds(30) && f.Dispatcher.InFlight == 0, ct);
        DeliveryRecord? third = null;
        await DeliveryFixture.WaitUntilAsync(async () =>
        {
            var claimed = await f.Store.ClaimDueAsync("probe", now + TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), 1, ct);
            third = claimed.FirstOrDefault();
            return third is not null;
        }, ct);

        third!.Attempts.Should().Be(0);
        third.NextAttemptAt.Should().Be(now + TimeSpan.FromSeconds(30));
        receiver.Requests.Should().HaveCount(2, "no request while the breaker is open");
        (await f.HistoryAsync(i.Id)).Should().HaveCount(2, "no history record for a breaker postponement");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ReplayAsync_RecordedDelivery_NewDeliveryWithReplayOfAndCurrentToken_DLV27(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var receiver = f.Receiver();
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"));
        await f.StartAsync();
        await f.Engine.PublishAsync(DeliveryFixture.Message("hi"), ct);
        var original = await f.WaitForStateAsync((await OnlyDeliveryAsync(f, i.Id, ct)).Id, ct, DeliveryState.Succeeded);
        var token = (await f.Engine.RegenerateTokenAsync(EngineFixture.Admin, i.Id, ct)).Body["token"]!.GetValue<string>();
        var record = (await f.HistoryAsync(i.Id)).Single();

        var replay = await f.Engine.ReplayAsync(EngineFixture.Admin, i.Id, record.Id, ct);

        replay.Success.Should().BeTrue(replay.Body.ToJsonString());
        var id = replay.Body["deliveryId"]!.GetValue<string>();
        id.Should().NotBe(original.Id);
        var d = await f.WaitForStateAsync(id, ct, DeliveryState.Succeeded);
        d.ReplayOf.Should().Be(original.Id);
        receiver.Requests.Should().HaveCount(2);
        JsonNode.Parse(receiver.Requests.Last().Body)!["token"]!.GetValue<string>().Should().Be(token);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PublishAsync_QueueFull_RecordsQueueFullAndSucceeds_DLV38(CancellationToken ct)
    {
        await using var f = new DeliveryFixture(o => o.MaxPendingDeliveries = 1);
        var receiver = f.Receiver();
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"));

        await f.Engine.PublishAsync(DeliveryFixture.Message("one"), ct);
        await f.Engine.PublishAsync(DeliveryFixture.Message("two"), ct);

        var h = (await f.HistoryAsync(i.Id)).Should().ContainSingle().Subject;
        h.Attempt.Should().Be(0);
        h.DeliveryId.Should().BeNull();
        h.Document["step"]!.GetValue<string>().Should().Be("queue-full");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PublishAsync_StoreDown_ThrowsAfterPublishTimeout_GEN14(CancellationToken ct)
    {
        await using var f = new DeliveryFixture(store: new UnavailableStore());
        var publishing = f.Engine.PublishAsync(DeliveryFixture.Message("hi"), ct);
        while (!publishing.IsCompleted)
        {
            f.Time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Yield();
        }

        await FluentActions.Awaiting(() => publishing).Should().ThrowAsync<IntegrationStoreUnavailableException>();
        f.Time.GetUtcNow().Should().BeOnOrAfter(new DateTimeOffset(2025, 1, 1, 10, 0, 2, TimeSpan.Zero));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PublishAsync_BotMessagesBeyondThreshold_DroppedAsLoopSuspected_OUT51_OUT52(CancellationToken ct)
    {
        await using var f = new DeliveryFixture(o => o.LoopBreakerThreshold = 2);
        var receiver = f.Receiver();
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"), """{"triggerOnIntegrationMessages":true}""");

        for (var n = 0; n < 3; n++) await f.Engine.PublishAsync(DeliveryFixture.Message("bot says", messageId: "b" + n, botIntegrationId: "other"), ct);
        await f.Engine.PublishAsync(DeliveryFixture.Message("own echo", messageId: "self", botIntegrationId: i.Id), ct);

        var records = await f.HistoryAsync(i.Id);
        records.Should().ContainSingle().Which.Document["step"]!.GetValue<string>().Should().Be("loop-suspected");
        records[0].Attempt.Should().Be(0);
        (await f.Store.GetNextDueAsync(ct)).Should().NotBeNull("two deliveries were enqueued");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task GetHistoryAsync_Denied_WithoutAuthorizer_SEC20(CancellationToken ct)
    {
        using var f = new EngineFixture(allowAll: false);
        var result = await f.Engine.GetHistoryAsync(EngineFixture.Admin, "nope", cancellationToken: ct);
        result.Success.Should().BeFalse();
    }
}
