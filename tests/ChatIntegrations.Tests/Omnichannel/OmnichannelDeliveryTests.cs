using System.Text.Json.Nodes;
using ChatIntegrations.Tests.Security.Ssrf;
using ChatIntegrations.Tests.TestDoubles;
using static ChatIntegrations.Tests.Omnichannel.OmnichannelKit;

namespace ChatIntegrations.Tests.Omnichannel;

/// <summary>Success, failure and retry rules (OMNI-31..OMNI-33), crmData (OMNI-35), DLV-6, history and replay
/// (OMNI-34, DLV-20, DLV-27, SEC-16), against a real loopback receiver and a manual clock.</summary>
public sealed class OmnichannelDeliveryTests
{
    [TestCase(201)]
    [TestCase(204)]
    [TestCase(302)]
    [TestCase(404)]
    [TestCase(408)]
    [CancelAfter(20_000)]
    public async Task Dispatcher_StandardPolicyNon200NonRetryable_OneAttemptFailed_OMNI31_OMNI32(int status, CancellationToken ct)
    {
        var (f, receiver) = await StartAsync(_ => status == 302 ? TinyResponse.Redirect(302, "/elsewhere") : new TinyResponse(status));
        await using var _ = f;

        await f.Engine.PublishOmnichannelAsync(Taken(), ct);
        var d = await f.WaitForStateAsync((await OnlyDeliveryAsync(f, ct)).Id, ct, DeliveryState.Failed);

        d.Attempts.Should().Be(1);
        receiver.Requests.Should().ContainSingle();
        var h = (await HistoryAsync(f)).Single().Document;
        h["error"]!.GetValue<bool>().Should().BeTrue();
        h["finished"]!.GetValue<bool>().Should().BeTrue();
        h["errorReason"]!.GetValue<string>().Should().Be("http-status-" + status);
        h["httpResult"]!["status"]!.GetValue<int>().Should().Be(status);
    }

    [TestCase(500)]
    [TestCase(503)]
    [TestCase(429)]
    [CancelAfter(30_000)]
    public async Task Dispatcher_StandardPolicyRetryable_FiveAttemptsFourTimesTimeoutApart_OMNI32(int status, CancellationToken ct)
    {
        var (f, receiver) = await StartAsync(_ => new TinyResponse(status));
        await using var _ = f;
        var start = f.Time.GetUtcNow();

        await f.Engine.PublishOmnichannelAsync(Taken(), ct);
        var d = await f.WaitForStateAsync((await OnlyDeliveryAsync(f, ct)).Id, ct, DeliveryState.Pending);
        d.NextAttemptAt.Should().Be(start + TimeSpan.FromSeconds(20), "4 × timeoutMs (5000)");

        for (var attempts = 2; attempts <= 5; attempts++)
        {
            f.Time.Advance(TimeSpan.FromSeconds(20) - TimeSpan.FromMilliseconds(1));
            (await f.Store.GetDeliveryAsync(d.Id, ct))!.Attempts.Should().Be(attempts - 1, "nothing is sent before the due time");
            f.Time.Advance(TimeSpan.FromMilliseconds(1));
            var expected = attempts;
            await DeliveryFixture.WaitUntilAsync(async () => (await f.Store.GetDeliveryAsync(d.Id, ct))!.Attempts == expected && f.Dispatcher.InFlight == 0, ct);
        }

        (await f.Store.GetDeliveryAsync(d.Id, ct))!.State.Should().Be(DeliveryState.Failed);
        receiver.Requests.Should().HaveCount(5);
        receiver.Requests.Select(r => r.Headers["webhook-id"]).Distinct().Should().ContainSingle();
        (await HistoryAsync(f)).Select(h => h.Document["step"]!.GetValue<string>())
            .Should().Equal("going-to-retry-1", "going-to-retry-2", "going-to-retry-3", "going-to-retry-4", "too-many-retries");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_TimeoutSettingChanged_RetryDelayFollowsCurrentTimeout_OMNI32_DLV6(CancellationToken ct)
    {
        var (f, _) = await StartAsync(_ => new TinyResponse(500), settings: """{"timeoutMs":2000}""");
        await using var __ = f;
        var start = f.Time.GetUtcNow();

        await f.Engine.PublishOmnichannelAsync(Taken(), ct);
        var d = await f.WaitForStateAsync((await OnlyDeliveryAsync(f, ct)).Id, ct, DeliveryState.Pending);

        d.NextAttemptAt.Should().Be(start + TimeSpan.FromSeconds(8));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_429WithLongerRetryAfter_RetryAfterWins_OMNI32_DLV15(CancellationToken ct)
    {
        var (f, _) = await StartAsync(_ => new TinyResponse(429, "", new Dictionary<string, string> { ["Retry-After"] = "90" }));
        await using var __ = f;
        var start = f.Time.GetUtcNow();

        await f.Engine.PublishOmnichannelAsync(Taken(), ct);
        var d = await f.WaitForStateAsync((await OnlyDeliveryAsync(f, ct)).Id, ct, DeliveryState.Pending);

        d.NextAttemptAt.Should().Be(start + TimeSpan.FromSeconds(90));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_ConnectionRefused_RetriedWithStandardDelay_OMNI32(CancellationToken ct)
    {
        var port = TinyHttpServer.FreePort();
        var (f, _) = await StartAsync(settings: $$"""{"url":"http://127.0.0.1:{{port}}/crm"}""");
        await using var __ = f;
        var start = f.Time.GetUtcNow();

        await f.Engine.PublishOmnichannelAsync(Taken(), ct);
        var d = await f.WaitForStateAsync((await OnlyDeliveryAsync(f, ct)).Id, ct, DeliveryState.Pending);

        d.Attempts.Should().Be(1);
        d.NextAttemptAt.Should().Be(start + TimeSpan.FromSeconds(20));
        var h = (await HistoryAsync(f)).Single().Document;
        h["step"]!.GetValue<string>().Should().Be("going-to-retry-1");
        h["httpError"]!["code"].Should().NotBeNull();
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Dispatcher_LegacyPolicy404_RetriedTenTimesTenSecondsApart_OMNI33(CancellationToken ct)
    {
        var (f, receiver) = await StartAsync(_ => new TinyResponse(404), settings: """{"retryPolicy":"legacy"}""");
        await using var _ = f;
        var start = f.Time.GetUtcNow();

        await f.Engine.PublishOmnichannelAsync(Taken(), ct);
        var d = await f.WaitForStateAsync((await OnlyDeliveryAsync(f, ct)).Id, ct, DeliveryState.Pending);
        d.NextAttemptAt.Should().Be(start + TimeSpan.FromSeconds(10));

        for (var attempts = 2; attempts <= 11; attempts++)
        {
            f.Time.Advance(TimeSpan.FromSeconds(10));
            var expected = attempts;
            await DeliveryFixture.WaitUntilAsync(async () => (await f.Store.GetDeliveryAsync(d.Id, ct))!.Attempts == expected && f.Dispatcher.InFlight == 0, ct);
        }

        (await f.Store.GetDeliveryAsync(d.Id, ct))!.State.Should().Be(DeliveryState.Failed);
        receiver.Requests.Should().HaveCount(11, "10 retries (OMNI-33)");
        (await HistoryAsync(f)).Last().Document["step"]!.GetValue<string>().Should().Be("too-many-retries");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_LegacyPolicy201_Retried_OMNI33(CancellationToken ct)
    {
        var (f, _) = await StartAsync(_ => new TinyResponse(201), settings: """{"retryPolicy":"legacy"}""");
        await using var __ = f;

        await f.Engine.PublishOmnichannelAsync(Taken(), ct);
        var d = await f.WaitForStateAsync((await OnlyDeliveryAsync(f, ct)).Id, ct, DeliveryState.Pending);

        d.Attempts.Should().Be(1);
        (await HistoryAsync(f)).Single().Document["step"]!.GetValue<string>().Should().Be("going-to-retry-1");
    }

    [TestCase("text", "CRM-42 ok", "\"CRM-42 ok\"")]
    [TestCase("text", """{"ticket":"T-1"}""", "\"{\\\"ticket\\\":\\\"T-1\\\"}\"")]
    [TestCase("json", """{"ticket":"T-1"}""", """{"ticket":"T-1"}""")]
    [TestCase("json", "not json", "\"not json\"")]
    [TestCase("legacy-data", """{"data":{"ticket":"T-1"},"other":1}""", """{"ticket":"T-1"}""")]
    [CancelAfter(20_000)]
    public async Task Dispatcher_200WithBody_CrmDataEchoedInLaterPayloadsOfTheRoom_OMNI35(string mode, string answer, string expected, CancellationToken ct)
    {
        var (f, receiver) = await StartAsync(_ => new TinyResponse(200, answer), settings: $$"""{"crmDataMode":"{{mode}}"}""");
        await using var _ = f;

        await f.Engine.PublishOmnichannelAsync(Of(OmnichannelEventType.SessionStart, null, VisitorMessage("m1", "hi", T0)), ct);
        var first = JsonNode.Parse((await ReceivedAsync(f, receiver, 1, ct)).Single().Body)!.AsObject();
        first.Should().NotContainKey("crmData");
        await f.WaitForStateAsync((await OnlyDeliveryAsync(f, ct)).Id, ct, DeliveryState.Succeeded);

        await f.Engine.PublishOmnichannelAsync(Taken(), ct);
        var second = JsonNode.Parse((await ReceivedAsync(f, receiver, 2, ct)).Last().Body)!.AsObject();
        JsonNode.DeepEquals(second["crmData"], JsonNode.Parse(expected)).Should().BeTrue($"crmData {second["crmData"]!.ToJsonString()} equals {expected}");
        second.Select(p => p.Key).Should().ContainInOrder("agent", "crmData", "messages");
    }

    [TestCase("legacy-data", """{"nodata":true}""")]
    [TestCase("legacy-data", """{"data":null}""")]
    [TestCase("text", "")]
    [CancelAfter(20_000)]
    public async Task Dispatcher_200WithoutUsableBody_StoredValueUnchanged_OMNI35(string mode, string answer, CancellationToken ct)
    {
        var (f, receiver) = await StartAsync(_ => new TinyResponse(200, answer), settings: $$"""{"crmDataMode":"{{mode}}"}""");
        await using var _ = f;
        await f.Store.SetCrmDataAsync("LR1", "\"kept\"", ct);

        await f.Engine.PublishOmnichannelAsync(Taken(), ct);
        await ReceivedAsync(f, receiver, 1, ct);
        await f.WaitForStateAsync((await OnlyDeliveryAsync(f, ct)).Id, ct, DeliveryState.Succeeded);

        (await f.Store.GetCrmDataAsync("LR1", ct)).Should().Be("\"kept\"");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_200WithBodyAbove64KiB_StoresNothing_OMNI35(CancellationToken ct)
    {
        var (f, receiver) = await StartAsync(_ => new TinyResponse(200, new string('x', 64 * 1024 + 1)));
        await using var _ = f;

        await f.Engine.PublishOmnichannelAsync(Taken(), ct);
        await ReceivedAsync(f, receiver, 1, ct);
        await f.WaitForStateAsync((await OnlyDeliveryAsync(f, ct)).Id, ct, DeliveryState.Succeeded);

        (await f.Store.GetCrmDataAsync("LR1", ct)).Should().BeNull();
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_CrmDataStoredBetweenAttempts_RetryCarriesLatestValue_OMNI35_DLV1(CancellationToken ct)
    {
        var (f, receiver) = await StartAsync(_ => new TinyResponse(503));
        await using var _ = f;

        await f.Engine.PublishOmnichannelAsync(Taken(), ct);
        var d = await f.WaitForStateAsync((await OnlyDeliveryAsync(f, ct)).Id, ct, DeliveryState.Pending);
        JsonNode.Parse(receiver.Requests.Single().Body)!.AsObject().Should().NotContainKey("crmData");

        await f.Store.SetCrmDataAsync("LR1", "\"from another answer\"", ct);
        receiver.Handler = _ => new TinyResponse(200);
        f.Time.Advance(TimeSpan.FromSeconds(20));
        await f.WaitForStateAsync(d.Id, ct, DeliveryState.Succeeded);

        JsonNode.Parse(receiver.Requests.Last().Body)!["crmData"]!.GetValue<string>().Should().Be("from another answer");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_UrlClearedBeforeAttempt_CancelledIntegrationDisabled_DLV6(CancellationToken ct)
    {
        var (f, receiver) = await StartAsync(start: false);
        await using var _ = f;
        await f.Engine.PublishOmnichannelAsync(Taken(), ct);
        (await f.Engine.SaveOmnichannelSettingsAsync(EngineFixture.Admin, new JsonObject { ["url"] = "" }, ct)).Success.Should().BeTrue();

        await f.StartAsync();
        var d = await f.WaitForStateAsync((await OnlyDeliveryAsync(f, ct)).Id, ct, DeliveryState.Cancelled);

        d.State.Should().Be(DeliveryState.Cancelled);
        receiver.Requests.Should().BeEmpty();
        (await HistoryAsync(f)).Single().Document["step"]!.GetValue<string>().Should().Be("integration-disabled");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_UrlChangedBeforeAttempt_SendsToCurrentUrl_DLV6(CancellationToken ct)
    {
        var (f, old) = await StartAsync(start: false);
        await using var _ = f;
        var current = f.Receiver();
        await f.Engine.PublishOmnichannelAsync(Taken(), ct);
        (await f.Engine.SaveOmnichannelSettingsAsync(EngineFixture.Admin, new JsonObject { ["url"] = current.Url("/new"), ["secretToken"] = "rotated" }, ct))
            .Success.Should().BeTrue();

        await f.StartAsync();
        var request = (await ReceivedAsync(f, current, 1, ct)).Single();

        old.Requests.Should().BeEmpty();
        request.Target.Should().Be("/new");
        request.Headers["X-RocketChat-Livechat-Token"].Should().Be("rotated");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task History_OmnichannelAttempt_TypedAndRedacted_OMNI34_DLV20_SEC16(CancellationToken ct)
    {
        var (f, receiver) = await StartAsync();
        await using var _ = f;

        await f.Engine.PublishOmnichannelAsync(Taken(), ct);
        await ReceivedAsync(f, receiver, 1, ct);
        await f.WaitForStateAsync((await OnlyDeliveryAsync(f, ct)).Id, ct, DeliveryState.Succeeded);

        var answer = await f.Engine.GetHistoryAsync(EngineFixture.Admin, IntegrationEngine.OmnichannelWebhookId, cancellationToken: ct);
        answer.Success.Should().BeTrue(answer.Body.ToJsonString());
        var h = answer.Body["history"]!.AsArray().Should().ContainSingle().Subject!.AsObject();
        h["type"]!.GetValue<string>().Should().Be("omnichannel-webhook");
        h["event"]!.GetValue<string>().Should().Be("LivechatSessionTaken");
        h["integration"]!["_id"]!.GetValue<string>().Should().Be("omnichannel");
        h["attempt"]!.GetValue<int>().Should().Be(1);
        h["finished"]!.GetValue<bool>().Should().BeTrue();
        h["error"]!.GetValue<bool>().Should().BeFalse();
        h["httpCallData"]!["headers"]!["X-RocketChat-Livechat-Token"]!.GetValue<string>().Should().Be("[redacted]");
        h["data"]!["visitor"]!["token"]!.GetValue<string>().Should().Be("[redacted]", "token keys at any depth (SEC-16)");
        h.ToJsonString().Should().NotContain(Secret);
        receiver.Requests.Single().Headers["X-RocketChat-Livechat-Token"].Should().Be(Secret, "only the stored record is redacted");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ClearHistoryAsync_Omnichannel_DeletesRecords_DLV26(CancellationToken ct)
    {
        var (f, receiver) = await StartAsync();
        await using var _ = f;
        await f.Engine.PublishOmnichannelAsync(Taken(), ct);
        await ReceivedAsync(f, receiver, 1, ct);
        await f.WaitForStateAsync((await OnlyDeliveryAsync(f, ct)).Id, ct, DeliveryState.Succeeded);

        var cleared = await f.Engine.ClearHistoryAsync(EngineFixture.Admin, IntegrationEngine.OmnichannelWebhookId, ct);

        cleared.Success.Should().BeTrue();
        cleared.Body["deleted"]!.GetValue<int>().Should().Be(1);
        (await HistoryAsync(f)).Should().BeEmpty();
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ReplayOmnichannelAsync_Record_NewDeliveryFromOriginalPayloadWithCurrentCrmData_DLV27_DLV28(CancellationToken ct)
    {
        var (f, receiver) = await StartAsync();
        await using var _ = f;
        await f.Engine.PublishOmnichannelAsync(Taken(), ct);
        await ReceivedAsync(f, receiver, 1, ct);
        var original = await f.WaitForStateAsync((await OnlyDeliveryAsync(f, ct)).Id, ct, DeliveryState.Succeeded);
        var record = (await HistoryAsync(f)).Single();
        await f.Store.SetCrmDataAsync("LR1", """{"ticket":"T-2"}""", ct);

        var replay = await f.Engine.ReplayOmnichannelAsync(EngineFixture.Admin, record.Id, ct);

        replay.Success.Should().BeTrue(replay.Body.ToJsonString());
        replay.Body["replayOf"]!.GetValue<string>().Should().Be(original.Id);
        var replayId = replay.Body["deliveryId"]!.GetValue<string>();
        replayId.Should().NotBe(original.Id);
        var d = await f.WaitForStateAsync(replayId, ct, DeliveryState.Succeeded);
        d.ReplayOf.Should().Be(original.Id);
        var requests = await ReceivedAsync(f, receiver, 2, ct);
        var body = JsonNode.Parse(requests[1].Body)!.AsObject();
        body["visitor"]!["token"]!.GetValue<string>().Should().Be("vt-9f2", "the original, unredacted payload is replayed");
        body["crmData"]!["ticket"]!.GetValue<string>().Should().Be("T-2");
        requests[1].Headers["webhook-id"].Should().Be(replayId);
        (await HistoryAsync(f)).Should().Contain(h => h.Document["replayOf"] != null && h.Document["replayOf"]!.GetValue<string>() == original.Id);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ReplayOmnichannelAsync_UrlEmptyOrUnknownRecord_Fails_DLV27(CancellationToken ct)
    {
        var (f, receiver) = await StartAsync();
        await using var _ = f;
        await f.Engine.PublishOmnichannelAsync(Taken(), ct);
        await ReceivedAsync(f, receiver, 1, ct);
        await f.WaitForStateAsync((await OnlyDeliveryAsync(f, ct)).Id, ct, DeliveryState.Succeeded);
        var record = (await HistoryAsync(f)).Single();

        (await f.Engine.ReplayOmnichannelAsync(EngineFixture.Admin, "nope", ct)).Error.Should().Be("error-not-found");
        (await f.Engine.SaveOmnichannelSettingsAsync(EngineFixture.Admin, new JsonObject { ["url"] = "" }, ct)).Success.Should().BeTrue();
        (await f.Engine.ReplayOmnichannelAsync(EngineFixture.Admin, record.Id, ct)).Error.Should().Be("integration-disabled");
    }
}
